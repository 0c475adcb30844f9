import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { dealTimelineProjection } from '@funnel/read-models/deal-timeline/deal-timeline.projection';
import { startReadModelHarness, ReadModelHarness } from './support/read-model-harness';
import { appendFixedHistory, DEAL_A, DEAL_B } from './support/fixed-history';

const MOVES = `SELECT deal_id, revision::int AS revision, kind, occurred_at, from_stage, to_stage, skipped, playbook_version, unmet, owner, team, region, amount::float8 AS amount, currency
                 FROM rm.stage_moves ORDER BY deal_id, revision`;
const at = (iso: string) => new Date(iso);

describe('deal timeline projection → rm.stage_moves, rm.forecast_updates', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
    await appendFixedHistory(h.append);
    await h.project([dealTimelineProjection]);
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps every stage change with the owner at the move, the playbook version and what an override left unmet', async () => {
    const a = (await h.rows<Record<string, unknown>>(MOVES)).filter((r) => r.deal_id === DEAL_A);
    expect(a.map((r) => [r.kind, r.from_stage, r.to_stage, r.owner, r.team])).toEqual([
      ['opened', null, 'TARGET', 'rep-ann', 'north'],
      ['advanced', 'TARGET', 'POTENTIAL', 'rep-ann', 'north'],
      ['advanced', 'POTENTIAL', 'INTENT', 'rep-ann', 'north'],
      ['regressed', 'INTENT', 'POTENTIAL', 'rep-ann', 'north'],
      // Reassigned to rep-bo (south) on 02-05.
      ['advanced', 'POTENTIAL', 'INTENT', 'rep-bo', 'south'],
      ['advanced', 'INTENT', 'APPROVED', 'rep-bo', 'south'],
      ['advanced', 'APPROVED', 'NEGOTIATION', 'rep-bo', 'south'],
      ['advanced', 'NEGOTIATION', 'WON', 'rep-bo', 'south'],
    ]);
    const override = a.find((r) => r.to_stage === 'APPROVED')!;
    expect(override).toMatchObject({ skipped: ['PROJECT'], unmet: ['APPROVED.GATE'], playbook_version: 'default/1', occurred_at: at('2025-03-01T09:00:00Z') });
    expect(a.filter((r) => r.unmet !== null)).toHaveLength(1);
    expect(a[0]).toMatchObject({ region: 'EMEA', amount: 100000, currency: 'EUR' });
    const b = (await h.rows<Record<string, unknown>>(MOVES)).filter((r) => r.deal_id === DEAL_B);
    expect(b.map((r) => [r.kind, r.from_stage, r.to_stage])).toEqual([
      ['opened', null, 'TARGET'],
      ['advanced', 'TARGET', 'POTENTIAL'],
      ['lost', 'POTENTIAL', 'LOST'],
      ['reopened', 'LOST', 'POTENTIAL'],
    ]);
  });

  it('keeps every forecast with the rep who made it', async () => {
    const forecasts = await h.rows(`SELECT deal_id, occurred_at, probability, expected_close_date::text AS close, owner FROM rm.forecast_updates ORDER BY deal_id, revision`);
    expect(forecasts).toEqual([
      { deal_id: DEAL_A, occurred_at: at('2025-02-11T09:00:00Z'), probability: 40, close: '2025-06-30', owner: 'rep-bo' },
      { deal_id: DEAL_A, occurred_at: at('2025-03-20T09:00:00Z'), probability: 80, close: '2025-04-15', owner: 'rep-bo' },
      { deal_id: DEAL_B, occurred_at: at('2025-03-02T12:00:00Z'), probability: 30, close: '2025-09-30', owner: 'rep-cy' },
    ]);
  });

  it('records when the store recorded each event — the knownAt axis — beside when it happened', async () => {
    const stream = await h.store.readStream(dealStreamId(DEAL_A));
    const recorded = new Map(stream.map((e) => [Number(e.revision), e.recordedAt.toISOString()]));
    const rows = await h.rows<{ revision: number; recorded_at: Date; occurred_at: Date }>(
      `SELECT revision::int AS revision, recorded_at, occurred_at FROM rm.stage_moves WHERE deal_id = $1 UNION ALL
       SELECT revision::int, recorded_at, occurred_at FROM rm.forecast_updates WHERE deal_id = $1 ORDER BY revision`,
      [DEAL_A],
    );
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.recorded_at.toISOString()).toBe(recorded.get(r.revision));
      // This history was written today about 2025: recorded long after it happened.
      expect(r.recorded_at.getTime()).toBeGreaterThan(r.occurred_at.getTime());
    }
  });
});
