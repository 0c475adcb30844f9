/**
 * A JSON-friendly picture of one deal for `GET /v1/deals/:id`, including what the gate of the
 * next stage still wants — the salesperson's to-do list.
 */
import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { Playbook } from '../playbook/playbook';
import { DealStatusStage, Stage, nextStage } from '../playbook/stage';
import { UnmetCriterion } from './deal.events';
import { Assessment, CompletedAction, CustomerProfile, DealState, Payment, Problem, Shipment, Stakeholder } from './deal.state';
import {
  Account,
  CompetitorProfile,
  CustomerInterest,
  EvaluationCriterion,
  Forecast,
  MilestonePlan,
  ProjectInitiation,
  Quote,
  Swot,
} from './deal.values';
import { evaluateGate } from './gates/evaluate-gate';

export interface VisitSummary {
  visitId: string;
  date: string;
  purpose: string;
  reviewed: boolean;
  goalReached: boolean | null;
  occurredAt: string;
}

export interface DealView {
  dealId: string;
  status: 'open' | 'won' | 'lost';
  /** LOST for a lost deal; see `lost.from` for where it left. */
  stage: DealStatusStage;
  accountId: string;
  account: Account;
  owner: string;
  team: string;
  amount: number;
  currency: string;
  source: string | null;
  playbookVersion: string;
  openedAt: string;
  lastStageChangeAt: string;
  wonAt: string | null;
  lost: { from: Stage; reason: string; competitor: string | null; occurredAt: string } | null;
  forecast: (Forecast & { occurredAt: string }) | null;
  /** The current assessment of each kind, in playbook order. */
  assessments: Assessment[];
  stakeholders: Stakeholder[];
  quotes: (Quote & { occurredAt: string })[];
  visits: VisitSummary[];
  profile: CustomerProfile | null;
  problems: Problem[];
  interest: (CustomerInterest & { occurredAt: string }) | null;
  projectInitiation: ProjectInitiation;
  procurementTimetable: MilestonePlan[] | null;
  evaluationCriteria: EvaluationCriterion[] | null;
  swot: Swot | null;
  competitors: CompetitorProfile[];
  negotiationConditions: string[];
  completedActions: CompletedAction[];
  contract: { contractNumber?: string; amount?: number; currency?: string; occurredAt: string } | null;
  payments: Payment[];
  shipments: Shipment[];
  /** The gate of the stage after the current one; null when won or lost. */
  nextGate: { stage: Stage; met: boolean; unmet: UnmetCriterion[] } | null;
}

/**
 * null for a stream without a deal. `now` is when "close within 90 days" is counted from; the
 * next gate is judged as a stage change made at `now` would be, on every fact recorded.
 */
export function dealView(state: DealState, playbook: Playbook = DEFAULT_PLAYBOOK, now: Date = new Date()): DealView | null {
  if (state.status === 'none') return null;
  const next = state.status === 'open' ? nextStage(state.stage) : undefined;
  return {
    dealId: state.dealId,
    status: state.status,
    stage: state.status === 'lost' ? 'LOST' : state.stage,
    accountId: state.accountId,
    account: state.account,
    owner: state.owner,
    team: state.team,
    amount: state.amount,
    currency: state.currency,
    source: state.source ?? null,
    playbookVersion: state.playbookVersion,
    openedAt: state.openedAt,
    lastStageChangeAt: state.lastStageChangeAt,
    wonAt: state.status === 'won' ? state.wonAt : null,
    lost:
      state.status === 'lost'
        ? { from: state.stage, reason: state.lost.reason, competitor: state.lost.competitor ?? null, occurredAt: state.lost.occurredAt }
        : null,
    forecast: state.forecast ?? null,
    assessments: playbook.assessments.flatMap((a) => state.assessments[a.kind] ?? []),
    stakeholders: state.stakeholders,
    quotes: state.quotes,
    visits: state.visits.map((v) => ({
      visitId: v.visitId,
      date: v.preparation.date,
      purpose: v.preparation.purpose,
      reviewed: !!v.review,
      goalReached: v.review?.goalReached ?? null,
      occurredAt: v.occurredAt,
    })),
    profile: state.profile ?? null,
    problems: state.problems,
    interest: state.interest ?? null,
    projectInitiation: state.projectInitiation,
    procurementTimetable: state.procurementTimetable ?? null,
    evaluationCriteria: state.evaluationCriteria ?? null,
    swot: state.swot ?? null,
    competitors: state.competitors,
    negotiationConditions: state.negotiationConditions,
    completedActions: state.completedActions,
    contract: state.contract ?? null,
    payments: state.payments,
    shipments: state.shipments,
    // what advancing at `now` would be judged on: every fact recorded so far
    nextGate: next ? { stage: next, ...evaluateGate(state, next, playbook, now, { factsAsOf: 'latest' }) } : null,
  };
}
