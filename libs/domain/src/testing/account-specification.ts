/**
 * givenAccount(events).when(command).then(events) / .thenThrows(code, unmetCodes): account
 * specifications that read like the playbook. No database; milliseconds each. For specs only.
 */
import { AccountCommand, AccountDecideContext } from '../account/account.commands';
import { decideAccount } from '../account/account.decide';
import { AccountError, AccountErrorCode } from '../account/account.errors';
import { AccountEvent } from '../account/account.events';
import { foldAccount } from '../account/account.evolve';
import { DEFAULT_PHASE_RULES } from '../playbook/phase-rules';
import { MANAGER, Outcome, outcomeOf, REP, SPEC_NOW } from './decider-specification';

export function accountContext(overrides: Partial<AccountDecideContext> = {}): AccountDecideContext {
  return { now: SPEC_NOW, actor: MANAGER, phaseRules: DEFAULT_PHASE_RULES, ...overrides };
}

export const AS_REP: Partial<AccountDecideContext> = { actor: REP };

export type AccountOutcome = Outcome<AccountEvent, AccountError, AccountErrorCode>;

export function givenAccount(events: AccountEvent[]): { when(command: AccountCommand, context?: Partial<AccountDecideContext>): AccountOutcome } {
  const state = foldAccount(events);
  return {
    when: (command, context) =>
      outcomeOf<AccountEvent, AccountError, AccountErrorCode>(() => decideAccount(command, state, accountContext(context)), AccountError),
  };
}
