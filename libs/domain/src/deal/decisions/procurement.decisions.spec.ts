/** The buying process: timetable, evaluation criteria, SWOT, competitors. */
import { DealEventOf } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { OpenDealState } from '../deal.state';
import { dealOpened } from '../../testing/deal-fixtures';
import { SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();

describe('recording the procurement timetable', () => {
  it('lays out all thirteen milestones, the unknown ones empty', () => {
    const [event] = given([dealOpened()])
      .when({ type: 'RecordProcurementTimetable', data: { milestones: [{ milestoneId: 'RFP_ISSUED', responsible: 'IT department', date: '2026-03-15' }, { milestoneId: 'SIGNING', date: '2026-05-20' }] } })
      .events() as DealEventOf<'ProcurementTimetableRecorded'>[];
    expect(event.data.milestones).toHaveLength(13);
    expect(event.data.milestones[4]).toEqual({ milestoneId: 'RFP_ISSUED', responsible: 'IT department', date: '2026-03-15' });
    expect(event.data.milestones[9]).toEqual({ milestoneId: 'SIGNING', responsible: null, date: '2026-05-20' });
    expect(event.data.milestones[0]).toEqual({ milestoneId: 'PROJECT_TEAM_SET_UP', responsible: null, date: null });
    expect(event.data.playbookVersion).toBe('2026.1');
  });

  it('knows only the playbook milestones', () => {
    given([dealOpened()]).when({ type: 'RecordProcurementTimetable', data: { milestones: [{ milestoneId: 'GOLF_OUTING', date: '2026-03-15' }] } }).thenThrows('UNKNOWN_MILESTONE');
  });

  it('wants real dates', () => {
    given([dealOpened()]).when({ type: 'RecordProcurementTimetable', data: { milestones: [{ milestoneId: 'SIGNING', date: '2026-02-30' }] } }).thenThrows('INVALID_COMMAND');
  });
});

describe('recording the evaluation criteria', () => {
  it('covers all eleven categories with criterion and weight', () => {
    const [event] = given([dealOpened()])
      .when({ type: 'RecordEvaluationCriteria', data: { categories: [{ categoryId: 'TECHNOLOGY', criterion: 'runs on our cloud', weight: 30 }] } })
      .events() as DealEventOf<'EvaluationCriteriaRecorded'>[];
    expect(event.data.categories).toHaveLength(11);
    expect(event.data.categories[0]).toEqual({ categoryId: 'TECHNOLOGY', criterion: 'runs on our cloud', weight: 30 });
    expect(event.data.categories[10]).toEqual({ categoryId: 'OTHER', criterion: null, weight: null });
  });

  it('knows only the playbook categories', () => {
    given([dealOpened()]).when({ type: 'RecordEvaluationCriteria', data: { categories: [{ categoryId: 'VIBES', weight: 10 }] } }).thenThrows('UNKNOWN_EVALUATION_CATEGORY');
  });

  it('weighs in percent', () => {
    given([dealOpened()]).when({ type: 'RecordEvaluationCriteria', data: { categories: [{ categoryId: 'QUALITY', weight: 130 }] } }).thenThrows('INVALID_COMMAND');
  });
});

describe('SWOT and competitors', () => {
  it('records our SWOT', () => {
    const swot = { strengths: ['local service team'], weaknesses: ['no reference in castings'], opportunities: ['new plant'], threats: ['Rival Soft discounting'] };
    given([dealOpened()]).when({ type: 'RecordSwot', data: swot }).then([{ type: 'SwotRecorded', data: { ...swot, occurredAt: now } }]);
  });

  it('records a competitor, a later record of the same name replacing it', () => {
    given([dealOpened()])
      .when({ type: 'RecordCompetitor', data: { name: 'Rival Soft', strategy: 'price' } })
      .then([{ type: 'CompetitorRecorded', data: { name: 'Rival Soft', strategy: 'price', occurredAt: now } }]);
    const state = foldDeal([
      dealOpened(),
      { type: 'CompetitorRecorded', data: { name: 'Rival Soft', strategy: 'price', occurredAt: now } },
      { type: 'CompetitorRecorded', data: { name: 'Rival Soft', strategy: 'relationships', occurredAt: now } },
    ]) as OpenDealState;
    expect(state.competitors).toEqual([{ name: 'Rival Soft', strategy: 'relationships' }]);
  });

  it('names the competitor', () => {
    given([dealOpened()]).when({ type: 'RecordCompetitor', data: { name: '' } }).thenThrows('INVALID_COMMAND');
  });
});
