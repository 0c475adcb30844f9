/**
 * A sales playbook as versioned, JSON-serialisable data: what each stage means, what its gate
 * checks, the assessment catalogues and the checklists. Companies adapt playbooks; the decider
 * asks the playbook rather than hard-coding each rule, and records the version it used.
 */
import { AssessmentKind } from './assessment-kind';
import { BuyingRole } from './buying-role';
import { NeedDimension } from './need';
import { DealStatusStage, Stage } from './stage';

export interface Label {
  en: string;
  zh: string;
}

/** Something with a stable id and words in both languages. */
export interface LabelledItem extends Label {
  id: string;
}

export interface StageDefinition {
  key: DealStatusStage;
  labels: Label;
  /** 标志: what must hold for the deal to be in this stage. */
  marker: Label;
  /** 特征: what is true of the customer in this stage. */
  characteristics: LabelledItem[];
  /** 动作: the work the seller does in this stage. */
  actions: LabelledItem[];
}

/**
 * How a gate criterion is checked against a deal's recorded facts. A playbook composes its gates
 * from these kinds; the words are in the criterion.
 */
export type GateCheck =
  | { kind: 'VISIT_REVIEWED' }
  | { kind: 'PROFILE_CHARACTERISTICS_ANSWERED' }
  | { kind: 'PROBLEM_ANALYSED' }
  | { kind: 'CUSTOMER_INTERESTED' }
  | { kind: 'ASSESSMENT_POSITIVE'; assessment: AssessmentKind }
  | { kind: 'ASSESSMENT_SUBMITTED'; assessment: AssessmentKind }
  | { kind: 'CUSTOMER_PROJECT_OWNER' }
  | { kind: 'PRELIMINARY_BUDGET' }
  | { kind: 'PROCUREMENT_TIMETABLE' }
  | { kind: 'BUYING_ROLE_FILLED'; role: BuyingRole }
  | { kind: 'QUOTE_SUBMITTED' }
  | { kind: 'FORECAST_PROBABILITY' }
  | { kind: 'EXPECTED_CLOSE_WITHIN' }
  | { kind: 'NEGOTIATION_CONDITION_CONFIRMED'; conditionId: string }
  | { kind: 'CONTRACT_SIGNED' }
  | { kind: 'PAYMENT_CONFIRMED' }
  | { kind: 'ORDER_SHIPPED' };

export interface GateCriterion extends Label {
  /** Stable, e.g. 'POTENTIAL.VISIT_REVIEWED'; clients key their own texts on it. */
  code: string;
  check: GateCheck;
}

export interface GateDefinition {
  entering: Stage;
  criteria: GateCriterion[];
}

export interface AssessmentCriterion extends Label {
  /** Stable, e.g. 'REAL.1'. */
  id: string;
  /** Number in the courseware's table. */
  number: number;
  /** What to ask about. */
  question: Label;
  /** What `+` means. */
  standard: Label;
}

export interface AssessmentCatalogue {
  kind: AssessmentKind;
  labels: Label;
  /** The stage in which the assessment is normally made. */
  stage: Stage;
  /** COMPETE and WIN are scored for us and for each named competitor. */
  scoresCompetitors: boolean;
  criteria: AssessmentCriterion[];
}

export interface BuyingRoleDefinition {
  role: BuyingRole;
  labels: Label;
  decides: Label;
  caresAbout: Label;
  /** How many active holders a deal needs (min) and allows (max, null = no limit). */
  count: { min: number; max: number | null };
}

export interface NumberedItem extends LabelledItem {
  number: number;
}

export interface PlaybookSettings {
  /** An assessment is positive when at least `minPositive` of its criteria are `+` for us. */
  assessmentVerdict: { minPositive: number };
  /** APPROVED gate: probability strictly above, expected close at most this many days away. */
  approvedGate: { minProbabilityExclusive: number; maxDaysToExpectedClose: number };
}

export interface Playbook {
  version: string;
  labels: Label;
  /** The seven stages in order, then LOST. */
  stages: StageDefinition[];
  /** One gate per stage after TARGET, by the stage it lets a deal enter. */
  gates: GateDefinition[];
  assessments: AssessmentCatalogue[];
  buyingRoles: BuyingRoleDefinition[];
  procurementMilestones: NumberedItem[];
  evaluationCategories: LabelledItem[];
  negotiationConditions: NumberedItem[];
  wonConditions: LabelledItem[];
  needDimensions: (Label & { id: NeedDimension })[];
  settings: PlaybookSettings;
}

export function stageDefinition(playbook: Playbook, key: DealStatusStage): StageDefinition | undefined {
  return playbook.stages.find((s) => s.key === key);
}

export function gateFor(playbook: Playbook, entering: Stage): GateDefinition {
  return playbook.gates.find((g) => g.entering === entering) ?? { entering, criteria: [] };
}

export function assessmentCatalogue(playbook: Playbook, kind: AssessmentKind): AssessmentCatalogue | undefined {
  return playbook.assessments.find((a) => a.kind === kind);
}

export function buyingRoleDefinition(playbook: Playbook, role: BuyingRole): BuyingRoleDefinition | undefined {
  return playbook.buyingRoles.find((r) => r.role === role);
}
