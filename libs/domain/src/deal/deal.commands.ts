/**
 * What a user can ask of a deal. The deal is the stream the command is sent to (OpenDeal names
 * it). Every command may say when it happened (`occurredAt`, ISO); it defaults to the decider's
 * `now`, may not lie in the future, nor before the deal was opened; stage changes may not go
 * back before the last stage change.
 */
import { AssessmentKind, Mark } from '../playbook/assessment-kind';
import { BuyingRole } from '../playbook/buying-role';
import { RelationshipLevel } from '../playbook/relationship-level';
import { Playbook } from '../playbook/playbook';
import { Stage } from '../playbook/stage';
import {
  Account,
  CharacteristicAssessment,
  CompetitorProfile,
  CustomerInterest,
  Forecast,
  OrganisationChart,
  ProblemAnalysis,
  ProjectInitiation,
  QuoteKind,
  Swot,
  VisitPreparation,
  VisitReview,
} from './deal.values';

type Command<Type extends string, Data> = { type: Type; data: Data & { occurredAt?: string } };

export type OpenDeal = Command<
  'OpenDeal',
  { dealId: string; accountId?: string; account: Account; owner: string; team: string; amount: number; currency: string; source?: string }
>;

export type RecordVisit = Command<'RecordVisit', { visitId: string; preparation: VisitPreparation; review?: VisitReview }>;

/** Adds the review to an earlier visit. */
export type ReviewVisit = Command<'ReviewVisit', { visitId: string; review: VisitReview }>;

export type RecordCustomerProfile = Command<
  'RecordCustomerProfile',
  { characteristics: CharacteristicAssessment[]; organisationChart: OrganisationChart; accountOwner?: string }
>;

/** Without problemId a new problem is numbered; with a known one its analysis is replaced. */
export type AnalyzeProblem = Command<'AnalyzeProblem', { problemId?: string } & ProblemAnalysis>;

export type RecordCustomerInterest = Command<'RecordCustomerInterest', CustomerInterest>;

export type RecordProjectInitiation = Command<'RecordProjectInitiation', ProjectInitiation>;

export interface AssessmentCriterionInput {
  criterionId: string;
  mark: Mark;
  comment?: string;
  /** COMPETE/WIN: marks per named competitor; a competitor left out is `?`. */
  competitors?: { competitor: string; mark: Mark; comment?: string }[];
}

/** Every criterion of the kind's catalogue must be judged; the verdict is computed. */
export type SubmitAssessment = Command<
  'SubmitAssessment',
  { kind: AssessmentKind; criteria: AssessmentCriterionInput[]; competitors?: string[]; conclusion?: string }
>;

export type IdentifyStakeholder = Command<
  'IdentifyStakeholder',
  { personId: string; name: string; title: string; department: string; roles: BuyingRole[]; relationshipLevel?: RelationshipLevel }
>;

export type WithdrawStakeholderRole = Command<
  'WithdrawStakeholderRole',
  { personId: string; role: BuyingRole; reason?: string }
>;

/** Milestones left out are unknown. */
export type RecordProcurementTimetable = Command<
  'RecordProcurementTimetable',
  { milestones: { milestoneId: string; responsible?: string | null; date?: string | null }[] }
>;

/** Categories left out are unknown. */
export type RecordEvaluationCriteria = Command<
  'RecordEvaluationCriteria',
  { categories: { categoryId: string; criterion?: string | null; weight?: number | null }[] }
>;

export type RecordSwot = Command<'RecordSwot', Swot>;

export type RecordCompetitor = Command<'RecordCompetitor', CompetitorProfile>;

export type SubmitQuote = Command<
  'SubmitQuote',
  { quoteId?: string; kind: QuoteKind; amount: number; currency: string; validUntil?: string }
>;

export type UpdateForecast = Command<'UpdateForecast', Forecast>;

export type ConfirmNegotiationCondition = Command<'ConfirmNegotiationCondition', { conditionId: string; comment?: string }>;

export type CompleteStageAction = Command<'CompleteStageAction', { stage: Stage; actionId: string; note?: string }>;

export type SignContract = Command<'SignContract', { contractNumber?: string; amount?: number; currency?: string }>;

/** Only an actor with the 'finance' role confirms a payment; the event records who. */
export type ConfirmPayment = Command<'ConfirmPayment', { amount: number; currency: string; reference?: string }>;

export type RecordShipment = Command<'RecordShipment', { shipmentId?: string; description?: string }>;

export type ReassignOwner = Command<'ReassignOwner', { to: string; team?: string; reason?: string }>;

/** Skipping stages or passing a failed gate needs a manager's override with a written reason. */
export type AdvanceStage = Command<'AdvanceStage', { to: Stage; override?: { reason: string }; reason?: string }>;

export type RegressStage = Command<'RegressStage', { to: Stage; reason: string }>;

export type MarkLost = Command<'MarkLost', { reason: string; competitor?: string }>;

export type ReopenDeal = Command<'ReopenDeal', { reason?: string }>;

export type DealCommand =
  | OpenDeal
  | RecordVisit
  | ReviewVisit
  | RecordCustomerProfile
  | AnalyzeProblem
  | RecordCustomerInterest
  | RecordProjectInitiation
  | SubmitAssessment
  | IdentifyStakeholder
  | WithdrawStakeholderRole
  | RecordProcurementTimetable
  | RecordEvaluationCriteria
  | RecordSwot
  | RecordCompetitor
  | SubmitQuote
  | UpdateForecast
  | ConfirmNegotiationCondition
  | CompleteStageAction
  | SignContract
  | ConfirmPayment
  | RecordShipment
  | ReassignOwner
  | AdvanceStage
  | RegressStage
  | MarkLost
  | ReopenDeal;

export type DealCommandType = DealCommand['type'];

export type DealCommandOf<T extends DealCommandType> = Extract<DealCommand, { type: T }>;

export type DealCommandData<T extends DealCommandType> = DealCommandOf<T>['data'];

const COMMAND_TYPE_SET: Record<DealCommandType, true> = {
  OpenDeal: true,
  RecordVisit: true,
  ReviewVisit: true,
  RecordCustomerProfile: true,
  AnalyzeProblem: true,
  RecordCustomerInterest: true,
  RecordProjectInitiation: true,
  SubmitAssessment: true,
  IdentifyStakeholder: true,
  WithdrawStakeholderRole: true,
  RecordProcurementTimetable: true,
  RecordEvaluationCriteria: true,
  RecordSwot: true,
  RecordCompetitor: true,
  SubmitQuote: true,
  UpdateForecast: true,
  ConfirmNegotiationCondition: true,
  CompleteStageAction: true,
  SignContract: true,
  ConfirmPayment: true,
  RecordShipment: true,
  ReassignOwner: true,
  AdvanceStage: true,
  RegressStage: true,
  MarkLost: true,
  ReopenDeal: true,
};

export const DEAL_COMMAND_TYPES: readonly DealCommandType[] = Object.keys(COMMAND_TYPE_SET) as DealCommandType[];

/** Who asks, when, under which playbook: everything `decide` needs besides command and state. */
export interface DecideContext {
  now: Date;
  actor: { id: string; roles: string[] };
  playbook: Playbook;
}
