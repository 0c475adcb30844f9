/**
 * importHistory(record, stream) → events: what a source system's record of one deal adds to the
 * deal's stream. The counterpart of `decide` for history that already happened elsewhere: no
 * gate is judged, no override is recorded, no finance identity is asked for — the source is the
 * authority, and each event names it (ImportedFrom).
 *
 * Idempotent and incremental: every entry is keyed by its source id, so entries already in the
 * stream (from an earlier import of the same or an older export) add nothing, and only what is
 * new is appended — after any native work done on the deal meanwhile, on the same stream.
 */
import { DealStatusStage, Stage } from '../playbook/stage';
import { DealEvent, ImportedFrom } from './deal.events';
import { foldDeal, evolve } from './deal.evolve';
import { Account } from './deal.values';

/** One stage the source says the deal entered, and when (business time). */
export interface ImportedStageEntry {
  stage: DealStatusStage;
  occurredAt: string;
  /** The deal's amount as the source states it from this entry on. */
  amount?: number;
  /** Why, in the source's words (a loss reason, a stage name). */
  reason?: string;
  importedFrom: ImportedFrom;
}

/** One deal as a source file describes it, already mapped onto our stages. */
export interface ImportedDealRecord {
  dealId: string;
  account: Account;
  owner: string;
  team: string;
  amount: number;
  currency: string;
  /** In any order; they are applied in business-time order. */
  entries: ImportedStageEntry[];
}

export interface RefusedEntry {
  entry: ImportedStageEntry;
  reason: string;
}

export interface ImportedHistory {
  /** What to append, in order. Empty when the stream already holds everything the record says. */
  events: DealEvent[];
  /** Entries already in the stream (by source id). */
  alreadyRecorded: number;
  /** Entries that say nothing new (the deal already stands there with that amount). */
  unchanged: number;
  /** Entries that cannot be history of this stream, with the reason. */
  refused: RefusedEntry[];
}

export function importHistory(record: ImportedDealRecord, stream: readonly DealEvent[], playbookVersion: string): ImportedHistory {
  const recorded = new Set(stream.flatMap((e) => (e.type === 'DealImported' || e.type === 'StageChangeImported' ? [keyOf(e.data.importedFrom)] : [])));
  let state = foldDeal(stream);
  const outcome: ImportedHistory = { events: [], alreadyRecorded: 0, unchanged: 0, refused: [] };
  const entries = [...record.entries].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));

  for (const entry of entries) {
    if (recorded.has(keyOf(entry.importedFrom))) {
      outcome.alreadyRecorded += 1;
      continue;
    }
    let event: DealEvent;
    if (state.status === 'none') {
      if (entry.stage === 'LOST') {
        outcome.refused.push({ entry, reason: 'the first known state of a deal cannot be LOST: the stage it was lost from is unknown' });
        continue;
      }
      event = {
        type: 'DealImported',
        data: {
          dealId: record.dealId,
          account: record.account,
          owner: record.owner,
          team: record.team,
          amount: entry.amount ?? record.amount,
          currency: record.currency,
          stage: entry.stage as Stage,
          playbookVersion,
          importedFrom: entry.importedFrom,
          occurredAt: entry.occurredAt,
        },
      };
    } else {
      const from: DealStatusStage = state.status === 'lost' ? 'LOST' : state.stage;
      const amountChanged = entry.amount !== undefined && entry.amount !== state.amount;
      if (from === entry.stage && !amountChanged) {
        outcome.unchanged += 1;
        continue;
      }
      // Stays must not overlap: a move dated before the last stage change cannot be fitted in.
      if (from !== entry.stage && Date.parse(entry.occurredAt) < Date.parse(state.lastStageChangeAt)) {
        outcome.refused.push({
          entry,
          reason: `the move to ${entry.stage} at ${entry.occurredAt} precedes the deal's last stage change (${state.lastStageChangeAt})`,
        });
        continue;
      }
      event = {
        type: 'StageChangeImported',
        data: {
          from,
          to: entry.stage,
          ...(amountChanged && { amount: entry.amount }),
          ...(entry.reason !== undefined && { reason: entry.reason }),
          importedFrom: entry.importedFrom,
          occurredAt: entry.occurredAt,
        },
      };
    }
    outcome.events.push(event);
    recorded.add(keyOf(entry.importedFrom));
    state = evolve(state, event);
  }
  return outcome;
}

/** A source record is the same record when the system and its id are the same (file and line may differ). */
function keyOf(from: ImportedFrom): string {
  return `${from.system}\u0000${from.externalId}`;
}
