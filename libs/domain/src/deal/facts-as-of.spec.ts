/** A deal's facts as they stood at an instant: what a backdated stage change is judged on. */
import { DealEvent } from './deal.events';
import { foldDeal } from './deal.evolve';
import { DealFacts } from './deal.state';
import { factsAsOf } from './facts-as-of';
import { NEGATIVE, OPENED_AT, VERSION, assessmentSubmitted, datedAt, day, dealIn, forecastUpdated, roleWithdrawn } from '../testing/deal-fixtures';
import { SPEC_NOW } from '../testing/decider-specification';

const more: DealEvent[] = [
  assessmentSubmitted('REAL', NEGATIVE, { revision: 2, at: day(40) }),
  roleWithdrawn('p-wang', 'COACH', day(53)),
  datedAt(forecastUpdated(20), day(20)),
  { type: 'EvaluationCriteriaRecorded', data: { categories: [{ categoryId: 'TECHNOLOGY', criterion: 'fit', weight: 40 }], occurredAt: day(35), playbookVersion: VERSION } },
  { type: 'SwotRecorded', data: { strengths: ['local team'], weaknesses: [], opportunities: [], threats: [], occurredAt: day(36) } },
  { type: 'CompetitorRecorded', data: { name: 'Rival Soft', strategy: 'price', occurredAt: day(36) } },
  { type: 'StageActionCompleted', data: { stage: 'WON', actionId: 'WON.HANDOVER', occurredAt: day(60), playbookVersion: VERSION } },
];
const deal = foldDeal([...dealIn('WON'), ...more]) as DealFacts;

describe('the facts of a deal as of an instant', () => {
  it('are the current facts once every fact is dated by then, including facts recorded out of business order', () => {
    expect(factsAsOf(deal, SPEC_NOW)).toEqual(deal);
  });

  it('are none of the recorded facts before any was dated', () => {
    expect(factsAsOf(deal, new Date(OPENED_AT))).toMatchObject({
      visits: [],
      profile: undefined,
      problems: [],
      projectInitiation: {},
      assessments: {},
      stakeholders: [],
      procurementTimetable: undefined,
      evaluationCriteria: undefined,
      swot: undefined,
      competitors: [],
      quotes: [],
      forecast: undefined,
      negotiationConditions: [],
      completedActions: [],
      contract: undefined,
      payments: [],
      shipments: [],
    });
  });

  it('keep the version of each fact current then, in recorded order among those dated by then', () => {
    const asOf = factsAsOf(deal, new Date(day(52)));
    expect(asOf.assessments.REAL).toMatchObject({ revision: 2, verdict: 'NEGATIVE' });
    expect(asOf.stakeholders.find((s) => s.personId === 'p-wang')?.roles).toEqual(['COACH', 'USER']);
    // recorded last but dated 20 January: as of 21 February it is the latest recorded so dated
    expect(asOf.forecast).toMatchObject({ probability: 20 });
    expect(factsAsOf(deal, new Date(day(54))).stakeholders.find((s) => s.personId === 'p-wang')?.roles).toEqual(['USER']);
  });
});
