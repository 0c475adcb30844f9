/**
 * Everything that can happen to a deal. One deal per stream `deal-<uuid>`. Type strings are
 * stable (they are stored); a change of a `data` shape bumps DEAL_EVENT_SCHEMA_VERSION and gets
 * an upcaster in libs/event-store. Every `data` has `occurredAt` (ISO business time); events
 * decided with the playbook's rules carry the `playbookVersion` used.
 */
import { BuyingRole } from '../playbook/buying-role';
import { RelationshipLevel } from '../playbook/relationship-level';
import { DealStatusStage, Stage } from '../playbook/stage';
import {
  Account,
  AssessmentResult,
  CharacteristicAssessment,
  CompetitorProfile,
  CustomerInterest,
  EvaluationCriterion,
  Forecast,
  MilestonePlan,
  OrganisationChart,
  ProblemAnalysis,
  ProjectInitiation,
  Quote,
  Swot,
  VisitPreparation,
  VisitReview,
} from './deal.values';

export interface UnmetCriterion {
  code: string;
  message: string;
}

/** A manager's decision to pass a failed gate or skip stages, with what was unmet at the time. */
export interface StageOverride {
  by: string;
  reason: string;
  unmetAtOverride: UnmetCriterion[];
}

type Event<Type extends string, Data> = { type: Type; data: Data & { occurredAt: string } };

// ── Lifecycle ───────────────────────────────────────────────────────────────

export type DealOpened = Event<
  'DealOpened',
  {
    dealId: string;
    /**
     * The account (`account-<id>`) the deal belongs to. Absent on deals opened before accounts
     * existed: theirs is accountIdFor(account.name, account.region), the same id the migration opens.
     */
    accountId?: string;
    account: Account;
    owner: string;
    team: string;
    amount: number;
    currency: string;
    source?: string;
    stage: 'TARGET';
    playbookVersion: string;
  }
>;

/** Forward, to the next stage or (with an override) further; `to` may be WON. */
export type StageAdvanced = Event<
  'StageAdvanced',
  { from: Stage; to: Stage; skipped: Stage[]; override?: StageOverride; reason?: string; playbookVersion: string }
>;

/**
 * Backward (budget frozen, approval withdrawn…): a recorded regression, never a rewrite.
 * Schema version 2 added `skipped`: the stages passed over on the way back (an upcaster fills it
 * in for version-1 events).
 */
export type StageRegressed = Event<'StageRegressed', { from: Stage; to: Stage; skipped: Stage[]; reason: string }>;

export type DealLost = Event<'DealLost', { from: Stage; reason: string; competitor?: string }>;

/** Back into the funnel, at the stage it was lost from. */
export type DealReopened = Event<'DealReopened', { to: Stage; reason?: string }>;

export type OwnerReassigned = Event<'OwnerReassigned', { from: string; to: string; team?: string; reason?: string }>;

// ── Imported history ────────────────────────────────────────────────────────

/**
 * Where an imported fact comes from. The source system is the authority for it: what it says
 * happened is recorded as history, never judged by a gate and never an override.
 */
export interface ImportedFrom {
  /** The source format/system: 'maven', 'salesforce', 'stage-changes'. */
  system: string;
  /** The file (or upload) the record was read from, as named by the importer. */
  file: string;
  /** 1-based line of the record in that file (the header is line 1). */
  line: number;
  /** The source's own id of the record: what makes a re-import recognise it. */
  externalId: string;
  /** Who ran the import (the event's actor says the same; kept here so the data stands alone). */
  importedBy: string;
}

/**
 * A deal brought in from another system, in the stage it was first known to be in, at that
 * business time. Opens the stream like DealOpened; native commands may follow on the same stream.
 */
export type DealImported = Event<
  'DealImported',
  {
    dealId: string;
    account: Account;
    owner: string;
    team: string;
    amount: number;
    currency: string;
    stage: Stage;
    /** The playbook native work on the deal follows from now on; the imported past was not judged by it. */
    playbookVersion: string;
    importedFrom: ImportedFrom;
  }
>;

/**
 * A stage change (forward, backward, into or out of LOST) that happened in another system.
 * `amount`, when present, is the deal's amount as the source states it from then on.
 */
export type StageChangeImported = Event<
  'StageChangeImported',
  { from: DealStatusStage; to: DealStatusStage; amount?: number; reason?: string; importedFrom: ImportedFrom }
>;

// ── Customer facts ──────────────────────────────────────────────────────────

export type VisitRecorded = Event<'VisitRecorded', { visitId: string; preparation: VisitPreparation; review?: VisitReview }>;

/** A review added to an earlier visit. */
export type VisitReviewed = Event<'VisitReviewed', { visitId: string; review: VisitReview }>;

/** Supersedes any earlier profile. */
export type CustomerProfileRecorded = Event<
  'CustomerProfileRecorded',
  { characteristics: CharacteristicAssessment[]; organisationChart: OrganisationChart; accountOwner?: string }
>;

/** Recording the same problemId again replaces that problem's analysis. */
export type ProblemAnalyzed = Event<'ProblemAnalyzed', { problemId: string } & ProblemAnalysis>;

/** Supersedes any earlier record of interest. */
export type CustomerInterestRecorded = Event<'CustomerInterestRecorded', CustomerInterest>;

/** Fields present here replace earlier values; absent fields keep them. */
export type ProjectInitiationRecorded = Event<'ProjectInitiationRecorded', ProjectInitiation>;

/** Verdict computed with the playbook's rule; a later one of the same kind supersedes. */
export type AssessmentSubmitted = Event<
  'AssessmentSubmitted',
  AssessmentResult & { revision: number; playbookVersion: string }
>;

/**
 * Adds roles to a person (a person may hold several); details replace earlier ones. The
 * relationship level, when given, uses the vocabulary an account's key people use.
 */
export type StakeholderIdentified = Event<
  'StakeholderIdentified',
  { personId: string; name: string; title: string; department: string; roles: BuyingRole[]; relationshipLevel?: RelationshipLevel }
>;

export type StakeholderRoleWithdrawn = Event<
  'StakeholderRoleWithdrawn',
  { personId: string; role: BuyingRole; reason?: string }
>;

/** All 13 playbook milestones, unknown ones with nulls. Supersedes any earlier timetable. */
export type ProcurementTimetableRecorded = Event<
  'ProcurementTimetableRecorded',
  { milestones: MilestonePlan[]; playbookVersion: string }
>;

/** All 11 playbook categories, unknown ones with nulls. Supersedes any earlier criteria. */
export type EvaluationCriteriaRecorded = Event<
  'EvaluationCriteriaRecorded',
  { categories: EvaluationCriterion[]; playbookVersion: string }
>;

export type SwotRecorded = Event<'SwotRecorded', Swot>;

/** Keyed by name: recording a known competitor again replaces its profile. */
export type CompetitorRecorded = Event<'CompetitorRecorded', CompetitorProfile>;

// ── Commercial ──────────────────────────────────────────────────────────────

export type QuoteSubmitted = Event<'QuoteSubmitted', Quote>;

export type ForecastUpdated = Event<'ForecastUpdated', Forecast>;

export type NegotiationConditionConfirmed = Event<
  'NegotiationConditionConfirmed',
  { conditionId: string; comment?: string; playbookVersion: string }
>;

export type StageActionCompleted = Event<
  'StageActionCompleted',
  { stage: Stage; actionId: string; note?: string; playbookVersion: string }
>;

export type ContractSigned = Event<
  'ContractSigned',
  { contractNumber?: string; amount?: number; currency?: string }
>;

/** First (or a later) payment, confirmed by finance: `confirmedBy` is the finance actor. */
export type PaymentConfirmed = Event<
  'PaymentConfirmed',
  { amount: number; currency: string; confirmedBy: string; reference?: string }
>;

export type ShipmentRecorded = Event<'ShipmentRecorded', { shipmentId: string; description?: string }>;

export type DealEvent =
  | DealOpened
  | StageAdvanced
  | StageRegressed
  | DealLost
  | DealReopened
  | OwnerReassigned
  | DealImported
  | StageChangeImported
  | VisitRecorded
  | VisitReviewed
  | CustomerProfileRecorded
  | ProblemAnalyzed
  | CustomerInterestRecorded
  | ProjectInitiationRecorded
  | AssessmentSubmitted
  | StakeholderIdentified
  | StakeholderRoleWithdrawn
  | ProcurementTimetableRecorded
  | EvaluationCriteriaRecorded
  | SwotRecorded
  | CompetitorRecorded
  | QuoteSubmitted
  | ForecastUpdated
  | NegotiationConditionConfirmed
  | StageActionCompleted
  | ContractSigned
  | PaymentConfirmed
  | ShipmentRecorded;

export type DealEventType = DealEvent['type'];

export type DealEventOf<T extends DealEventType> = Extract<DealEvent, { type: T }>;

/** The current schema version of each event's data; bump with an upcaster when a shape changes. */
export const DEAL_EVENT_SCHEMA_VERSION: Record<DealEventType, number> = {
  DealOpened: 1,
  StageAdvanced: 1,
  StageRegressed: 2,
  DealLost: 1,
  DealReopened: 1,
  OwnerReassigned: 1,
  DealImported: 1,
  StageChangeImported: 1,
  VisitRecorded: 1,
  VisitReviewed: 1,
  CustomerProfileRecorded: 1,
  ProblemAnalyzed: 1,
  CustomerInterestRecorded: 1,
  ProjectInitiationRecorded: 1,
  AssessmentSubmitted: 1,
  StakeholderIdentified: 1,
  StakeholderRoleWithdrawn: 1,
  ProcurementTimetableRecorded: 1,
  EvaluationCriteriaRecorded: 1,
  SwotRecorded: 1,
  CompetitorRecorded: 1,
  QuoteSubmitted: 1,
  ForecastUpdated: 1,
  NegotiationConditionConfirmed: 1,
  StageActionCompleted: 1,
  ContractSigned: 1,
  PaymentConfirmed: 1,
  ShipmentRecorded: 1,
};

export const DEAL_EVENT_TYPES: readonly DealEventType[] = Object.keys(DEAL_EVENT_SCHEMA_VERSION) as DealEventType[];

export function isDealEventType(value: unknown): value is DealEventType {
  return typeof value === 'string' && (DEAL_EVENT_TYPES as readonly string[]).includes(value);
}

/** Events recorded from another system's history (see ImportedFrom). */
export const IMPORTED_EVENT_TYPES = ['DealImported', 'StageChangeImported'] as const;

/** Native events that move a deal between stages (or in and out of the funnel). */
export const STAGE_CHANGE_EVENT_TYPES = ['DealOpened', 'StageAdvanced', 'StageRegressed', 'DealLost', 'DealReopened'] as const;

// ── Streams ─────────────────────────────────────────────────────────────────

export const DEAL_STREAM_PREFIX = 'deal-';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isDealId(value: string): boolean {
  return UUID.test(value);
}

/** `deal-<uuid>`; throws on a deal id that is not a uuid, so no stream name is ever ambiguous. */
export function dealStreamId(dealId: string): string {
  if (!isDealId(dealId)) throw new Error(`deal id must be a uuid, got "${dealId}"`);
  return `${DEAL_STREAM_PREFIX}${dealId.toLowerCase()}`;
}

/** The deal id of a `deal-<uuid>` stream, or undefined for any other stream. */
export function dealIdFromStream(streamId: string): string | undefined {
  if (!streamId.startsWith(DEAL_STREAM_PREFIX)) return undefined;
  const id = streamId.slice(DEAL_STREAM_PREFIX.length);
  return isDealId(id) ? id : undefined;
}
