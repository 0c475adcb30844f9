/** A phase gate evaluated against an account's recorded facts: every unmet criterion, in words. */
import { PhaseGateCheck, PhaseRules, phaseGateFor } from '../playbook/phase-rules';
import { RelationshipPhase } from '../playbook/relationship-phase';
import { UnmetPhaseCriterion } from './account.errors';
import { AccountFacts, wonDealIds } from './account.state';

export function unmetPhaseCriteria(account: AccountFacts, entering: RelationshipPhase, rules: PhaseRules): UnmetPhaseCriterion[] {
  return phaseGateFor(rules, entering)
    .criteria.filter((criterion) => !holds(criterion.check, account))
    .map((criterion) => ({ code: criterion.code, message: criterion.en }));
}

function holds(check: PhaseGateCheck, account: AccountFacts): boolean {
  switch (check.kind) {
    case 'DEAL_WON':
      return wonDealIds(account).length > 0;
    default: {
      const _: never = check.kind;
      return false;
    }
  }
}
