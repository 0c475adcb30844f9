/**
 * Each gate of the default playbook, through AdvanceStage: a deal enters a stage only when the
 * facts of that stage's gate are recorded, and a refusal lists every unmet criterion.
 */
import { AdvanceStage } from '../deal.commands';
import { DealEvent } from '../deal.events';
import { Stage } from '../../playbook/stage';
import {
  GATE_FACTS,
  REVIEW,
  NEGATIVE,
  NEGOTIATION_CONDITION_IDS,
  POSITIVE,
  assessmentSubmitted,
  dealIn,
  dealOpened,
  forecastUpdated,
  interestRecorded,
  problemAnalyzed,
  profileRecorded,
  quoteSubmitted,
  stageAdvanced,
  timetableRecorded,
  visitRecorded,
  conditionConfirmed,
  contractSigned,
  paymentConfirmed,
  shipmentRecorded,
  day,
} from '../../testing/deal-fixtures';
import { SPEC_NOW, given } from '../../testing/decider-specification';

const advanceTo = (to: Stage, occurredAt?: string): AdvanceStage => ({ type: 'AdvanceStage', data: { to, ...(occurredAt && { occurredAt }) } });
const without = (events: DealEvent[], type: DealEvent['type']) => events.filter((e) => e.type !== type);
const now = SPEC_NOW.toISOString();

describe('the POTENTIAL gate', () => {
  it('lets a deal in once a visit is reviewed and the three characteristics are answered', () => {
    given([dealOpened(), ...GATE_FACTS.POTENTIAL])
      .when(advanceTo('POTENTIAL'))
      .then([stageAdvanced('TARGET', 'POTENTIAL', now)]);
  });

  it('keeps a deal out before any visit or profile, listing both', () => {
    const refusal = given([dealOpened()])
      .when(advanceTo('POTENTIAL'))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
    expect(refusal.unmet[0].message).toBe('At least one customer visit recorded with its review: no visit recorded yet');
  });

  it('does not count a visit whose review is missing', () => {
    const refusal = given([dealOpened(), visitRecorded({ review: null }), profileRecorded()])
      .when(advanceTo('POTENTIAL'))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED']);
    expect(refusal.unmet[0].message).toContain('1 visit(s) recorded, none reviewed yet');
  });

  it('counts a review added to an earlier visit', () => {
    const reviewed: DealEvent = { type: 'VisitReviewed', data: { visitId: 'visit-1', review: REVIEW, occurredAt: day(13) } };
    given([dealOpened(), visitRecorded({ review: null }), reviewed, profileRecorded()])
      .when(advanceTo('POTENTIAL'))
      .then([stageAdvanced('TARGET', 'POTENTIAL', now)]);
  });

  it('wants every characteristic answered: "unknown" is not an answer, "no" is', () => {
    const refusal = given([dealOpened(), visitRecorded(), profileRecorded(['YES', 'UNKNOWN', 'NO'])])
      .when(advanceTo('POTENTIAL'))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.PROFILE_CHARACTERISTICS']);
    expect(refusal.unmet[0].message).toContain('not answered: Good economic performance');
    expect(refusal.unmet[0].message).not.toContain('Has a management need');
  });
});

describe('the INTENT gate', () => {
  const inPotential = dealIn('POTENTIAL');

  it('lets a deal in once a problem is analysed and interest recorded', () => {
    given([...inPotential, ...GATE_FACTS.INTENT]).when(advanceTo('INTENT')).then([stageAdvanced('POTENTIAL', 'INTENT', now)]);
  });

  it('keeps a deal out before a problem is analysed and interest recorded', () => {
    given(inPotential).when(advanceTo('INTENT')).thenThrows('GATE_NOT_MET', ['INTENT.PROBLEM_ANALYSED', 'INTENT.CUSTOMER_INTEREST']);
  });

  it('does not count a problem analysed without the benefit after improvement', () => {
    given([...inPotential, problemAnalyzed({ benefit: undefined }), interestRecorded()])
      .when(advanceTo('INTENT'))
      .thenThrows('GATE_NOT_MET', ['INTENT.PROBLEM_ANALYSED']);
  });

  it('counts the problem once its last part is analysed', () => {
    given([...inPotential, problemAnalyzed({ impact: '' }), problemAnalyzed({ occurredAt: day(21) }), interestRecorded()])
      .when(advanceTo('INTENT'))
      .then([stageAdvanced('POTENTIAL', 'INTENT', now)]);
  });

  it('does not let in a customer recorded as not interested', () => {
    const refusal = given([...inPotential, problemAnalyzed(), interestRecorded(false)])
      .when(advanceTo('INTENT'))
      .thenThrows('GATE_NOT_MET', ['INTENT.CUSTOMER_INTEREST']);
    expect(refusal.unmet[0].message).toContain('not interested');
  });
});

describe('the PROJECT gate', () => {
  const inIntent = dealIn('INTENT');

  it('lets a deal in with a positive "is it real?", a customer project owner, a budget and a timetable', () => {
    given([...inIntent, ...GATE_FACTS.PROJECT]).when(advanceTo('PROJECT')).then([stageAdvanced('INTENT', 'PROJECT', now)]);
  });

  it('keeps a deal out before any of them, listing all four', () => {
    given(inIntent)
      .when(advanceTo('PROJECT'))
      .thenThrows('GATE_NOT_MET', ['PROJECT.REAL_POSITIVE', 'PROJECT.CUSTOMER_PROJECT_OWNER', 'PROJECT.PRELIMINARY_BUDGET', 'PROJECT.TIMETABLE']);
  });

  it('does not let in an opportunity judged not real', () => {
    const refusal = given([...inIntent, assessmentSubmitted('REAL', NEGATIVE), ...GATE_FACTS.PROJECT.slice(1)])
      .when(advanceTo('PROJECT'))
      .thenThrows('GATE_NOT_MET', ['PROJECT.REAL_POSITIVE']);
    expect(refusal.unmet[0].message).toContain('negative (3 of 5 positive, 4 needed)');
  });

  it('reads the latest "is it real?" assessment, which supersedes the earlier one', () => {
    given([...inIntent, ...GATE_FACTS.PROJECT, assessmentSubmitted('REAL', NEGATIVE, { revision: 2, at: day(32) })])
      .when(advanceTo('PROJECT'))
      .thenThrows('GATE_NOT_MET', ['PROJECT.REAL_POSITIVE']);
  });

  it('wants a timetable with at least one dated milestone', () => {
    given([...inIntent, ...without(GATE_FACTS.PROJECT, 'ProcurementTimetableRecorded'), timetableRecorded(null)])
      .when(advanceTo('PROJECT'))
      .thenThrows('GATE_NOT_MET', ['PROJECT.TIMETABLE']);
  });

  it('accepts a customer project team without a named owner', () => {
    const teamOnly: DealEvent = { type: 'ProjectInitiationRecorded', data: { customerProjectTeam: [{ name: 'Wang Lei' }], preliminaryBudget: { amount: 1, currency: 'CNY' }, occurredAt: day(31) } };
    given([...inIntent, assessmentSubmitted('REAL', POSITIVE), teamOnly, timetableRecorded()])
      .when(advanceTo('PROJECT'))
      .then([stageAdvanced('INTENT', 'PROJECT', now)]);
  });

  it('wants the preliminary budget even when the owner is known', () => {
    const ownerOnly: DealEvent = { type: 'ProjectInitiationRecorded', data: { customerProjectOwner: { name: 'Zhao Min' }, occurredAt: day(31) } };
    given([...inIntent, assessmentSubmitted('REAL', POSITIVE), ownerOnly, timetableRecorded()])
      .when(advanceTo('PROJECT'))
      .thenThrows('GATE_NOT_MET', ['PROJECT.PRELIMINARY_BUDGET']);
  });
});

describe('the APPROVED gate', () => {
  const inProject = dealIn('PROJECT');
  const facts = GATE_FACTS.APPROVED;

  it('lets a deal in with all eight facts', () => {
    given([...inProject, ...facts]).when(advanceTo('APPROVED')).then([stageAdvanced('PROJECT', 'APPROVED', now)]);
  });

  it('keeps a deal out before any of them, listing all eight', () => {
    given(inProject)
      .when(advanceTo('APPROVED'))
      .thenThrows('GATE_NOT_MET', [
        'APPROVED.WORTH_POSITIVE',
        'APPROVED.COMPETE_SUBMITTED',
        'APPROVED.WIN_SUBMITTED',
        'APPROVED.ECONOMIC_BUYER_IDENTIFIED',
        'APPROVED.COACH_IDENTIFIED',
        'APPROVED.PRELIMINARY_QUOTE',
        'APPROVED.FORECAST_PROBABILITY',
        'APPROVED.CLOSE_WITHIN_90_DAYS',
      ]);
  });

  it('does not let in a deal not worth winning', () => {
    given([...inProject, ...facts, assessmentSubmitted('WORTH', NEGATIVE, { revision: 2, at: day(51) })])
      .when(advanceTo('APPROVED'))
      .thenThrows('GATE_NOT_MET', ['APPROVED.WORTH_POSITIVE']);
  });

  it('wants "can we compete?" and "can we really win?" submitted, whatever their verdicts', () => {
    const sober = [assessmentSubmitted('COMPETE', ['-', '-', '?', '+', '-'], { revision: 2, at: day(51) }), assessmentSubmitted('WIN', NEGATIVE, { revision: 2, at: day(51) })];
    given([...inProject, ...facts, ...sober]).when(advanceTo('APPROVED')).then([stageAdvanced('PROJECT', 'APPROVED', now)]);
  });

  it('wants the economic buyer identified and still active', () => {
    const withdrawn: DealEvent = { type: 'StakeholderRoleWithdrawn', data: { personId: 'p-zhao', role: 'ECONOMIC_BUYER', reason: 'retired', occurredAt: day(51) } };
    given([...inProject, ...facts, withdrawn]).when(advanceTo('APPROVED')).thenThrows('GATE_NOT_MET', ['APPROVED.ECONOMIC_BUYER_IDENTIFIED']);
  });

  it('wants at least one coach', () => {
    const noCoach = without(facts, 'StakeholderIdentified').concat(facts.filter((e) => e.type === 'StakeholderIdentified').slice(0, 1));
    given([...inProject, ...noCoach]).when(advanceTo('APPROVED')).thenThrows('GATE_NOT_MET', ['APPROVED.COACH_IDENTIFIED']);
  });

  it('wants a preliminary quote, and a formal one will do', () => {
    given([...inProject, ...without(facts, 'QuoteSubmitted')]).when(advanceTo('APPROVED')).thenThrows('GATE_NOT_MET', ['APPROVED.PRELIMINARY_QUOTE']);
    given([...inProject, ...without(facts, 'QuoteSubmitted'), quoteSubmitted('FORMAL')])
      .when(advanceTo('APPROVED'))
      .then([stageAdvanced('PROJECT', 'APPROVED', now)]);
  });

  it('wants a probability above 50%: 50 is not enough, 51 is', () => {
    const refusal = given([...inProject, ...facts, forecastUpdated(50)])
      .when(advanceTo('APPROVED'))
      .thenThrows('GATE_NOT_MET', ['APPROVED.FORECAST_PROBABILITY']);
    expect(refusal.unmet[0].message).toContain('the forecast probability is 50%');
    given([...inProject, ...facts, forecastUpdated(51)]).when(advanceTo('APPROVED')).then([stageAdvanced('PROJECT', 'APPROVED', now)]);
  });

  it('wants the expected close at most 90 days after the stage change: 90 is fine, 91 is not', () => {
    // the stage change is on 2 March 2026: 90 days later is 31 May
    given([...inProject, ...facts, forecastUpdated(60, '2026-05-31')]).when(advanceTo('APPROVED')).then([stageAdvanced('PROJECT', 'APPROVED', now)]);
    const refusal = given([...inProject, ...facts, forecastUpdated(60, '2026-06-01')])
      .when(advanceTo('APPROVED'))
      .thenThrows('GATE_NOT_MET', ['APPROVED.CLOSE_WITHIN_90_DAYS']);
    expect(refusal.unmet[0].message).toContain('is 91 days away');
  });

  it('counts the 90 days from the occurredAt of the stage change, not from today', () => {
    // recorded today, but it happened on 25 February: 31 May is then 95 days away
    given([...inProject, ...facts, forecastUpdated(60, '2026-05-31')])
      .when(advanceTo('APPROVED', '2026-02-25T10:00:00.000Z'))
      .thenThrows('GATE_NOT_MET', ['APPROVED.CLOSE_WITHIN_90_DAYS']);
  });

  it('does not accept an expected close date that has passed', () => {
    const refusal = given([...inProject, ...facts, forecastUpdated(80, '2026-02-27')])
      .when(advanceTo('APPROVED'))
      .thenThrows('GATE_NOT_MET', ['APPROVED.CLOSE_WITHIN_90_DAYS']);
    expect(refusal.unmet[0].message).toContain('has passed');
  });
});

describe('the NEGOTIATION gate', () => {
  const inApproved = dealIn('APPROVED');

  it('lets a deal in once all seven entry conditions are confirmed', () => {
    given([...inApproved, ...GATE_FACTS.NEGOTIATION]).when(advanceTo('NEGOTIATION')).then([stageAdvanced('APPROVED', 'NEGOTIATION', now)]);
  });

  it('keeps a deal out before the conditions are confirmed, listing all seven', () => {
    given(inApproved)
      .when(advanceTo('NEGOTIATION'))
      .thenThrows('GATE_NOT_MET', NEGOTIATION_CONDITION_IDS.map((id) => `NEGOTIATION.${id}`));
  });

  it('names the one condition still missing', () => {
    const six = NEGOTIATION_CONDITION_IDS.filter((id) => id !== 'MAJOR_RISKS_RESOLVED').map(conditionConfirmed);
    const refusal = given([...inApproved, ...six]).when(advanceTo('NEGOTIATION')).thenThrows('GATE_NOT_MET', ['NEGOTIATION.MAJOR_RISKS_RESOLVED']);
    expect(refusal.unmet[0].message).toBe("The customer's major risk concerns are resolved: not confirmed yet");
  });
});

describe('the WON gate', () => {
  const inNegotiation = dealIn('NEGOTIATION');

  it('closes a deal signed, paid (confirmed by finance) and shipped', () => {
    given([...inNegotiation, ...GATE_FACTS.WON]).when(advanceTo('WON')).then([stageAdvanced('NEGOTIATION', 'WON', now)]);
  });

  it('keeps a deal open before any of the three facts', () => {
    given(inNegotiation).when(advanceTo('WON')).thenThrows('GATE_NOT_MET', ['WON.CONTRACT_SIGNED', 'WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
  });

  it('does not close a deal on signing alone: signing is not closing', () => {
    given([...inNegotiation, contractSigned()]).when(advanceTo('WON')).thenThrows('GATE_NOT_MET', ['WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
  });

  it('does not close a deal paid but not shipped', () => {
    given([...inNegotiation, contractSigned(), paymentConfirmed()]).when(advanceTo('WON')).thenThrows('GATE_NOT_MET', ['WON.ORDER_SHIPPED']);
    given([...inNegotiation, paymentConfirmed(), shipmentRecorded()]).when(advanceTo('WON')).thenThrows('GATE_NOT_MET', ['WON.CONTRACT_SIGNED']);
  });
});
