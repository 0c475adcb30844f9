/**
 * The one place imported history meets the event store: per deal, read its stream, ask
 * importHistory what is new, append that at the revision read (a lost race is re-read and
 * re-decided). Event ids derive from the source ids, so even an append retried after a crash
 * is recognised by the store rather than written twice.
 */
import { DEAL_EVENT_SCHEMA_VERSION, DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { importHistory, ImportedDealRecord } from '@funnel/domain/deal/imported-history';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { StreamNotFoundError, WrongExpectedVersionError } from '@funnel/event-store/event-store.errors';
import { EventStore, EventToAppend, RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition } from '@funnel/event-store/global-position';
import { RowProblem } from '../formats/format-reading';
import { sourceEventId } from '../source-ids';

export interface ImportActor {
  id: string;
  name?: string;
  roles: string[];
}

export interface AppendOptions {
  /** Decide everything, append nothing. */
  dryRun: boolean;
  actor: ImportActor;
  /** Shared by every event of this import run. */
  correlationId: string;
  /** Deals worked on at once. */
  concurrency?: number;
  /** Called after each deal (progress bars). */
  onDeal?: (done: number, total: number) => void;
}

export interface AppendTally {
  deals: number;
  /** Appended — or, in a dry run, that would be. */
  eventsAppended: number;
  /** Entries already in the streams (an earlier import of them). */
  alreadyRecorded: number;
  /** Entries that leave a deal where it stands. */
  unchanged: number;
  /** Entries a stream could not take, with their line and reason. */
  refused: RowProblem[];
  /** Feed position of the last event appended (for ?waitFor=), or null. */
  position: string | null;
}

const MAX_RETRIES = 3;

export async function appendImportedHistory(store: EventStore, records: readonly ImportedDealRecord[], options: AppendOptions): Promise<AppendTally> {
  const tally: AppendTally = { deals: records.length, eventsAppended: 0, alreadyRecorded: 0, unchanged: 0, refused: [], position: null };
  let last: GlobalPosition | undefined;
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++];
      const appended = await importOne(store, record, options, tally);
      if (appended && (!last || appended.commit > last.commit || (appended.commit === last.commit && appended.prepare > last.prepare))) last = appended;
      options.onDeal?.(++done, records.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  tally.position = last ? formatPosition(last) : null;
  return tally;
}

async function importOne(store: EventStore, record: ImportedDealRecord, options: AppendOptions, tally: AppendTally): Promise<GlobalPosition | undefined> {
  const streamId = dealStreamId(record.dealId);
  for (let attempt = 0; ; attempt++) {
    const stream = await readStream(store, streamId);
    const outcome = importHistory(record, stream.map(dealEventOf), DEFAULT_PLAYBOOK.version);
    const count = () => {
      tally.alreadyRecorded += outcome.alreadyRecorded;
      tally.unchanged += outcome.unchanged;
      tally.eventsAppended += outcome.events.length;
      for (const { entry, reason } of outcome.refused) {
        tally.refused.push({ file: entry.importedFrom.file, line: entry.importedFrom.line, reason: `${entry.importedFrom.externalId}: ${reason}` });
      }
    };
    if (options.dryRun || outcome.events.length === 0) {
      count();
      return undefined;
    }
    const lastEvent = stream[stream.length - 1];
    try {
      const result = await store.appendToStream(
        streamId,
        outcome.events.map((event) => toAppend(event, options)),
        { expectedRevision: lastEvent ? lastEvent.revision : 'no_stream' },
      );
      count();
      return result.position;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < MAX_RETRIES) continue;
      throw error;
    }
  }
}

function toAppend(event: DealEvent, options: AppendOptions): EventToAppend {
  const from = event.type === 'DealImported' || event.type === 'StageChangeImported' ? event.data.importedFrom : undefined;
  return {
    ...(from && { id: sourceEventId(from.system, from.externalId) }),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: options.correlationId,
      causationId: options.correlationId,
      actor: { id: options.actor.id, ...(options.actor.name && { name: options.actor.name }), roles: options.actor.roles },
      command: 'ImportHistory',
      schemaVersion: DEAL_EVENT_SCHEMA_VERSION[event.type],
    },
  };
}

async function readStream(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamId);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

function dealEventOf(recorded: RecordedEvent): DealEvent {
  return { type: recorded.type, data: recorded.data } as DealEvent;
}
