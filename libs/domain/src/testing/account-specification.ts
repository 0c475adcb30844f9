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
import { MANAGER, REP, SPEC_NOW } from './decider-specification';

export function accountContext(overrides: Partial<AccountDecideContext> = {}): AccountDecideContext {
  return { now: SPEC_NOW, actor: MANAGER, phaseRules: DEFAULT_PHASE_RULES, ...overrides };
}

export const AS_REP: Partial<AccountDecideContext> = { actor: REP };

export interface AccountOutcome {
  then(expected: AccountEvent[]): void;
  thenThrows(code: AccountErrorCode, unmetCodes?: string[]): AccountError;
  events(): AccountEvent[];
}

export function givenAccount(events: AccountEvent[]): { when(command: AccountCommand, context?: Partial<AccountDecideContext>): AccountOutcome } {
  const state = foldAccount(events);
  return {
    when(command, context) {
      const run = (): AccountEvent[] => decideAccount(command, state, accountContext(context));
      return {
        then(expected) {
          expect(run()).toEqual(expected);
        },
        thenThrows(code, unmetCodes) {
          let refusal: unknown;
          try {
            const recorded = run();
            refusal = new Error(`expected ${code}, but the command was accepted: ${JSON.stringify(recorded)}`);
          } catch (error) {
            refusal = error;
          }
          if (!(refusal instanceof AccountError)) throw refusal;
          expect({ code: refusal.code, message: refusal.message }).toEqual({ code, message: expect.any(String) });
          if (unmetCodes) expect(refusal.unmet.map((u) => u.code)).toEqual(unmetCodes);
          return refusal;
        },
        events: run,
      };
    },
  };
}
