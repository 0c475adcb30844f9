/**
 * A stage change as the deal timeline read model keeps it: with its business time
 * (`occurredAt`) and the time the store recorded it (`recordedAt`, the knownAt axis). Folding
 * the moves known by an instant gives the stays anyone could have seen then — what a backtest
 * needs, and the live forecast is the same fold at now.
 */
import { DealStatusStage, Stage, isStage, stageIndex } from '../playbook/stage';
import { StageStay, StayExitKind } from './stage-stay';

export type StageMoveKind = 'opened' | 'advanced' | 'regressed' | 'lost' | 'reopened';

export interface StageMove {
  dealId: string;
  /** The event's revision in its deal's stream: orders moves that share an occurredAt. */
  revision: number;
  kind: StageMoveKind;
  occurredAt: Date;
  recordedAt: Date;
  from: DealStatusStage | null;
  to: DealStatusStage;
  /** Owner, team, the account's region and industry, amount and currency of the deal at the move. */
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: number;
  currency: string;
  /** The playbook a forward move (and an opening) was decided under. */
  playbookVersion: string | null;
  /** Stages a forward jump passed over. */
  skipped: Stage[];
  /** Codes a manager's override passed unmet; null when there was no override. */
  unmet: string[] | null;
}

/** The moves that had happened by `asOf` and had been recorded by `knownAt` (default: no limit). */
export function movesKnownBy(moves: readonly StageMove[], asOf: Date, knownAt?: Date): StageMove[] {
  const until = asOf.getTime();
  const known = knownAt?.getTime() ?? Infinity;
  return moves.filter((m) => m.occurredAt.getTime() <= until && m.recordedAt.getTime() <= known);
}

/** Moves grouped by deal, each deal's in business-time order (revision breaks ties). */
export function movesByDeal(moves: readonly StageMove[]): Map<string, StageMove[]> {
  const byDeal = new Map<string, StageMove[]>();
  for (const m of moves) {
    const list = byDeal.get(m.dealId);
    if (list) list.push(m);
    else byDeal.set(m.dealId, [m]);
  }
  const before = (a: StageMove, b: StageMove) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.revision - b.revision;
  // The read model hands them over in this order already; sort only what is not.
  for (const list of byDeal.values()) {
    for (let i = 1; i < list.length; i++) {
      if (before(list[i - 1], list[i]) > 0) {
        list.sort(before);
        break;
      }
    }
  }
  return byDeal;
}

/** The stays the moves describe; a deal whose opening is not among them has none. */
export function staysFromMoves(dealMoves: readonly StageMove[]): StageStay[] {
  if (dealMoves[0]?.kind !== 'opened') return [];
  return dealMoves.map((m, i) => {
    const next = dealMoves[i + 1];
    return {
      dealId: m.dealId,
      seq: i + 1,
      stage: m.to,
      enteredAt: m.occurredAt,
      exitedAt: next ? next.occurredAt : null,
      exitKind: next ? exitKindOf(m.to, next) : null,
      nextStage: next ? next.to : null,
    };
  });
}

function exitKindOf(stage: DealStatusStage, next: StageMove): StayExitKind {
  switch (next.kind) {
    case 'advanced':
      if (next.to === 'WON') return 'won';
      return isStage(stage) && isStage(next.to) && stageIndex(next.to) > stageIndex(stage) + 1 ? 'skipped' : 'advanced';
    case 'regressed':
      return 'regressed';
    case 'lost':
      return 'lost';
    case 'reopened':
      return 'reopened';
    case 'opened':
      return 'advanced'; // a repeated opening is not a move the decider makes
    default: {
      const _: never = next.kind;
      return _;
    }
  }
}
