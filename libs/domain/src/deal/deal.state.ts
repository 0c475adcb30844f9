/**
 * What a deal is, as folded from its events: a union of statuses so that impossible states
 * (a won deal with a lost reason, a stage on an unopened deal) cannot be written. The facts are
 * those the gates and the view need; the events remain the history. Every fact keeps its
 * business time (occurredAt), and `history` keeps every version of the facts that change, so a
 * gate can be evaluated as of an earlier instant (see facts-as-of.ts).
 */
import { AssessmentKind } from '../playbook/assessment-kind';
import { BuyingRole } from '../playbook/buying-role';
import { RelationshipLevel } from '../playbook/relationship-level';
import { Stage } from '../playbook/stage';
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

export interface Visit {
  visitId: string;
  preparation: VisitPreparation;
  review?: VisitReview;
  occurredAt: string;
  reviewedAt?: string;
}

export interface CustomerProfile {
  characteristics: CharacteristicAssessment[];
  organisationChart: OrganisationChart;
  accountOwner?: string;
  occurredAt: string;
}

export interface Problem extends ProblemAnalysis {
  problemId: string;
  occurredAt: string;
}

export interface Assessment extends AssessmentResult {
  revision: number;
  playbookVersion: string;
  occurredAt: string;
}

export interface Stakeholder {
  personId: string;
  name: string;
  title: string;
  department: string;
  /** Roles currently held; withdrawn roles are gone from here (`history.stakeholderChanges` keeps them). */
  roles: BuyingRole[];
  /** How close the person is to us (the vocabulary of an account's key people), when recorded. */
  relationshipLevel?: RelationshipLevel;
}

/** A person identified with roles (details replace earlier ones), or one role withdrawn from them. */
export type StakeholderChange =
  | {
      change: 'IDENTIFIED';
      personId: string;
      name: string;
      title: string;
      department: string;
      roles: BuyingRole[];
      relationshipLevel?: RelationshipLevel;
      occurredAt: string;
    }
  | { change: 'ROLE_WITHDRAWN'; personId: string; role: BuyingRole; occurredAt: string };

/**
 * Every recorded version of the facts that are superseded, merged or withdrawn, with its
 * business time, in recorded order. The current facts of DealFacts are these folded in full;
 * folded up to an instant, they are the facts as they stood then. (Visits, quotes, the
 * contract, payments, shipments and completed actions are never superseded: they carry their
 * own occurredAt.)
 */
export interface FactHistory {
  /** Reviews of visits, including one recorded with its visit; a later one replaces the review shown. */
  visitReviews: { visitId: string; review: VisitReview; occurredAt: string }[];
  profiles: CustomerProfile[];
  /** Each analysis of each problem; a later one of the same problemId replaces it. */
  problems: Problem[];
  interests: (CustomerInterest & { occurredAt: string })[];
  /** Each recording of project initiation: the fields present replace earlier values. */
  projectInitiations: (ProjectInitiation & { occurredAt: string })[];
  /** Every assessment of every kind; the last of a kind is the one that counts. */
  assessments: Assessment[];
  stakeholderChanges: StakeholderChange[];
  procurementTimetables: { milestones: MilestonePlan[]; occurredAt: string }[];
  evaluationCriteria: { categories: EvaluationCriterion[]; occurredAt: string }[];
  swots: (Swot & { occurredAt: string })[];
  competitors: (CompetitorProfile & { occurredAt: string })[];
  forecasts: (Forecast & { occurredAt: string })[];
  negotiationConditions: { conditionId: string; occurredAt: string }[];
}

export interface Payment {
  amount: number;
  currency: string;
  confirmedBy: string;
  reference?: string;
  occurredAt: string;
}

export interface Shipment {
  shipmentId: string;
  description?: string;
  occurredAt: string;
}

export interface CompletedAction {
  stage: Stage;
  actionId: string;
  occurredAt: string;
}

export interface DealFacts {
  dealId: string;
  /** The account the deal belongs to (see DealOpened.accountId). */
  accountId: string;
  account: Account;
  owner: string;
  team: string;
  amount: number;
  currency: string;
  source?: string;
  /** For a deal brought in by an import: the system and its id of the deal. */
  importedFrom?: { system: string; externalId: string };
  /** Version of the playbook the deal was opened under. */
  playbookVersion: string;
  openedAt: string;
  /** The current stage; for a lost deal, the stage it was lost from. */
  stage: Stage;
  /** occurredAt of the last stage change (opening counts): stage changes may not go before it. */
  lastStageChangeAt: string;
  /** occurredAt of the last change of owner (opening counts): owner changes keep business order. */
  ownerSince: string;
  visits: Visit[];
  profile?: CustomerProfile;
  problems: Problem[];
  interest?: CustomerInterest & { occurredAt: string };
  projectInitiation: ProjectInitiation;
  /** The latest assessment of each kind. */
  assessments: Partial<Record<AssessmentKind, Assessment>>;
  stakeholders: Stakeholder[];
  procurementTimetable?: MilestonePlan[];
  evaluationCriteria?: EvaluationCriterion[];
  swot?: Swot;
  competitors: CompetitorProfile[];
  quotes: (Quote & { occurredAt: string })[];
  forecast?: Forecast & { occurredAt: string };
  negotiationConditions: string[];
  completedActions: CompletedAction[];
  contract?: { contractNumber?: string; amount?: number; currency?: string; occurredAt: string };
  payments: Payment[];
  shipments: Shipment[];
  /** Every version of the changing facts, with its business time: what a gate reads as of an instant. */
  history: FactHistory;
}

export type NoDeal = { status: 'none' };
export type OpenDealState = { status: 'open' } & DealFacts;
export type WonDealState = { status: 'won'; wonAt: string } & DealFacts;
export type LostDealState = { status: 'lost'; lost: { reason: string; competitor?: string; occurredAt: string } } & DealFacts;

export type DealState = NoDeal | OpenDealState | WonDealState | LostDealState;

/** An opened deal in any status. */
export type ExistingDealState = Exclude<DealState, NoDeal>;

export const initialState: DealState = { status: 'none' };
