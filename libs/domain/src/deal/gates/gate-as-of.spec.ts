/**
 * A gate is judged as of the stage change: a stage change dated in the past counts only the
 * facts dated at or before it, each in its last version so dated. A deal cannot have entered a
 * stage before the facts that let it in.
 */
import { AdvanceStage } from '../deal.commands';
import { DealEvent } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { dealView } from '../deal.view';
import { DEFAULT_PLAYBOOK } from '../../playbook/default-playbook';
import { Stage } from '../../playbook/stage';
import {
  GATE_FACTS,
  NEGATIVE,
  NEGOTIATION_CONDITION_IDS,
  POSITIVE,
  REVIEW,
  assessmentSubmitted,
  conditionConfirmed,
  contractSigned,
  datedAt,
  day,
  dealIn,
  dealOpened,
  forecastUpdated,
  interestRecorded,
  problemAnalyzed,
  profileRecorded,
  projectInitiationRecorded,
  quoteSubmitted,
  roleWithdrawn,
  stageAdvanced,
  stakeholderIdentified,
  timetableRecorded,
  visitRecorded,
} from '../../testing/deal-fixtures';
import { MANAGER, SPEC_NOW, given } from '../../testing/decider-specification';

const advanceTo = (to: Stage, occurredAt?: string, data: Partial<AdvanceStage['data']> = {}): AdvanceStage => ({
  type: 'AdvanceStage',
  data: { to, ...(occurredAt && { occurredAt }), ...data },
});
const reviewed = (at: string): DealEvent => ({ type: 'VisitReviewed', data: { visitId: 'visit-1', review: REVIEW, occurredAt: at } });
const now = SPEC_NOW.toISOString();
const minutesFromNow = (minutes: number) => new Date(SPEC_NOW.getTime() + minutes * 60_000).toISOString();

describe('a backdated stage change into POTENTIAL', () => {
  it('does not count a visit reviewed after it, and says when the review is dated', () => {
    const refusal = given([dealOpened(), visitRecorded({ at: day(20) }), profileRecorded()])
      .when(advanceTo('POTENTIAL', day(15)))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED']);
    expect(refusal.unmet[0].message).toBe(
      'At least one customer visit recorded with its review: no visit reviewed by 2026-01-15; the first review is dated 2026-01-20',
    );
  });

  it('does not count a review added after it to a visit made before it', () => {
    given([dealOpened(), visitRecorded({ review: null }), reviewed(day(20)), profileRecorded()])
      .when(advanceTo('POTENTIAL', day(15)))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED']);
  });

  it('counts a visit reviewed before it, even if reviewed again after it', () => {
    given([dealOpened(), visitRecorded(), profileRecorded(), reviewed(day(20))])
      .when(advanceTo('POTENTIAL', day(15)))
      .then([stageAdvanced('TARGET', 'POTENTIAL', day(15))]);
  });

  it('does not count a profile recorded after it', () => {
    given([dealOpened(), visitRecorded(), datedAt(profileRecorded(), day(20))])
      .when(advanceTo('POTENTIAL', day(15)))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.PROFILE_CHARACTERISTICS']);
  });

  it('reads the profile as it stood then: a later one superseding it does not count', () => {
    const refusal = given([dealOpened(), visitRecorded(), profileRecorded(['YES', 'UNKNOWN', 'YES']), datedAt(profileRecorded(), day(20))])
      .when(advanceTo('POTENTIAL', day(15)))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.PROFILE_CHARACTERISTICS']);
    expect(refusal.unmet[0].message).toContain('not every characteristic answered by 2026-01-15; the profile answering them is dated 2026-01-20');
    given([dealOpened(), visitRecorded(), profileRecorded(), datedAt(profileRecorded(['YES', 'UNKNOWN', 'YES']), day(20))])
      .when(advanceTo('POTENTIAL', day(15)))
      .then([stageAdvanced('TARGET', 'POTENTIAL', day(15))]);
  });

  it('counts a fact dated exactly at the instant of the stage change', () => {
    given([dealOpened(), visitRecorded({ at: day(13) }), profileRecorded()])
      .when(advanceTo('POTENTIAL', day(13)))
      .then([stageAdvanced('TARGET', 'POTENTIAL', day(13))]);
  });

  it('names both instants when the fact is dated later the same day', () => {
    const refusal = given([dealOpened(), visitRecorded({ at: day(15) }), profileRecorded()])
      .when(advanceTo('POTENTIAL', '2026-01-15T09:00:00.000Z'))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED']);
    expect(refusal.unmet[0].message).toContain('no visit reviewed by 2026-01-15T09:00:00.000Z; the first review is dated 2026-01-15T10:00:00.000Z');
  });

  it('keeps the usual words for a criterion no recorded fact meets', () => {
    const refusal = given([dealOpened(), visitRecorded({ at: day(20) })])
      .when(advanceTo('POTENTIAL', day(15)))
      .thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
    expect(refusal.unmet[1].message).toBe('A customer profile with the three potential-customer characteristics answered: no customer profile recorded yet');
  });

  it('lets a manager override it, recording what was unmet as of the stage change', () => {
    given([dealOpened(), visitRecorded({ at: day(20) }), profileRecorded()])
      .when(advanceTo('POTENTIAL', day(15), { override: { reason: 'the visit was on 15 January, notes came later' } }), { actor: MANAGER })
      .then([
        stageAdvanced('TARGET', 'POTENTIAL', day(15), {
          override: {
            by: 'manager-mia',
            reason: 'the visit was on 15 January, notes came later',
            unmetAtOverride: [
              {
                code: 'POTENTIAL.VISIT_REVIEWED',
                message: 'At least one customer visit recorded with its review: no visit reviewed by 2026-01-15; the first review is dated 2026-01-20',
              },
            ],
          },
        }),
      ]);
  });
});

describe('a stage change that is not backdated', () => {
  const aheadBySkew = [dealOpened(), visitRecorded({ at: minutesFromNow(2) }), profileRecorded()];

  it('counts every recorded fact, even one dated a little ahead within the clock skew', () => {
    given(aheadBySkew).when(advanceTo('POTENTIAL')).then([stageAdvanced('TARGET', 'POTENTIAL', now)]);
    given(aheadBySkew).when(advanceTo('POTENTIAL', now)).then([stageAdvanced('TARGET', 'POTENTIAL', now)]);
  });

  it('but a minute backdated, counts only what is dated by then', () => {
    given(aheadBySkew).when(advanceTo('POTENTIAL', minutesFromNow(-1))).thenThrows('GATE_NOT_MET', ['POTENTIAL.VISIT_REVIEWED']);
  });

  it('is what the deal view shows as the next gate', () => {
    expect(dealView(foldDeal(aheadBySkew), DEFAULT_PLAYBOOK, SPEC_NOW)!.nextGate).toEqual({ stage: 'POTENTIAL', met: true, unmet: [] });
  });
});

describe('a backdated stage change into INTENT', () => {
  const inPotential = dealIn('POTENTIAL'); // entered on 14 January

  it('does not count a problem analysed after it', () => {
    given([...inPotential, problemAnalyzed({ occurredAt: day(20) }), datedAt(interestRecorded(), day(16))])
      .when(advanceTo('INTENT', day(18)))
      .thenThrows('GATE_NOT_MET', ['INTENT.PROBLEM_ANALYSED']);
  });

  it('does not count the last part of a problem analysed after it', () => {
    const refusal = given([...inPotential, problemAnalyzed({ impact: '', occurredAt: day(16) }), problemAnalyzed({ occurredAt: day(20) }), datedAt(interestRecorded(), day(16))])
      .when(advanceTo('INTENT', day(18)))
      .thenThrows('GATE_NOT_MET', ['INTENT.PROBLEM_ANALYSED']);
    expect(refusal.unmet[0].message).toContain('no problem analysed in all four parts by 2026-01-18; the first full analysis is dated 2026-01-20');
  });

  it('reads the interest recorded by then, not a later one', () => {
    const problem = problemAnalyzed({ occurredAt: day(16) });
    given([...inPotential, problem, datedAt(interestRecorded(false), day(16)), datedAt(interestRecorded(true), day(20))])
      .when(advanceTo('INTENT', day(18)))
      .thenThrows('GATE_NOT_MET', ['INTENT.CUSTOMER_INTEREST']);
    given([...inPotential, problem, datedAt(interestRecorded(true), day(16)), datedAt(interestRecorded(false), day(20))])
      .when(advanceTo('INTENT', day(18)))
      .then([stageAdvanced('POTENTIAL', 'INTENT', day(18))]);
  });
});

describe('a backdated stage change into PROJECT', () => {
  const inIntent = dealIn('INTENT'); // entered on 22 January
  const initiation = datedAt(projectInitiationRecorded(), day(25));
  const timetable = datedAt(timetableRecorded(), day(25));

  it('does not count an "is it real?" assessment submitted after it', () => {
    given([...inIntent, assessmentSubmitted('REAL', POSITIVE, { at: day(30) }), initiation, timetable])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.REAL_POSITIVE']);
  });

  it('reads the "is it real?" assessment current then', () => {
    const refusal = given([...inIntent, assessmentSubmitted('REAL', NEGATIVE, { at: day(25) }), assessmentSubmitted('REAL', POSITIVE, { revision: 2, at: day(30) }), initiation, timetable])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.REAL_POSITIVE']);
    expect(refusal.unmet[0].message).toContain('no positive assessment by 2026-01-28; the positive assessment is dated 2026-01-30');
    given([...inIntent, assessmentSubmitted('REAL', POSITIVE, { at: day(25) }), assessmentSubmitted('REAL', NEGATIVE, { revision: 2, at: day(30) }), initiation, timetable])
      .when(advanceTo('PROJECT', day(28)))
      .then([stageAdvanced('INTENT', 'PROJECT', day(28))]);
  });

  it('does not count the project initiation recorded after it', () => {
    given([...inIntent, assessmentSubmitted('REAL', POSITIVE, { at: day(25) }), datedAt(projectInitiationRecorded(), day(30)), timetable])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.CUSTOMER_PROJECT_OWNER', 'PROJECT.PRELIMINARY_BUDGET']);
  });

  it('does not count a budget added after it to an owner recorded before it', () => {
    const owner: DealEvent = { type: 'ProjectInitiationRecorded', data: { customerProjectOwner: { name: 'Zhao Min' }, occurredAt: day(25) } };
    const budget: DealEvent = { type: 'ProjectInitiationRecorded', data: { preliminaryBudget: { amount: 500000, currency: 'CNY' }, occurredAt: day(30) } };
    const refusal = given([...inIntent, assessmentSubmitted('REAL', POSITIVE, { at: day(25) }), owner, budget, timetable])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.PRELIMINARY_BUDGET']);
    expect(refusal.unmet[0].message).toContain('no preliminary budget recorded by 2026-01-28; the record of the budget is dated 2026-01-30');
  });

  it('does not count a timetable dated after it, nor a milestone dated in a later timetable', () => {
    const real = assessmentSubmitted('REAL', POSITIVE, { at: day(25) });
    given([...inIntent, real, initiation, datedAt(timetableRecorded(), day(30))])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.TIMETABLE']);
    given([...inIntent, real, initiation, datedAt(timetableRecorded(null), day(25)), datedAt(timetableRecorded(), day(30))])
      .when(advanceTo('PROJECT', day(28)))
      .thenThrows('GATE_NOT_MET', ['PROJECT.TIMETABLE']);
  });
});

describe('a backdated stage change into APPROVED', () => {
  const inProject = dealIn('PROJECT'); // entered on 2 February
  const at = day(46); // 15 February
  const later = day(48);
  const worth = assessmentSubmitted('WORTH', POSITIVE, { at: day(35) });
  const compete = assessmentSubmitted('COMPETE', POSITIVE, { at: day(35) });
  const win = assessmentSubmitted('WIN', POSITIVE, { at: day(35) });
  const buyer = stakeholderIdentified('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER']);
  const coach = stakeholderIdentified('p-wang', 'Wang Lei', ['COACH', 'USER']);
  const quote = quoteSubmitted();
  const forecast = datedAt(forecastUpdated(), day(45));
  const facts = { worth, compete, win, buyer, coach, quote, forecast };
  const withFacts = (changes: Partial<typeof facts> = {}, extra: DealEvent[] = []) => [...inProject, ...Object.values({ ...facts, ...changes }), ...extra];

  it('lets a deal in when all eight facts are dated by then', () => {
    given(withFacts()).when(advanceTo('APPROVED', at)).then([stageAdvanced('PROJECT', 'APPROVED', at)]);
  });

  it('does not count a "worth winning?" assessment submitted after it, nor one turned positive after it', () => {
    given(withFacts({ worth: datedAt(worth, later) })).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.WORTH_POSITIVE']);
    given(withFacts({ worth: assessmentSubmitted('WORTH', NEGATIVE, { at: day(35) }) }, [assessmentSubmitted('WORTH', POSITIVE, { revision: 2, at: later })]))
      .when(advanceTo('APPROVED', at))
      .thenThrows('GATE_NOT_MET', ['APPROVED.WORTH_POSITIVE']);
  });

  it('does not count "can we compete?" or "can we really win?" submitted after it', () => {
    given(withFacts({ compete: datedAt(compete, later) })).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.COMPETE_SUBMITTED']);
    const refusal = given(withFacts({ win: datedAt(win, later) })).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.WIN_SUBMITTED']);
    expect(refusal.unmet[0].message).toContain('no assessment submitted by 2026-02-15; the first assessment is dated 2026-02-17');
  });

  it('does not count an economic buyer identified after it', () => {
    given(withFacts({ buyer: datedAt(buyer, later) })).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.ECONOMIC_BUYER_IDENTIFIED']);
  });

  it('does not count a coach whose role was withdrawn before it, but does one withdrawn after it', () => {
    given(withFacts({}, [roleWithdrawn('p-wang', 'COACH', day(44))])).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.COACH_IDENTIFIED']);
    given(withFacts({}, [roleWithdrawn('p-wang', 'COACH', later)])).when(advanceTo('APPROVED', at)).then([stageAdvanced('PROJECT', 'APPROVED', at)]);
  });

  it('does not count a coach identified again only after it', () => {
    const again = datedAt(stakeholderIdentified('p-wang', 'Wang Lei', ['COACH']), later);
    given(withFacts({}, [roleWithdrawn('p-wang', 'COACH', day(44)), again])).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.COACH_IDENTIFIED']);
  });

  it('does not count a preliminary quote submitted after it', () => {
    given(withFacts({ quote: datedAt(quote, later) })).when(advanceTo('APPROVED', at)).thenThrows('GATE_NOT_MET', ['APPROVED.PRELIMINARY_QUOTE']);
  });

  it('reads the forecast current then: one superseded after it still counts, one made after it does not', () => {
    given(withFacts({}, [datedAt(forecastUpdated(30), later)])).when(advanceTo('APPROVED', at)).then([stageAdvanced('PROJECT', 'APPROVED', at)]);
    given(withFacts({ forecast: datedAt(forecastUpdated(30), day(40)) }, [datedAt(forecastUpdated(60), later)]))
      .when(advanceTo('APPROVED', at))
      .thenThrows('GATE_NOT_MET', ['APPROVED.FORECAST_PROBABILITY']);
    given(withFacts({ forecast: datedAt(forecastUpdated(60, '2026-09-30'), day(40)) }, [datedAt(forecastUpdated(60), later)]))
      .when(advanceTo('APPROVED', at))
      .thenThrows('GATE_NOT_MET', ['APPROVED.CLOSE_WITHIN_90_DAYS']);
  });
});

describe('a backdated stage change into NEGOTIATION', () => {
  it('does not count a condition confirmed after it', () => {
    const six = NEGOTIATION_CONDITION_IDS.filter((id) => id !== 'MAJOR_RISKS_RESOLVED').map(conditionConfirmed);
    const refusal = given([...dealIn('APPROVED'), ...six, datedAt(conditionConfirmed('MAJOR_RISKS_RESOLVED'), day(58))])
      .when(advanceTo('NEGOTIATION', day(56)))
      .thenThrows('GATE_NOT_MET', ['NEGOTIATION.MAJOR_RISKS_RESOLVED']);
    expect(refusal.unmet[0].message).toBe(
      "The customer's major risk concerns are resolved: not confirmed by 2026-02-25; the confirmation is dated 2026-02-27",
    );
  });
});

describe('a backdated stage change into WON', () => {
  const inNegotiation = dealIn('NEGOTIATION'); // signed 26, paid 27, shipped 28 February

  it('does not count a payment or a shipment dated after it', () => {
    given([...inNegotiation, ...GATE_FACTS.WON]).when(advanceTo('WON', day(58))).thenThrows('GATE_NOT_MET', ['WON.ORDER_SHIPPED']);
    given([...inNegotiation, ...GATE_FACTS.WON]).when(advanceTo('WON', day(57))).thenThrows('GATE_NOT_MET', ['WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
    given([...inNegotiation, ...GATE_FACTS.WON]).when(advanceTo('WON', day(59))).then([stageAdvanced('NEGOTIATION', 'WON', day(59))]);
  });

  it('does not count a contract signed after it', () => {
    given([...inNegotiation, datedAt(contractSigned(), day(59)), ...GATE_FACTS.WON.slice(1)])
      .when(advanceTo('WON', day(58)))
      .thenThrows('GATE_NOT_MET', ['WON.CONTRACT_SIGNED', 'WON.ORDER_SHIPPED']);
  });

  it('lets no override date a win before its facts', () => {
    given([...inNegotiation, ...GATE_FACTS.WON])
      .when(advanceTo('WON', day(58), { override: { reason: 'shipped in all but paperwork' } }), { actor: MANAGER })
      .thenThrows('WON_REQUIRES_FACTS', ['WON.ORDER_SHIPPED']);
  });
});
