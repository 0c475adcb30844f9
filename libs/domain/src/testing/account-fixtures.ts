/**
 * Ready-made events for account specifications: an account opened on 5 January 2026 and the
 * deal facts the phase rules react to. Times lie between the opening and SPEC_NOW (2 March 2026).
 */
import { accountIdFor } from '../account/account-identity';
import { AccountEvent, AccountEventOf, DealFact } from '../account/account.events';
import { suggestionIdFor } from '../account/phase-suggestions';
import { DEFAULT_PHASE_RULES } from '../playbook/phase-rules';
import { RelationshipPhase } from '../playbook/relationship-phase';
import { day } from './deal-fixtures';

export const ACCOUNT_ID = accountIdFor('Hangzhou Precision Castings', 'East China');
export const PHASE_RULES_VERSION = DEFAULT_PHASE_RULES.version;
export const ACCOUNT_OPENED_AT = '2026-01-05T09:00:00.000Z';
export const DEAL_A = '6f1c2a4e-8b1d-4c3e-9f7a-2d5e8c9b0a11';
export const DEAL_B = '7a2d3b5f-9c2e-4d4f-8a8b-3e6f9d0c1b22';

export function accountOpened(overrides: Partial<AccountEventOf<'AccountOpened'>['data']> = {}): AccountEventOf<'AccountOpened'> {
  return {
    type: 'AccountOpened',
    data: {
      accountId: ACCOUNT_ID,
      name: 'Hangzhou Precision Castings',
      industry: 'Manufacturing',
      region: 'East China',
      size: '800 employees',
      keyAccount: false,
      phase: 'BREAKTHROUGH',
      origin: 'DIRECT',
      phaseRulesVersion: PHASE_RULES_VERSION,
      occurredAt: ACCOUNT_OPENED_AT,
      ...overrides,
    },
  };
}

/** The source event id the reactor would note for a fact, made up per deal and kind. */
export function sourceEventId(dealId: string, n = 1): string {
  return `${dealId.slice(0, 24)}${String(n).padStart(12, '0')}`;
}

export function factNoted(dealId: string, fact: DealFact, at: string, n = 1): AccountEventOf<'DealFactNoted'> {
  return { type: 'DealFactNoted', data: { dealId, sourceEventId: sourceEventId(dealId, n), fact, occurredAt: at } };
}

export function suggested(
  ruleId: string,
  from: RelationshipPhase,
  to: RelationshipPhase,
  dealId: string,
  note: string,
  at: string,
  n = 1,
): AccountEventOf<'PhaseSuggested'> {
  const rule = DEFAULT_PHASE_RULES.suggestions.find((r) => r.id === ruleId)!;
  const source = sourceEventId(dealId, n);
  return {
    type: 'PhaseSuggested',
    data: {
      suggestionId: suggestionIdFor(ACCOUNT_ID, ruleId, source),
      ruleId,
      from,
      to,
      reason: rule.en,
      evidence: [{ note, dealId, sourceEventId: source }],
      phaseRulesVersion: PHASE_RULES_VERSION,
      occurredAt: at,
    },
  };
}

export function phaseChanged(from: RelationshipPhase, to: RelationshipPhase, at: string, reason = 'judged so'): AccountEventOf<'PhaseChanged'> {
  return {
    type: 'PhaseChanged',
    data: { from, to, reason, evidence: [], decidedBy: 'manager-mia', phaseRulesVersion: PHASE_RULES_VERSION, occurredAt: at },
  };
}

/** An account whose first deal was won and which a manager moved to consolidation. */
export function accountIn(phase: RelationshipPhase, opened: Partial<AccountEventOf<'AccountOpened'>['data']> = {}): AccountEvent[] {
  const events: AccountEvent[] = [accountOpened(opened)];
  if (phase === 'BREAKTHROUGH') return events;
  events.push(factNoted(DEAL_A, { kind: 'DEAL_WON' }, day(20)), phaseChanged('BREAKTHROUGH', 'CONSOLIDATION', day(21), 'first deal won'));
  if (phase === 'CONSOLIDATION') return events;
  events.push(phaseChanged('CONSOLIDATION', phase, day(30)));
  return events;
}
