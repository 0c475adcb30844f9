/**
 * Asks the playbook what it takes to enter a stage and checks every criterion against the
 * deal's facts. Never stops at the first failure: a salesperson wants the whole list.
 */
import { Playbook, gateFor } from '../../playbook/playbook';
import { Stage } from '../../playbook/stage';
import { UnmetCriterion } from '../deal.events';
import { DealFacts, DealState, NoDeal } from '../deal.state';
import { runCheck } from './gate-checks';

export interface GateResult {
  met: boolean;
  unmet: UnmetCriterion[];
}

/** `now` is the moment of the stage change (its occurredAt): "close within 90 days" counts from it. */
export function evaluateGate(state: DealState | DealFacts, targetStage: Stage, playbook: Playbook, now: Date): GateResult {
  const criteria = gateFor(playbook, targetStage).criteria;
  if (isUnopened(state)) {
    return { met: false, unmet: criteria.map((c) => ({ code: c.code, message: `${c.en}: the deal is not opened` })) };
  }
  const unmet = criteria.flatMap((criterion) => {
    const outcome = runCheck(criterion.check, state, playbook, now);
    return outcome.met ? [] : [{ code: criterion.code, message: `${criterion.en}: ${outcome.detail}` }];
  });
  return { met: unmet.length === 0, unmet };
}

function isUnopened(state: DealState | DealFacts): state is NoDeal {
  return 'status' in state && state.status === 'none';
}
