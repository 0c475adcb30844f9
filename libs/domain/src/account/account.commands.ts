/**
 * What can be asked of an account. The account is the stream the command is sent to (OpenAccount
 * names it). Every command may say when it happened (`occurredAt`, ISO); it defaults to `now`
 * and may not lie in the future. Phase decisions need a role the phase rules name.
 */
import { BuyingRole } from '../playbook/buying-role';
import { PhaseRules } from '../playbook/phase-rules';
import { RelationshipLevel } from '../playbook/relationship-level';
import { RelationshipPhase } from '../playbook/relationship-phase';
import { AccountOrigin, DealFact, PhaseEvidence } from './account.events';

type Command<Type extends string, Data> = { type: Type; data: Data & { occurredAt?: string } };

export type OpenAccount = Command<
  'OpenAccount',
  {
    accountId: string;
    name: string;
    industry: string;
    region: string;
    size?: string;
    keyAccount?: boolean;
    origin?: AccountOrigin;
    firstDealId?: string;
  }
>;

export type FlagKeyAccount = Command<'FlagKeyAccount', { keyAccount: boolean; reason?: string }>;

export type LinkDeal = Command<'LinkDeal', { dealId: string }>;

/** From the account reactor: a fact read from a deal event (`sourceEventId`), noted once. */
export type NoteDealFact = Command<'NoteDealFact', { dealId: string; sourceEventId: string; fact: DealFact }>;

/** A manager's judgement; a gate that is not met may be overridden with a written reason. */
export type ChangePhase = Command<
  'ChangePhase',
  { to: RelationshipPhase; reason: string; evidence?: PhaseEvidence[]; override?: { reason: string } }
>;

export type AcceptPhaseSuggestion = Command<'AcceptPhaseSuggestion', { suggestionId: string; reason?: string }>;

export type DismissPhaseSuggestion = Command<'DismissPhaseSuggestion', { suggestionId: string; reason: string }>;

export type RecordKeyPerson = Command<
  'RecordKeyPerson',
  { personId: string; name: string; title: string; department?: string; roles: BuyingRole[]; level: RelationshipLevel; note?: string }
>;

export type RemoveKeyPerson = Command<'RemoveKeyPerson', { personId: string; reason?: string }>;

export type CloseAccount = Command<'CloseAccount', { reason: string }>;

/** Sent to the duplicate: it lives on in the survivor; both histories stay. */
export type MergeAccountInto = Command<'MergeAccountInto', { survivorAccountId: string; reason: string }>;

/** Sent to the survivor: it takes the duplicate's deals and history in. */
export type AbsorbDuplicateAccount = Command<
  'AbsorbDuplicateAccount',
  { duplicateAccountId: string; duplicateName: string; duplicateRegion: string; reason: string }
>;

export type AccountCommand =
  | OpenAccount
  | FlagKeyAccount
  | LinkDeal
  | NoteDealFact
  | ChangePhase
  | AcceptPhaseSuggestion
  | DismissPhaseSuggestion
  | RecordKeyPerson
  | RemoveKeyPerson
  | CloseAccount
  | MergeAccountInto
  | AbsorbDuplicateAccount;

export type AccountCommandType = AccountCommand['type'];

export type AccountCommandOf<T extends AccountCommandType> = Extract<AccountCommand, { type: T }>;

/** Who asks, when, under which phase rules. */
export interface AccountDecideContext {
  now: Date;
  actor: { id: string; roles: string[] };
  phaseRules: PhaseRules;
}
