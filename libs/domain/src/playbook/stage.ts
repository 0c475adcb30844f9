/**
 * The seven funnel stages, in order. A deal enters TARGET when opened and is WON only through
 * the WON gate; LOST is not a stage on the way but a way out of the funnel.
 */
export const STAGES = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON'] as const;

export type Stage = (typeof STAGES)[number];

/** What a deal's status can show: one of the stages, or LOST. */
export type DealStatusStage = Stage | 'LOST';

export const DEAL_STATUS_STAGES: readonly DealStatusStage[] = [...STAGES, 'LOST'];

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** 0 for TARGET … 6 for WON. */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** The stage after `stage`, or undefined after WON. */
export function nextStage(stage: Stage): Stage | undefined {
  return STAGES[stageIndex(stage) + 1];
}

/** The stages strictly between `from` and `to` (those a jump from `from` to `to` skips). */
export function stagesBetween(from: Stage, to: Stage): Stage[] {
  return STAGES.slice(stageIndex(from) + 1, stageIndex(to));
}
