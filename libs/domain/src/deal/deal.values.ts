/**
 * The recorded facts a deal is made of, shared by its commands and its events. Dates without a
 * time are `YYYY-MM-DD`; instants are ISO 8601 strings. Amounts are numbers in major units.
 */
import { AssessmentKind, Mark, Verdict } from '../playbook/assessment-kind';
import { NeedDimension, NeedVisibility } from '../playbook/need';

export interface Account {
  name: string;
  industry: string;
  region: string;
  /** Free text or a band such as "200-500 employees". */
  size?: string;
}

export interface Money {
  amount: number;
  /** ISO 4217, e.g. 'EUR', 'CNY'. */
  currency: string;
}

// ── Visits (客户拜访) ────────────────────────────────────────────────────────

export interface CustomerAttendee {
  name: string;
  department: string;
  title: string;
  /** Role in the customer's project. */
  role?: string;
  background?: string;
  /** Relationship with us. */
  relationship?: string;
}

export interface OurAttendee {
  name: string;
  role: string;
}

export interface VisitPreparation {
  /** Appointment start, ISO 8601. */
  date: string;
  durationMinutes: number;
  reconfirmedDayBefore?: boolean;
  purpose: string;
  agenda: string[];
  customerAttendees: CustomerAttendee[];
  ourAttendees: OurAttendee[];
  materials: string[];
  /** What we mean to raise. */
  topics?: string[];
  logistics?: string;
}

export interface FollowUp {
  action: string;
  owner?: string;
  /** YYYY-MM-DD */
  due?: string;
}

export interface VisitReview {
  goalReached: boolean;
  wentWell: string[];
  wentBadly: string[];
  /** What we now believe about the customer. */
  learned: string;
  improvementPlan: string;
  commitments: string[];
  followUps: FollowUp[];
  thankYouSent: boolean;
}

// ── Customer profile (客户全貌信息) ─────────────────────────────────────────

export type CharacteristicAnswer = 'YES' | 'NO' | 'UNKNOWN';

/** The answer to one of the playbook's POTENTIAL characteristics, by its id. */
export interface CharacteristicAssessment {
  characteristicId: string;
  answer: CharacteristicAnswer;
  comment?: string;
}

export interface OrganisationChartPerson {
  personId: string;
  name: string;
  title: string;
  department: string;
  /** personId of the manager, if known. */
  reportsTo?: string;
}

export interface OrganisationChart {
  people: OrganisationChartPerson[];
}

// ── Needs (客户需求) ─────────────────────────────────────────────────────────

/**
 * Problem analysis: current state → difficulty → impact → benefit after improvement. Parts may
 * be filled in over several recordings of the same problemId; the INTENT gate wants all four.
 */
export interface ProblemAnalysis {
  currentState: string;
  difficulty?: string;
  impact?: string;
  benefit?: string;
  dimension: NeedDimension;
  visibility: NeedVisibility;
}

export interface CustomerInterest {
  interested: boolean;
  /** Agrees to buy rather than build (认同外购). */
  agreesToBuy: boolean;
  /** Is talking to vendors (接触厂商). */
  talkingToVendors: boolean;
  comment?: string;
}

// ── Project initiation (立项) ───────────────────────────────────────────────

export interface CustomerProjectMember {
  name: string;
  title?: string;
  department?: string;
  personId?: string;
}

/** Facts the PROJECT gate needs besides the assessment; the timetable is the procurement one. */
export interface ProjectInitiation {
  customerProjectOwner?: CustomerProjectMember;
  customerProjectTeam?: CustomerProjectMember[];
  preliminaryBudget?: Money & { comment?: string };
  requirementsClear?: boolean;
  thirdParties?: string[];
  comment?: string;
}

// ── Assessments (销售机会评估) ───────────────────────────────────────────────

export interface Judgement {
  mark: Mark;
  comment?: string;
}

export interface CompetitorJudgement extends Judgement {
  competitor: string;
}

export interface CriterionJudgement {
  /** Stable id from the playbook catalogue, e.g. 'REAL.1'. */
  criterionId: string;
  us: Judgement;
  /** COMPETE/WIN only: one per named competitor, in the order of `competitors`. */
  competitors: CompetitorJudgement[];
}

export interface MarkCounts {
  plus: number;
  minus: number;
  unknown: number;
}

export interface VerdictRule {
  minPositive: number;
  of: number;
}

export interface CompetitorResult extends MarkCounts {
  competitor: string;
  verdict: Verdict;
}

export interface AssessmentResult {
  kind: AssessmentKind;
  competitors: string[];
  criteria: CriterionJudgement[];
  /** Verdict for us, computed by `rule` from `counts`. */
  verdict: Verdict;
  counts: MarkCounts;
  rule: VerdictRule;
  competitorResults: CompetitorResult[];
  conclusion?: string;
}

// ── Procurement (项目采购) ──────────────────────────────────────────────────

export interface MilestonePlan {
  /** Playbook milestone id, e.g. 'RFP_ISSUED'. */
  milestoneId: string;
  responsible: string | null;
  /** YYYY-MM-DD, null when unknown. */
  date: string | null;
}

export interface EvaluationCriterion {
  /** Playbook category id, e.g. 'TECHNOLOGY'. */
  categoryId: string;
  criterion: string | null;
  /** Weight in percent, null when unknown. */
  weight: number | null;
}

export interface Swot {
  strengths: string[];
  weaknesses: string[];
  opportunities: string[];
  threats: string[];
}

export interface CompetitorProfile {
  name: string;
  strengths?: string[];
  weaknesses?: string[];
  strategy?: string;
  notes?: string;
}

// ── Commercial ──────────────────────────────────────────────────────────────

export type QuoteKind = 'PRELIMINARY' | 'FORMAL';

export interface Quote extends Money {
  quoteId: string;
  kind: QuoteKind;
  /** YYYY-MM-DD */
  validUntil?: string;
}

export interface Forecast {
  /** 0–100 */
  probability: number;
  /** YYYY-MM-DD */
  expectedCloseDate: string;
  amount?: number;
}
