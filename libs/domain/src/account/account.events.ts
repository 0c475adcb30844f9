/**
 * Everything that can happen to an account, the customer as a whole across its deals. One
 * account per stream `account-<uuid>`. Type strings are stable (they are stored); a change of a
 * `data` shape bumps ACCOUNT_EVENT_SCHEMA_VERSION. Every `data` has `occurredAt` (business time).
 */
import { BuyingRole } from '../playbook/buying-role';
import { RelationshipLevel } from '../playbook/relationship-level';
import { RelationshipPhase } from '../playbook/relationship-phase';

type Event<Type extends string, Data> = { type: Type; data: Data & { occurredAt: string } };

/** How the account came to be: opened by hand, for a deal's new customer, by an import or by the migration of old deals. */
export type AccountOrigin = 'DIRECT' | 'DEAL' | 'IMPORT' | 'MIGRATION';

/** A deal fact noted on its account: what the phase suggestion rules react to. */
export type DealFact =
  | { kind: 'DEAL_WON' }
  | { kind: 'COMPETITOR_RECORDED'; competitor: string }
  | { kind: 'LOST_TO_COMPETITOR'; competitor: string; reason: string };

/** Why a phase is suggested or chosen: a note, and the deal fact behind it when there is one. */
export interface PhaseEvidence {
  note: string;
  dealId?: string;
  /** The deal event the fact was read from. */
  sourceEventId?: string;
}

export interface PhaseOverride {
  by: string;
  reason: string;
  unmetAtOverride: { code: string; message: string }[];
}

export type AccountOpened = Event<
  'AccountOpened',
  {
    accountId: string;
    name: string;
    industry: string;
    region: string;
    size?: string;
    keyAccount: boolean;
    phase: RelationshipPhase;
    origin: AccountOrigin;
    /** The deal whose new customer name opened the account (origin DEAL or MIGRATION). */
    firstDealId?: string;
    phaseRulesVersion: string;
  }
>;

export type KeyAccountFlagged = Event<'KeyAccountFlagged', { keyAccount: boolean; reason?: string }>;

/** A deal that references the account. */
export type DealLinked = Event<'DealLinked', { dealId: string }>;

/** A fact read from a deal's stream by the account reactor (once per deal event). */
export type DealFactNoted = Event<'DealFactNoted', { dealId: string; sourceEventId: string; fact: DealFact }>;

/** A rule of the phase rules proposes a phase; a manager accepts or dismisses it. */
export type PhaseSuggested = Event<
  'PhaseSuggested',
  {
    suggestionId: string;
    ruleId: string;
    from: RelationshipPhase;
    to: RelationshipPhase;
    reason: string;
    evidence: PhaseEvidence[];
    phaseRulesVersion: string;
  }
>;

export type PhaseSuggestionDismissed = Event<'PhaseSuggestionDismissed', { suggestionId: string; by: string; reason: string }>;

/** A person's decision (with `suggestionId` when it accepts a suggestion). */
export type PhaseChanged = Event<
  'PhaseChanged',
  {
    from: RelationshipPhase;
    to: RelationshipPhase;
    reason: string;
    evidence: PhaseEvidence[];
    decidedBy: string;
    suggestionId?: string;
    override?: PhaseOverride;
    phaseRulesVersion: string;
  }
>;

/** Recording a known person again replaces their details, roles and level. */
export type KeyPersonRecorded = Event<
  'KeyPersonRecorded',
  {
    personId: string;
    name: string;
    title: string;
    department?: string;
    roles: BuyingRole[];
    level: RelationshipLevel;
    note?: string;
  }
>;

export type KeyPersonRemoved = Event<'KeyPersonRemoved', { personId: string; reason?: string }>;

export type AccountClosed = Event<'AccountClosed', { reason: string }>;

/** On the duplicate: from now on it lives on in the survivor. Its own history stays as it is. */
export type AccountMergedInto = Event<'AccountMergedInto', { survivorAccountId: string; reason: string }>;

/** On the survivor: the duplicate's deals and history count as this account's. */
export type DuplicateAccountMerged = Event<
  'DuplicateAccountMerged',
  { duplicateAccountId: string; duplicateName: string; duplicateRegion: string; reason: string }
>;

export type AccountEvent =
  | AccountOpened
  | KeyAccountFlagged
  | DealLinked
  | DealFactNoted
  | PhaseSuggested
  | PhaseSuggestionDismissed
  | PhaseChanged
  | KeyPersonRecorded
  | KeyPersonRemoved
  | AccountClosed
  | AccountMergedInto
  | DuplicateAccountMerged;

export type AccountEventType = AccountEvent['type'];

export type AccountEventOf<T extends AccountEventType> = Extract<AccountEvent, { type: T }>;

export const ACCOUNT_EVENT_SCHEMA_VERSION: Record<AccountEventType, number> = {
  AccountOpened: 1,
  KeyAccountFlagged: 1,
  DealLinked: 1,
  DealFactNoted: 1,
  PhaseSuggested: 1,
  PhaseSuggestionDismissed: 1,
  PhaseChanged: 1,
  KeyPersonRecorded: 1,
  KeyPersonRemoved: 1,
  AccountClosed: 1,
  AccountMergedInto: 1,
  DuplicateAccountMerged: 1,
};

export const ACCOUNT_EVENT_TYPES: readonly AccountEventType[] = Object.keys(ACCOUNT_EVENT_SCHEMA_VERSION) as AccountEventType[];

export function isAccountEventType(value: unknown): value is AccountEventType {
  return typeof value === 'string' && (ACCOUNT_EVENT_TYPES as readonly string[]).includes(value);
}
