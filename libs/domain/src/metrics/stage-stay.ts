/**
 * A stay: one continuous period a deal spent in one stage (the read model's stage intervals).
 * A deal that regresses and comes back has two stays in the same stage; time spent lost is a
 * stay in 'LOST'. Times are business time (the events' occurredAt).
 */
import { DealStatusStage, Stage, STAGES, stageIndex, isStage } from '../playbook/stage';

export type StayExitKind = 'advanced' | 'skipped' | 'regressed' | 'won' | 'lost' | 'reopened';

export interface StageStay {
  dealId: string;
  /** Order of the stay within its deal (1, 2, …). */
  seq: number;
  stage: DealStatusStage;
  enteredAt: Date;
  /** null while the deal is still in the stage (and for WON, which never ends). */
  exitedAt: Date | null;
  exitKind: StayExitKind | null;
  /** Where the deal went on exit: the next stay's stage. */
  nextStage: DealStatusStage | null;
}

/** The stages a deal can leave forward: every stage but WON. Dwell and conversion are per these. */
export const OPEN_STAGES = STAGES.filter((s) => s !== 'WON') as Exclude<Stage, 'WON'>[];
export type OpenStage = (typeof OPEN_STAGES)[number];

/** Left forward: advanced to the next stage, jumped over stages (override), or won. */
export function leftForward(stay: StageStay): boolean {
  return stay.exitKind === 'advanced' || stay.exitKind === 'skipped' || stay.exitKind === 'won';
}

/**
 * The stay as it looked at `asOf`: undefined when it had not started yet, open when it ended
 * only later. Lets a report be recomputed for a past instant from today's rows.
 */
export function stayAsOf(stay: StageStay, asOf: Date): StageStay | undefined {
  if (stay.enteredAt.getTime() > asOf.getTime()) return undefined;
  if (stay.exitedAt && stay.exitedAt.getTime() > asOf.getTime()) {
    return { ...stay, exitedAt: null, exitKind: null, nextStage: null };
  }
  return stay;
}

/** The stages a forward exit jumped over (none for an ordinary advance or any other exit). */
export function stagesPassedOver(stay: StageStay): Stage[] {
  if (!stay.exitedAt || !leftForward(stay) || !isStage(stay.stage) || !isStage(stay.nextStage)) return [];
  return STAGES.slice(stageIndex(stay.stage) + 1, stageIndex(stay.nextStage));
}

/** Stays grouped by deal, each deal's in seq order. */
export function staysByDeal(stays: readonly StageStay[]): Map<string, StageStay[]> {
  const byDeal = new Map<string, StageStay[]>();
  for (const stay of stays) {
    const list = byDeal.get(stay.dealId) ?? [];
    list.push(stay);
    byDeal.set(stay.dealId, list);
  }
  for (const list of byDeal.values()) list.sort((a, b) => a.seq - b.seq);
  return byDeal;
}
