import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { startReadModelHarness, ReadModelHarness } from './support/read-model-harness';
import { DEAL_A, DEAL_B, DEAL_C, dealA, dealBReopened, dealBUntilLost, dealC } from './support/fixed-history';

const SUMMARY = `
  SELECT deal_id, account_name, industry, region, account_size, owner, team, stage, status,
         amount::text AS amount, currency, probability, expected_close_date::text AS expected_close_date,
         weighted_amount::text AS weighted_amount, opened_at, entered_stage_at, last_activity_at, closed_at,
         lost_reason, lost_competitor, override_count, regression_count
    FROM rm.deal_summary WHERE deal_id = $1`;

const at = (iso: string) => new Date(iso);

describe('deal_summary projection → rm.deal_summary', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('sums up a won deal: new owner, last forecast, one override, one regression', async () => {
    for (const event of dealA.events) await h.append(DEAL_A, [event]);
    await h.project([dealSummaryProjection]);
    expect(await h.rows(SUMMARY, [DEAL_A])).toEqual([
      {
        deal_id: DEAL_A,
        account_name: 'Nordwind Steel',
        industry: 'manufacturing',
        region: 'EMEA',
        account_size: '200-500 employees',
        owner: 'rep-bo',
        team: 'south',
        stage: 'WON',
        status: 'won',
        amount: '100000.00',
        currency: 'EUR',
        probability: 80,
        expected_close_date: '2025-04-15',
        weighted_amount: '80000.00',
        opened_at: at('2025-01-01T09:00:00Z'),
        entered_stage_at: at('2025-04-01T09:00:00Z'),
        last_activity_at: at('2025-04-01T09:00:00Z'),
        closed_at: at('2025-04-01T09:00:00Z'),
        lost_reason: null,
        lost_competitor: null,
        override_count: 1,
        regression_count: 1,
      },
    ]);
  });

  it('shows a lost deal with the stage it was lost from, and clears the loss when it is reopened', async () => {
    for (const event of dealBUntilLost.events) await h.append(DEAL_B, [event]);
    await h.project([dealSummaryProjection]);
    expect(await h.rows(SUMMARY, [DEAL_B])).toEqual([
      expect.objectContaining({
        stage: 'POTENTIAL',
        status: 'lost',
        entered_stage_at: at('2025-01-15T09:00:00Z'),
        closed_at: at('2025-02-01T12:00:00Z'),
        last_activity_at: at('2025-02-01T12:00:00Z'),
        lost_reason: 'price',
        lost_competitor: 'Globex',
        probability: null,
        weighted_amount: '0.00',
      }),
    ]);

    for (const event of dealBReopened.events) await h.append(DEAL_B, [event]);
    await h.project([dealSummaryProjection]);
    expect(await h.rows(SUMMARY, [DEAL_B])).toEqual([
      expect.objectContaining({
        owner: 'rep-cy',
        stage: 'POTENTIAL',
        status: 'open',
        entered_stage_at: at('2025-03-01T12:00:00Z'),
        last_activity_at: at('2025-03-02T12:00:00Z'),
        closed_at: null,
        lost_reason: null,
        lost_competitor: null,
        probability: 30,
        expected_close_date: '2025-09-30',
        weighted_amount: '12000.00',
        override_count: 0,
        regression_count: 0,
      }),
    ]);
  });

  it('counts any event as activity and keeps cents exact', async () => {
    for (const event of dealC.events) await h.append(DEAL_C, [event]);
    await h.project([dealSummaryProjection]);
    expect(await h.rows(SUMMARY, [DEAL_C])).toEqual([
      expect.objectContaining({
        stage: 'TARGET',
        status: 'open',
        amount: '5000.50',
        currency: 'CNY',
        account_size: null,
        opened_at: at('2025-02-01T08:00:00Z'),
        entered_stage_at: at('2025-02-01T08:00:00Z'),
        last_activity_at: at('2025-02-02T09:00:00Z'),
        weighted_amount: '0.00',
      }),
    ]);
  });

  it('keeps the latest business time as last activity when an event is recorded late', async () => {
    await h.append(DEAL_C, [
      { type: 'StakeholderIdentified', data: { personId: 'p-1', name: 'Wei Zhang', title: 'CIO', department: 'IT', roles: ['ECONOMIC_BUYER'], occurredAt: '2025-02-01T20:00:00.000Z' } },
    ]);
    await h.project([dealSummaryProjection]);
    const [row] = await h.rows<{ last_activity_at: Date }>(SUMMARY, [DEAL_C]);
    expect(row.last_activity_at).toEqual(at('2025-02-02T09:00:00Z'));
  });

  it('ignores events of a deal that was never opened', async () => {
    const orphan = 'dddddddd-0000-4000-8000-000000000004';
    await h.append(orphan, [{ type: 'ForecastUpdated', data: { probability: 50, expectedCloseDate: '2025-05-01', occurredAt: '2025-01-01T00:00:00.000Z' } }]);
    await h.project([dealSummaryProjection]);
    expect(await h.rows(SUMMARY, [orphan])).toEqual([]);
    expect(await h.rows(`SELECT count(*)::int AS n FROM rm.deal_summary`)).toEqual([{ n: 3 }]);
  });
});
