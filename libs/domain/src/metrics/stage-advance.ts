/**
 * Per stage, the share of ended stays that moved forward — where a salesperson's deals get stuck
 * or drop out. Open stays are not counted: they have not had their chance yet.
 */
import { OPEN_STAGES, OpenStage, StageStay, leftForward } from './stage-stay';
import { ratio } from './statistics';

export interface StageAdvance {
  stage: OpenStage;
  /** Stays in the stage that ended (any way). */
  ended: number;
  /** Of those, ended by advancing, skipping forward or winning. */
  advanced: number;
  /** advanced / ended. */
  rate: number | null;
}

export function stageAdvance(stays: readonly StageStay[]): StageAdvance[] {
  return OPEN_STAGES.map((stage) => {
    const ended = stays.filter((s) => s.stage === stage && s.exitedAt !== null);
    const advanced = ended.filter(leftForward).length;
    return { stage, ended: ended.length, advanced, rate: ratio(advanced, ended.length) };
  });
}
