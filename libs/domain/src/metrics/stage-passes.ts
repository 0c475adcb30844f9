/**
 * When a deal was in — or, under the 'any' skip policy, passed over — each stage. The shared
 * basis of conversion cohorts and of cycle times measured from a stage.
 *
 * - strict: a deal was in stage s only when it had a stay in s; a deal that jumped over s (a
 *   manager's override) never entered or passed it.
 * - any: a jump over s also counts as passing s, at the instant of the jump.
 */
import { Stage, isStage } from '../playbook/stage';
import { StageStay, stagesPassedOver } from './stage-stay';

export type SkipPolicy = 'strict' | 'any';
export const SKIP_POLICIES: readonly SkipPolicy[] = ['strict', 'any'];

/** Every instant the deal entered (or passed over) each stage, ascending. */
export function stagePasses(dealStays: readonly StageStay[], policy: SkipPolicy): Map<Stage, Date[]> {
  const passes = new Map<Stage, Date[]>();
  const add = (stage: Stage, at: Date) => passes.set(stage, [...(passes.get(stage) ?? []), at]);
  for (const stay of dealStays) {
    if (isStage(stay.stage)) add(stay.stage, stay.enteredAt);
    if (policy === 'any') for (const over of stagesPassedOver(stay)) add(over, stay.exitedAt as Date);
  }
  for (const list of passes.values()) list.sort((a, b) => a.getTime() - b.getTime());
  return passes;
}

/** The first instant the deal entered (or passed over) `stage`, or undefined. */
export function firstPass(dealStays: readonly StageStay[], stage: Stage, policy: SkipPolicy): Date | undefined {
  return stagePasses(dealStays, policy).get(stage)?.[0];
}
