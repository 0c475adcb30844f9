import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { FeedLagMeter } from '@funnel/read-models/projection/feed-lag';
import { Projection, Sql } from '@funnel/read-models/projection/projection';
import { ProjectionStatus, ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';

/**
 * A projection that cannot apply a batch must neither skip it (the read model would then differ
 * from a rebuild) nor fail silently: it retries from its checkpoint, and its status says that it
 * is failing, since when and why, until a batch commits again.
 */
describe('a failing projection is visible to operators', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** The live generation's status; undefined until the runner has created it. */
  async function statusOf(name: string): Promise<ProjectionStatus | undefined> {
    const all = await new ProjectionStatusQuery(h.pool, new FeedLagMeter(h.store, h.pool)).list();
    return all.find((s) => s.name === name && s.status === 'live');
  }

  async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('reports the failure while it lasts, holds its checkpoint, and clears the report once a batch commits', async () => {
    const deals = [...generateDealHistories({ deals: 20, seed: 7 })];
    const written = await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 100 });
    const fault = { on: true };
    const faulty: Projection = {
      ...dealSummaryProjection,
      apply: async (sql: Sql, events: readonly RecordedEvent[]) => {
        if (fault.on) throw new Error('read model column too small for this amount');
        await dealSummaryProjection.apply(sql, events);
      },
    };
    h.startRunners([faulty], { batchSize: 1000 });

    const failing = await until(() => statusOf('deal_summary'), (s) => (s?.failing?.attempts ?? 0) >= 2);
    if (!failing) throw new Error('the runner never created a live generation');
    expect(failing.failing).toMatchObject({ lastError: 'read model column too small for this amount' });
    expect(failing.failing!.attempts).toBeGreaterThanOrEqual(2);
    expect(Date.parse(failing.failing!.since)).toBeLessThanOrEqual(Date.now());
    expect(failing.position).toBe('start');
    expect(failing.eventsProcessed).toBe(0);

    fault.on = false;
    const healed = await until(() => statusOf('deal_summary'), (s) => s?.failing === null && s?.eventsProcessed === written, 30_000);
    expect(healed?.failing).toBeNull();
    expect(healed?.eventsProcessed).toBe(written);
    expect(await h.rows(`SELECT count(*)::int AS n FROM rm.deal_summary`)).toEqual([{ n: 20 }]);
  }, 60_000);
});
