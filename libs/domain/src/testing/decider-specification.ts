/**
 * given(events).when(command).then(events) / .thenThrows(code, unmetCodes): deal
 * specifications that read like the playbook. No database; milliseconds each. For specs only.
 */
import { DealCommand, DecideContext } from '../deal/deal.commands';
import { decide } from '../deal/deal.decide';
import { DomainError, DomainErrorCode } from '../deal/deal.errors';
import { DealEvent } from '../deal/deal.events';
import { foldDeal } from '../deal/deal.evolve';
import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';

/** "Now" in every specification unless a context says otherwise. */
export const SPEC_NOW = new Date('2026-03-02T10:00:00.000Z');

export const REP = { id: 'rep-ann', roles: ['rep'] };
export const MANAGER = { id: 'manager-mia', roles: ['rep', 'manager'] };
export const FINANCE = { id: 'finance-fay', roles: ['finance'] };

export function specContext(overrides: Partial<DecideContext> = {}): DecideContext {
  return { now: SPEC_NOW, actor: REP, playbook: DEFAULT_PLAYBOOK, ...overrides };
}

export type DeciderOutcome = Outcome<DealEvent, DomainError, DomainErrorCode>;

/** What a specification can say of one decision: the same for every decider (deal, account). */
export interface Outcome<Event, Refusal, Code> {
  /** The command is accepted and records exactly these events. */
  then(expected: Event[]): void;
  /** The command is refused with this code (and, when given, exactly these unmet criteria, in order). */
  thenThrows(code: Code, unmetCodes?: string[]): Refusal;
  /** The recorded events, for assertions `then` cannot express. */
  events(): Event[];
}

/** The outcome of running one decision, refused with errors of `refusalType`. */
export function outcomeOf<Event, Refusal extends { code: Code; message: string; unmet: { code: string }[] }, Code>(
  run: () => Event[],
  refusalType: abstract new (...args: never[]) => Refusal,
): Outcome<Event, Refusal, Code> {
  return {
    then(expected) {
      expect(run()).toEqual(expected);
    },
    thenThrows(code, unmetCodes) {
      let refusal: unknown;
      try {
        const recorded = run();
        refusal = new Error(`expected ${String(code)}, but the command was accepted: ${JSON.stringify(recorded)}`);
      } catch (error) {
        refusal = error;
      }
      if (!(refusal instanceof refusalType)) throw refusal;
      expect({ code: refusal.code, message: refusal.message }).toEqual({ code, message: expect.any(String) });
      if (unmetCodes) expect(refusal.unmet.map((u) => u.code)).toEqual(unmetCodes);
      return refusal;
    },
    events: run,
  };
}

export function given(events: DealEvent[]): { when(command: DealCommand, context?: Partial<DecideContext>): DeciderOutcome } {
  const state = foldDeal(events);
  return {
    when: (command, context) => outcomeOf<DealEvent, DomainError, DomainErrorCode>(() => decide(command, state, specContext(context)), DomainError),
  };
}
