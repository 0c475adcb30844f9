/** What we learn about the customer: visits, profile, problems, interest, project initiation. */
import { DealCommand, DealCommandData } from '../deal.commands';
import { DealEvent } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { OpenDealState } from '../deal.state';
import { PREPARATION, REVIEW, dealOpened, problemAnalyzed, visitRecorded } from '../../testing/deal-fixtures';
import { SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();
const open = (events: DealEvent[]) => foldDeal(events) as OpenDealState;

describe('recording a visit', () => {
  it('records its preparation and, when given, its review', () => {
    given([dealOpened()])
      .when({ type: 'RecordVisit', data: { visitId: 'visit-1', preparation: PREPARATION, review: REVIEW, occurredAt: '2026-01-12T10:00:00Z' } })
      .then([visitRecorded({ at: '2026-01-12T10:00:00.000Z' })]);
  });

  it('may come without a review', () => {
    given([dealOpened()])
      .when({ type: 'RecordVisit', data: { visitId: 'visit-2', preparation: PREPARATION } })
      .then([{ type: 'VisitRecorded', data: { visitId: 'visit-2', preparation: PREPARATION, occurredAt: now } }]);
  });

  it('is recorded once per visit id', () => {
    given([dealOpened(), visitRecorded()]).when({ type: 'RecordVisit', data: { visitId: 'visit-1', preparation: PREPARATION } }).thenThrows('VISIT_ALREADY_RECORDED');
  });

  it('needs the appointment date and purpose', () => {
    given([dealOpened()]).when({ type: 'RecordVisit', data: { visitId: 'v', preparation: { ...PREPARATION, purpose: '' } } }).thenThrows('INVALID_COMMAND');
    given([dealOpened()]).when({ type: 'RecordVisit', data: { visitId: 'v', preparation: { ...PREPARATION, date: 'soon' } } }).thenThrows('INVALID_COMMAND');
  });
});

describe('reviewing an earlier visit', () => {
  const unreviewed = [dealOpened(), visitRecorded({ review: null })];

  it('adds the review to the visit', () => {
    given(unreviewed)
      .when({ type: 'ReviewVisit', data: { visitId: 'visit-1', review: REVIEW } })
      .then([{ type: 'VisitReviewed', data: { visitId: 'visit-1', review: REVIEW, occurredAt: now } }]);
    const state = open([...unreviewed, { type: 'VisitReviewed', data: { visitId: 'visit-1', review: REVIEW, occurredAt: now } }]);
    expect(state.visits[0]).toMatchObject({ visitId: 'visit-1', review: REVIEW, reviewedAt: now });
  });

  it('is refused for a visit that was never recorded', () => {
    given(unreviewed).when({ type: 'ReviewVisit', data: { visitId: 'visit-9', review: REVIEW } }).thenThrows('VISIT_NOT_FOUND');
  });

  it('happens once', () => {
    given([dealOpened(), visitRecorded()]).when({ type: 'ReviewVisit', data: { visitId: 'visit-1', review: REVIEW } }).thenThrows('VISIT_ALREADY_REVIEWED');
  });
});

describe('recording the customer profile', () => {
  const profile: DealCommandData<'RecordCustomerProfile'> = {
    characteristics: [
      { characteristicId: 'POTENTIAL.MANAGEMENT_NEED', answer: 'YES', comment: 'planning chaos' },
      { characteristicId: 'POTENTIAL.GOOD_ECONOMIC_PERFORMANCE', answer: 'YES' },
      { characteristicId: 'POTENTIAL.NO_SYSTEM_OR_POOR_RESULTS', answer: 'NO' },
    ],
    organisationChart: { people: [{ personId: 'p-zhao', name: 'Zhao Min', title: 'General manager', department: 'Management' }] },
  };

  it('answers the potential-customer characteristics and draws the organisation chart', () => {
    given([dealOpened()]).when({ type: 'RecordCustomerProfile', data: profile }).then([{ type: 'CustomerProfileRecorded', data: { ...profile, occurredAt: now } }]);
  });

  it('answers only characteristics the playbook knows', () => {
    given([dealOpened()])
      .when({ type: 'RecordCustomerProfile', data: { ...profile, characteristics: [{ characteristicId: 'POTENTIAL.LIKES_GOLF', answer: 'YES' }] } })
      .thenThrows('UNKNOWN_CHARACTERISTIC');
  });
});

describe('analysing a problem', () => {
  const analysis: DealCommandData<'AnalyzeProblem'> = {
    currentState: 'Inventory counted by hand',
    difficulty: 'Counts are wrong',
    impact: 'Stock-outs stop the line',
    benefit: 'Fewer stoppages',
    dimension: 'TECHNICAL',
    visibility: 'LATENT',
  };

  it('numbers a new problem', () => {
    given([dealOpened(), problemAnalyzed()])
      .when({ type: 'AnalyzeProblem', data: analysis })
      .then([{ type: 'ProblemAnalyzed', data: { problemId: 'P-2', ...analysis, occurredAt: now } }]);
  });

  it('completes an earlier analysis under the same problem id', () => {
    const events = [dealOpened(), problemAnalyzed({ benefit: undefined }), problemAnalyzed({ benefit: 'Fewer late orders' })];
    expect(open(events).problems).toEqual([expect.objectContaining({ problemId: 'P-1', benefit: 'Fewer late orders' })]);
  });

  it('starts from the current state, in one of the three need dimensions', () => {
    given([dealOpened()]).when({ type: 'AnalyzeProblem', data: { ...analysis, currentState: '' } }).thenThrows('INVALID_COMMAND');
    given([dealOpened()])
      .when({ type: 'AnalyzeProblem', data: { ...analysis, dimension: 'EMOTIONAL' as DealCommandData<'AnalyzeProblem'>['dimension'] } })
      .thenThrows('INVALID_COMMAND');
  });
});

describe("recording the customer's interest", () => {
  it('records whether the customer is interested, agrees to buy rather than build, and talks to vendors', () => {
    given([dealOpened()])
      .when({ type: 'RecordCustomerInterest', data: { interested: true, agreesToBuy: false, talkingToVendors: true, comment: 'still weighing in-house build' } })
      .then([
        {
          type: 'CustomerInterestRecorded',
          data: { interested: true, agreesToBuy: false, talkingToVendors: true, comment: 'still weighing in-house build', occurredAt: now },
        },
      ]);
  });
});

describe('recording project initiation', () => {
  it("records the customer's project owner and preliminary budget", () => {
    const data = { customerProjectOwner: { name: 'Zhao Min' }, preliminaryBudget: { amount: 500000, currency: 'CNY' } };
    given([dealOpened()]).when({ type: 'RecordProjectInitiation', data }).then([{ type: 'ProjectInitiationRecorded', data: { ...data, occurredAt: now } }]);
  });

  it('keeps earlier facts that a later record does not mention', () => {
    const events: DealEvent[] = [
      dealOpened(),
      { type: 'ProjectInitiationRecorded', data: { customerProjectOwner: { name: 'Zhao Min' }, occurredAt: now } },
      { type: 'ProjectInitiationRecorded', data: { preliminaryBudget: { amount: 1, currency: 'CNY' }, occurredAt: now } },
    ];
    expect(open(events).projectInitiation).toEqual({ customerProjectOwner: { name: 'Zhao Min' }, preliminaryBudget: { amount: 1, currency: 'CNY' } });
  });

  it('must record something', () => {
    const empty: DealCommand = { type: 'RecordProjectInitiation', data: {} };
    given([dealOpened()]).when(empty).thenThrows('INVALID_COMMAND');
  });

  it('needs a budget in an ISO currency', () => {
    given([dealOpened()])
      .when({ type: 'RecordProjectInitiation', data: { preliminaryBudget: { amount: 5, currency: 'rmb' } } })
      .thenThrows('INVALID_COMMAND');
  });
});
