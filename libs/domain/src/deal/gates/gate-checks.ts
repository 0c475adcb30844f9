/**
 * How each kind of gate check reads a deal's recorded facts. A failed check says, in words a
 * salesperson understands, what is missing; the criterion's own words come from the playbook.
 */
import { GateCheck, Playbook, buyingRoleDefinition, stageDefinition } from '../../playbook/playbook';
import { DealFacts, Problem } from '../deal.state';

export type CheckOutcome = { met: true } | { met: false; detail: string };

const MET: CheckOutcome = { met: true };
const unmet = (detail: string): CheckOutcome => ({ met: false, detail });

const DAY_MS = 24 * 60 * 60 * 1000;

export function runCheck(check: GateCheck, deal: DealFacts, playbook: Playbook, now: Date): CheckOutcome {
  switch (check.kind) {
    case 'VISIT_REVIEWED':
      if (deal.visits.some((v) => v.review)) return MET;
      return unmet(deal.visits.length === 0 ? 'no visit recorded yet' : `${deal.visits.length} visit(s) recorded, none reviewed yet`);
    case 'PROFILE_CHARACTERISTICS_ANSWERED': {
      if (!deal.profile) return unmet('no customer profile recorded yet');
      const answered = new Set(deal.profile.characteristics.filter((c) => c.answer !== 'UNKNOWN').map((c) => c.characteristicId));
      const open = (stageDefinition(playbook, 'POTENTIAL')?.characteristics ?? []).filter((c) => !answered.has(c.id));
      return open.length === 0 ? MET : unmet(`not answered: ${open.map((c) => c.en).join('; ')}`);
    }
    case 'PROBLEM_ANALYSED':
      if (deal.problems.some(isFullyAnalysed)) return MET;
      return unmet(
        deal.problems.length === 0
          ? 'no problem analysed yet'
          : `${deal.problems.length} problem(s) recorded, none with all four parts`,
      );
    case 'CUSTOMER_INTERESTED':
      if (!deal.interest) return unmet('not recorded yet');
      return deal.interest.interested ? MET : unmet('the customer is recorded as not interested');
    case 'ASSESSMENT_POSITIVE': {
      const assessment = deal.assessments[check.assessment];
      if (!assessment) return unmet('not submitted yet');
      if (assessment.verdict === 'POSITIVE') return MET;
      return unmet(
        `the verdict is negative (${assessment.counts.plus} of ${assessment.rule.of} positive, ${assessment.rule.minPositive} needed)`,
      );
    }
    case 'ASSESSMENT_SUBMITTED':
      return deal.assessments[check.assessment] ? MET : unmet('not submitted yet');
    case 'CUSTOMER_PROJECT_OWNER': {
      const { customerProjectOwner, customerProjectTeam } = deal.projectInitiation;
      return customerProjectOwner || (customerProjectTeam?.length ?? 0) > 0 ? MET : unmet('not recorded yet');
    }
    case 'PRELIMINARY_BUDGET':
      return deal.projectInitiation.preliminaryBudget ? MET : unmet('not recorded yet');
    case 'PROCUREMENT_TIMETABLE':
      if (!deal.procurementTimetable) return unmet('no procurement timetable recorded yet');
      return deal.procurementTimetable.some((m) => m.date) ? MET : unmet('no milestone has a date yet');
    case 'BUYING_ROLE_FILLED': {
      const needed = Math.max(1, buyingRoleDefinition(playbook, check.role)?.count.min ?? 1);
      const holders = deal.stakeholders.filter((s) => s.roles.includes(check.role)).length;
      return holders >= needed ? MET : unmet(holders === 0 ? 'nobody identified yet' : `${holders} identified, ${needed} needed`);
    }
    case 'QUOTE_SUBMITTED':
      return deal.quotes.length > 0 ? MET : unmet('no quote submitted yet');
    case 'FORECAST_PROBABILITY': {
      if (!deal.forecast) return unmet('no forecast yet');
      const { minProbabilityExclusive } = playbook.settings.approvedGate;
      return deal.forecast.probability > minProbabilityExclusive
        ? MET
        : unmet(`the forecast probability is ${deal.forecast.probability}%`);
    }
    case 'EXPECTED_CLOSE_WITHIN': {
      if (!deal.forecast) return unmet('no forecast yet');
      const { maxDaysToExpectedClose } = playbook.settings.approvedGate;
      const days = daysFrom(now, deal.forecast.expectedCloseDate);
      if (days < 0) return unmet(`the expected close date ${deal.forecast.expectedCloseDate} has passed`);
      return days <= maxDaysToExpectedClose
        ? MET
        : unmet(`the expected close date ${deal.forecast.expectedCloseDate} is ${days} days away`);
    }
    case 'NEGOTIATION_CONDITION_CONFIRMED':
      return deal.negotiationConditions.includes(check.conditionId) ? MET : unmet('not confirmed yet');
    case 'CONTRACT_SIGNED':
      return deal.contract ? MET : unmet('not signed yet');
    case 'PAYMENT_CONFIRMED':
      return deal.payments.length > 0 ? MET : unmet('no payment confirmed by finance yet');
    case 'ORDER_SHIPPED':
      return deal.shipments.length > 0 ? MET : unmet('nothing shipped yet');
    default: {
      const _: never = check;
      return unmet(`no check is defined for ${JSON.stringify(_)}`);
    }
  }
}

/**
 * How to say that a check was not met as of a stage change's instant although later-dated facts
 * meet it: "<missing> by <instant>; <first> is dated <when>".
 */
export const AS_OF_WORDS: Record<GateCheck['kind'], { missing: string; first: string }> = {
  VISIT_REVIEWED: { missing: 'no visit reviewed', first: 'the first review' },
  PROFILE_CHARACTERISTICS_ANSWERED: { missing: 'not every characteristic answered', first: 'the profile answering them' },
  PROBLEM_ANALYSED: { missing: 'no problem analysed in all four parts', first: 'the first full analysis' },
  CUSTOMER_INTERESTED: { missing: 'no interest recorded', first: 'the record of interest' },
  ASSESSMENT_POSITIVE: { missing: 'no positive assessment', first: 'the positive assessment' },
  ASSESSMENT_SUBMITTED: { missing: 'no assessment submitted', first: 'the first assessment' },
  CUSTOMER_PROJECT_OWNER: { missing: 'no customer project owner or team recorded', first: 'the record of them' },
  PRELIMINARY_BUDGET: { missing: 'no preliminary budget recorded', first: 'the record of the budget' },
  PROCUREMENT_TIMETABLE: { missing: 'no procurement timetable with a dated milestone', first: 'the timetable with one' },
  BUYING_ROLE_FILLED: { missing: 'not identified', first: 'the identification' },
  QUOTE_SUBMITTED: { missing: 'no quote submitted', first: 'the first quote' },
  FORECAST_PROBABILITY: { missing: 'no forecast with enough probability', first: 'the forecast with enough' },
  EXPECTED_CLOSE_WITHIN: { missing: 'no forecast closing in time', first: 'the forecast closing in time' },
  NEGOTIATION_CONDITION_CONFIRMED: { missing: 'not confirmed', first: 'the confirmation' },
  CONTRACT_SIGNED: { missing: 'not signed', first: 'the signature' },
  PAYMENT_CONFIRMED: { missing: 'no payment confirmed', first: 'the first confirmed payment' },
  ORDER_SHIPPED: { missing: 'nothing shipped', first: 'the first shipment' },
};

export function isFullyAnalysed(problem: Problem): boolean {
  return [problem.currentState, problem.difficulty, problem.impact, problem.benefit].every((part) => !!part?.trim());
}

/** Whole calendar days (UTC) from `now` to a YYYY-MM-DD date; negative when it has passed. */
function daysFrom(now: Date, date: string): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}
