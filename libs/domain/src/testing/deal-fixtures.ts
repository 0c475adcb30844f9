/**
 * Ready-made events for deal specifications: a deal opened on 5 January 2026 and the facts each
 * gate of the default playbook wants. Times lie between the opening and SPEC_NOW (2 March 2026).
 */
import { countMarks, verdictOf } from '../deal/decisions/assessment.decision';
import { DealEvent, DealEventOf } from '../deal/deal.events';
import { VisitPreparation, VisitReview } from '../deal/deal.values';
import { AssessmentKind, Mark } from '../playbook/assessment-kind';
import { BuyingRole } from '../playbook/buying-role';
import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { Stage, stagesBetween } from '../playbook/stage';

export const DEAL_ID = '6f1c2a4e-8b1d-4c3e-9f7a-2d5e8c9b0a11';
export const VERSION = DEFAULT_PLAYBOOK.version;
export const OPENED_AT = '2026-01-05T09:00:00.000Z';

/** An instant on day `day` of 2026 (1 = 1 January), at 10:00 UTC. */
export function day(dayOfYear: number): string {
  return new Date(Date.UTC(2026, 0, dayOfYear, 10)).toISOString();
}

export function dealOpened(overrides: Partial<DealEventOf<'DealOpened'>['data']> = {}): DealEventOf<'DealOpened'> {
  return {
    type: 'DealOpened',
    data: {
      dealId: DEAL_ID,
      account: { name: 'Hangzhou Precision Castings', industry: 'Manufacturing', region: 'East China', size: '800 employees' },
      owner: 'rep-ann',
      team: 'east',
      amount: 480000,
      currency: 'CNY',
      source: 'trade fair',
      stage: 'TARGET',
      occurredAt: OPENED_AT,
      playbookVersion: VERSION,
      ...overrides,
    },
  };
}

export const PREPARATION: VisitPreparation = {
  date: '2026-01-12T02:00:00.000Z',
  durationMinutes: 90,
  reconfirmedDayBefore: true,
  purpose: 'Understand how production planning is done today',
  agenda: ['introductions', 'tour of the planning office', 'next steps'],
  customerAttendees: [{ name: 'Wang Lei', department: 'Production', title: 'Planning manager', role: 'user' }],
  ourAttendees: [{ name: 'Ann', role: 'account manager' }],
  materials: ['company introduction'],
};

export const REVIEW: VisitReview = {
  goalReached: true,
  wentWell: ['open conversation about scheduling pain'],
  wentBadly: ['finance did not attend'],
  learned: 'Planning runs on spreadsheets; rush orders disrupt the week',
  improvementPlan: 'Bring a scheduling demo next time',
  commitments: ['send reference case'],
  followUps: [{ action: 'send reference case', owner: 'Ann', due: '2026-01-16' }],
  thankYouSent: true,
};

export function visitRecorded(options: { visitId?: string; review?: VisitReview | null; at?: string } = {}): DealEventOf<'VisitRecorded'> {
  const review = options.review === undefined ? REVIEW : options.review;
  return {
    type: 'VisitRecorded',
    data: {
      visitId: options.visitId ?? 'visit-1',
      preparation: PREPARATION,
      ...(review && { review }),
      occurredAt: options.at ?? day(12),
    },
  };
}

export function profileRecorded(answers: ('YES' | 'NO' | 'UNKNOWN')[] = ['YES', 'YES', 'YES']): DealEventOf<'CustomerProfileRecorded'> {
  const ids = ['POTENTIAL.MANAGEMENT_NEED', 'POTENTIAL.GOOD_ECONOMIC_PERFORMANCE', 'POTENTIAL.NO_SYSTEM_OR_POOR_RESULTS'];
  return {
    type: 'CustomerProfileRecorded',
    data: {
      characteristics: answers.map((answer, i) => ({ characteristicId: ids[i], answer })),
      organisationChart: {
        people: [
          { personId: 'p-zhao', name: 'Zhao Min', title: 'General manager', department: 'Management' },
          { personId: 'p-wang', name: 'Wang Lei', title: 'Planning manager', department: 'Production', reportsTo: 'p-zhao' },
        ],
      },
      accountOwner: 'rep-ann',
      occurredAt: day(13),
    },
  };
}

export function problemAnalyzed(parts: Partial<DealEventOf<'ProblemAnalyzed'>['data']> = {}): DealEventOf<'ProblemAnalyzed'> {
  return {
    type: 'ProblemAnalyzed',
    data: {
      problemId: 'P-1',
      currentState: 'Production is planned in spreadsheets',
      difficulty: 'Rush orders cannot be slotted in',
      impact: 'Late deliveries and overtime',
      benefit: 'On-time delivery up, overtime down',
      dimension: 'APPLICATION',
      visibility: 'EXPLICIT',
      occurredAt: day(20),
      ...parts,
    },
  };
}

export function interestRecorded(interested = true): DealEventOf<'CustomerInterestRecorded'> {
  return {
    type: 'CustomerInterestRecorded',
    data: { interested, agreesToBuy: true, talkingToVendors: true, occurredAt: day(21) },
  };
}

/** An assessment with these marks for us (and, for COMPETE/WIN, a rival marked all `?`). */
export function assessmentSubmitted(kind: AssessmentKind, marks: Mark[], options: { revision?: number; at?: string } = {}): DealEventOf<'AssessmentSubmitted'> {
  const catalogue = DEFAULT_PLAYBOOK.assessments.find((a) => a.kind === kind)!;
  const competitors = catalogue.scoresCompetitors ? ['Rival Soft'] : [];
  const rule = { minPositive: DEFAULT_PLAYBOOK.settings.assessmentVerdict.minPositive, of: catalogue.criteria.length };
  const counts = countMarks(marks);
  const rivalCounts = countMarks(marks.map(() => '?'));
  return {
    type: 'AssessmentSubmitted',
    data: {
      kind,
      revision: options.revision ?? 1,
      competitors,
      criteria: catalogue.criteria.map((c, i) => ({
        criterionId: c.id,
        us: { mark: marks[i] },
        competitors: competitors.map((competitor) => ({ competitor, mark: '?' as const })),
      })),
      verdict: verdictOf(counts, rule),
      counts,
      rule,
      competitorResults: competitors.map((competitor) => ({ competitor, ...rivalCounts, verdict: verdictOf(rivalCounts, rule) })),
      occurredAt: options.at ?? day(30),
      playbookVersion: VERSION,
    },
  };
}

export const POSITIVE: Mark[] = ['+', '+', '+', '+', '-'];
export const NEGATIVE: Mark[] = ['+', '+', '+', '-', '-'];

export function projectInitiationRecorded(): DealEventOf<'ProjectInitiationRecorded'> {
  return {
    type: 'ProjectInitiationRecorded',
    data: {
      customerProjectOwner: { name: 'Zhao Min', title: 'General manager', personId: 'p-zhao' },
      customerProjectTeam: [{ name: 'Wang Lei', department: 'Production' }],
      preliminaryBudget: { amount: 500000, currency: 'CNY' },
      requirementsClear: true,
      occurredAt: day(31),
    },
  };
}

export function timetableRecorded(datedMilestone: string | null = 'RFP_ISSUED'): DealEventOf<'ProcurementTimetableRecorded'> {
  return {
    type: 'ProcurementTimetableRecorded',
    data: {
      milestones: DEFAULT_PLAYBOOK.procurementMilestones.map((m) => ({
        milestoneId: m.id,
        responsible: m.id === datedMilestone ? 'IT department' : null,
        date: m.id === datedMilestone ? '2026-03-15' : null,
      })),
      occurredAt: day(32),
      playbookVersion: VERSION,
    },
  };
}

export function stakeholderIdentified(personId: string, name: string, roles: BuyingRole[]): DealEventOf<'StakeholderIdentified'> {
  return {
    type: 'StakeholderIdentified',
    data: { personId, name, title: 'Manager', department: 'Management', roles, occurredAt: day(40) },
  };
}

export function quoteSubmitted(kind: 'PRELIMINARY' | 'FORMAL' = 'PRELIMINARY', quoteId = 'Q-1'): DealEventOf<'QuoteSubmitted'> {
  return { type: 'QuoteSubmitted', data: { quoteId, kind, amount: 470000, currency: 'CNY', occurredAt: day(45) } };
}

/** Default: 60 %, closing 30 April 2026 (59 days after SPEC_NOW). */
export function forecastUpdated(probability = 60, expectedCloseDate = '2026-04-30'): DealEventOf<'ForecastUpdated'> {
  return { type: 'ForecastUpdated', data: { probability, expectedCloseDate, occurredAt: day(50) } };
}

export const NEGOTIATION_CONDITION_IDS = DEFAULT_PLAYBOOK.negotiationConditions.map((c) => c.id);

export function conditionConfirmed(conditionId: string): DealEventOf<'NegotiationConditionConfirmed'> {
  return { type: 'NegotiationConditionConfirmed', data: { conditionId, occurredAt: day(55), playbookVersion: VERSION } };
}

export function contractSigned(): DealEventOf<'ContractSigned'> {
  return { type: 'ContractSigned', data: { contractNumber: 'C-2026-017', amount: 470000, currency: 'CNY', occurredAt: day(57) } };
}

export function paymentConfirmed(): DealEventOf<'PaymentConfirmed'> {
  return { type: 'PaymentConfirmed', data: { amount: 141000, currency: 'CNY', confirmedBy: 'finance-fay', occurredAt: day(58) } };
}

export function shipmentRecorded(): DealEventOf<'ShipmentRecorded'> {
  return { type: 'ShipmentRecorded', data: { shipmentId: 'S-1', occurredAt: day(59) } };
}

/** The same event, dated at another business time. */
export function datedAt<E extends DealEvent>(event: E, occurredAt: string): E {
  return { ...event, data: { ...event.data, occurredAt } };
}

export function roleWithdrawn(personId: string, role: BuyingRole, at: string): DealEventOf<'StakeholderRoleWithdrawn'> {
  return { type: 'StakeholderRoleWithdrawn', data: { personId, role, occurredAt: at } };
}

/** The facts each gate of the default playbook wants, by the stage the gate lets a deal enter. */
export const GATE_FACTS: Record<Exclude<Stage, 'TARGET'>, DealEvent[]> = {
  POTENTIAL: [visitRecorded(), profileRecorded()],
  INTENT: [problemAnalyzed(), interestRecorded()],
  PROJECT: [assessmentSubmitted('REAL', POSITIVE), projectInitiationRecorded(), timetableRecorded()],
  APPROVED: [
    assessmentSubmitted('WORTH', POSITIVE),
    assessmentSubmitted('COMPETE', POSITIVE),
    assessmentSubmitted('WIN', POSITIVE),
    stakeholderIdentified('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER']),
    stakeholderIdentified('p-wang', 'Wang Lei', ['COACH', 'USER']),
    quoteSubmitted(),
    forecastUpdated(),
  ],
  NEGOTIATION: NEGOTIATION_CONDITION_IDS.map(conditionConfirmed),
  WON: [contractSigned(), paymentConfirmed(), shipmentRecorded()],
};

/** A StageAdvanced through the gate, as decide records it. */
export function stageAdvanced(from: Stage, to: Stage, at: string, extra: Partial<DealEventOf<'StageAdvanced'>['data']> = {}): DealEventOf<'StageAdvanced'> {
  return { type: 'StageAdvanced', data: { from, to, skipped: stagesBetween(from, to), occurredAt: at, playbookVersion: VERSION, ...extra } };
}

const STAGE_DAYS: Record<Stage, number> = { TARGET: 5, POTENTIAL: 14, INTENT: 22, PROJECT: 33, APPROVED: 52, NEGOTIATION: 56, WON: 60 };

/**
 * A deal opened and walked through every gate up to `stage`, each stage entered the day after
 * its facts: the given-events of a deal that honestly reached `stage`.
 */
export function dealIn(stage: Stage): DealEvent[] {
  const events: DealEvent[] = [dealOpened()];
  let current: Stage = 'TARGET';
  for (const next of stagesBetween('TARGET', stage).concat(stage === 'TARGET' ? [] : [stage])) {
    events.push(...GATE_FACTS[next as Exclude<Stage, 'TARGET'>], stageAdvanced(current, next, day(STAGE_DAYS[next])));
    current = next;
  }
  return events;
}

/** When the last stage change of `dealIn(stage)` happened. */
export function enteredAt(stage: Stage): string {
  return stage === 'TARGET' ? OPENED_AT : day(STAGE_DAYS[stage]);
}
