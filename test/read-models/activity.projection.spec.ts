import { activityProjection } from '@funnel/read-models/activity/activity.projection';
import { startReadModelHarness, ReadModelHarness } from './support/read-model-harness';
import { appendFixedHistory, DEAL_A, DEAL_C } from './support/fixed-history';
import { story } from './support/deal-story';

const VISITS = `SELECT deal_id, visit_id, owner, team, occurred_at, reviewed FROM rm.visits ORDER BY deal_id, visit_id`;
const at = (iso: string) => new Date(iso);

describe('activity projection → rm.visits', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists every visit with the owner of the deal when it was recorded and whether it was reviewed', async () => {
    await appendFixedHistory(h.append);
    await h.project([activityProjection]);
    expect(await h.rows(VISITS)).toEqual([
      { deal_id: DEAL_A, visit_id: 'v-1', owner: 'rep-ann', team: 'north', occurred_at: at('2025-01-03T10:00:00Z'), reviewed: true },
      { deal_id: DEAL_A, visit_id: 'v-2', owner: 'rep-bo', team: 'south', occurred_at: at('2025-03-05T09:00:00Z'), reviewed: true },
      { deal_id: DEAL_C, visit_id: 'v-1', owner: 'rep-ann', team: 'north', occurred_at: at('2025-02-02T09:00:00Z'), reviewed: false },
    ]);
  });

  it('replaces a visit recorded again under the same id, review included, in one batch or across batches', async () => {
    const dealId = 'eeeeeeee-0000-4000-8000-000000000005';
    const s = story(dealId).opened('2025-05-01T09:00:00.000Z').visit('2025-05-02T09:00:00.000Z', 'v-1');
    await h.append(dealId, s.events);
    await h.project([activityProjection]);
    await h.append(dealId, story(dealId).visitReviewed('2025-05-03T09:00:00.000Z', 'v-1').visit('2025-05-04T09:00:00.000Z', 'v-1').events);
    await h.project([activityProjection]);
    expect(await h.rows(`SELECT occurred_at, reviewed FROM rm.visits WHERE deal_id = $1`, [dealId])).toEqual([
      { occurred_at: at('2025-05-04T09:00:00Z'), reviewed: false },
    ]);
    await h.append(dealId, story(dealId).visitReviewed('2025-05-05T09:00:00.000Z', 'v-1').visitReviewed('2025-05-05T10:00:00.000Z', 'v-unknown').events);
    await h.project([activityProjection]);
    expect(await h.rows(`SELECT visit_id, reviewed FROM rm.visits WHERE deal_id = $1`, [dealId])).toEqual([{ visit_id: 'v-1', reviewed: true }]);
  });
});
