/**
 * What an account is, as folded from its events: a union of statuses, so a closed or merged
 * account cannot be written as active. The facts are those the phase rules and the view need;
 * the events remain the history.
 */
import { BuyingRole } from '../playbook/buying-role';
import { RelationshipLevel } from '../playbook/relationship-level';
import { RelationshipPhase } from '../playbook/relationship-phase';
import { AccountOrigin, DealFact, PhaseEvidence, PhaseOverride } from './account.events';

export interface KeyPerson {
  personId: string;
  name: string;
  title: string;
  department?: string;
  roles: BuyingRole[];
  level: RelationshipLevel;
  note?: string;
  since: string;
}

export interface NotedFact {
  dealId: string;
  sourceEventId: string;
  fact: DealFact;
  occurredAt: string;
}

export type SuggestionStatus = 'pending' | 'accepted' | 'dismissed';

export interface PhaseSuggestion {
  suggestionId: string;
  ruleId: string;
  from: RelationshipPhase;
  to: RelationshipPhase;
  reason: string;
  evidence: PhaseEvidence[];
  suggestedAt: string;
  status: SuggestionStatus;
  /** Who accepted or dismissed it, when and why. */
  decision?: { by: string; reason: string; occurredAt: string };
}

export interface PhaseStay {
  phase: RelationshipPhase;
  from: string;
  /** Undefined while the account is still in it. */
  to?: string;
  reason: string;
  decidedBy?: string;
  suggestionId?: string;
  override?: PhaseOverride;
}

export interface AccountFacts {
  accountId: string;
  name: string;
  industry: string;
  region: string;
  size?: string;
  keyAccount: boolean;
  origin: AccountOrigin;
  openedAt: string;
  phase: RelationshipPhase;
  /** occurredAt of the last phase change (opening counts): changes keep business-time order. */
  phaseSince: string;
  phaseRulesVersion: string;
  /** Linked deals, in the order they were linked. */
  dealIds: string[];
  facts: NotedFact[];
  suggestions: PhaseSuggestion[];
  keyPeople: KeyPerson[];
  /** Every stay in a phase, oldest first; the last is the current one. */
  phaseHistory: PhaseStay[];
  /** Accounts merged into this one. */
  absorbed: string[];
}

export type NoAccount = { status: 'none' };
export type ActiveAccountState = { status: 'active' } & AccountFacts;
export type ClosedAccountState = { status: 'closed'; closed: { reason: string; occurredAt: string } } & AccountFacts;
export type MergedAccountState = { status: 'merged'; merged: { into: string; reason: string; occurredAt: string } } & AccountFacts;

export type AccountState = NoAccount | ActiveAccountState | ClosedAccountState | MergedAccountState;

export type ExistingAccountState = Exclude<AccountState, NoAccount>;

export const initialAccountState: AccountState = { status: 'none' };

/** Won deals noted on the account: what breakthrough waits for. */
export function wonDealIds(account: AccountFacts): string[] {
  return [...new Set(account.facts.filter((f) => f.fact.kind === 'DEAL_WON').map((f) => f.dealId))];
}

/** Suggestions still open for a decision: pending, and made from the phase the account is in. */
export function openSuggestions(account: AccountFacts): PhaseSuggestion[] {
  return account.suggestions.filter((s) => s.status === 'pending' && s.from === account.phase);
}
