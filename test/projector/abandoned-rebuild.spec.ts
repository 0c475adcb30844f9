import { Client } from 'pg';
import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { FeedLagMeter } from '@funnel/read-models/projection/feed-lag';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';

/**
 * A rebuild killed mid-way leaves its `building` generation behind (issue #7, defect 12): the
 * list shows it as abandoned, and the next start of the projector clears it away.
 */
describe('a rebuild killed mid-way', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const list = () => new ProjectionStatusQuery(h.pool, new FeedLagMeter(h.store, h.pool)).list();
  const schemas = async () => (await h.rows<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_deal\\_summary%' ORDER BY 1`)).map((r) => r.nspname);

  it('shows its generation as abandoned, not building, and the next start drops it', async () => {
    await h.project([dealSummaryProjection]);
    // The "rebuild process": its own connection holds the new generation's writer lock.
    const rebuild = new Client({ connectionString: h.db.url });
    await rebuild.connect();
    await new GenerationRegistry(h.pool).startBuilding(rebuild as never, dealSummaryProjection);
    expect((await list()).map((s) => [s.name, s.generation, s.status])).toEqual([['deal_summary', 1, 'live'], ['deal_summary', 2, 'building']]);

    // kill -9: the connection goes away with its locks, the registry row stays.
    await rebuild.end();
    expect((await list()).map((s) => [s.name, s.generation, s.status])).toEqual([['deal_summary', 1, 'live'], ['deal_summary', 2, 'abandoned']]);
    expect(await schemas()).toEqual(['rm_deal_summary_g1', 'rm_deal_summary_g2']);

    await h.project([dealSummaryProjection]);
    expect((await list()).map((s) => [s.name, s.generation, s.status])).toEqual([['deal_summary', 1, 'live']]);
    expect(await schemas()).toEqual(['rm_deal_summary_g1']);
  });
});
