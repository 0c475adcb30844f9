import { PoolClient } from 'pg';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { writeGeneration } from '@funnel/read-models/projection/generation-writer';
import { Projection, Sql } from '@funnel/read-models/projection/projection';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { stageHistoryProjection } from '@funnel/read-models/stage-history/stage-history.projection';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { ReadModelSnapshot, snapshotReadModels } from '../read-models/support/read-model-snapshot';

/** The projection as it is, except that `sabotage` runs after its writes on the chosen batches. */
function withSabotage(projection: Projection, onBatches: number[], sabotage: (sql: Sql) => Promise<void>) {
  let batches = 0;
  const sabotaged = { count: 0 };
  const wrapped: Projection = {
    ...projection,
    apply: async (sql: Sql, events: readonly RecordedEvent[]) => {
      await projection.apply(sql, events);
      batches++;
      if (onBatches.includes(batches)) {
        sabotaged.count++;
        await sabotage(sql);
      }
    },
  };
  return { projection: wrapped, sabotaged };
}

async function checkpointOfLive(h: ReadModelHarness, projection: string) {
  const [row] = await h.rows<{ position: string; events_processed: string }>(
    `SELECT c.position, c.events_processed FROM projection_checkpoints c
       JOIN projection_generations g USING (projection, generation)
      WHERE g.projection = $1 AND g.status = 'live'`,
    [projection],
  );
  return { position: row.position, eventsProcessed: Number(row.events_processed) };
}

/** The same read models rebuilt from the feed by the projections as they are. */
async function rebuiltReference(h: ReadModelHarness, projections: Projection[]): Promise<ReadModelSnapshot> {
  for (const projection of projections) await rebuildProjection({ pool: h.pool, store: h.store }, projection, { batchSize: 1000 });
  return snapshotReadModels(h.pool);
}

describe('a projector killed in the middle of a batch converges to the same rows', () => {
  let h: ReadModelHarness;
  let events: number;
  beforeEach(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 300, seed: 99 })];
    events = await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 500 });
    const registry = new GenerationRegistry(h.pool);
    for (const projection of ALL_PROJECTIONS) await registry.ensureLive(projection);
  });
  afterEach(async () => {
    await h.close();
  });

  it('when a handler throws after writing part of a batch: rolled back, retried from the checkpoint', async () => {
    const failures: string[] = [];
    const { projection, sabotaged } = withSabotage(dealSummaryProjection, [3, 9], async () => {
      throw new Error('handler crashed mid-batch');
    });
    h.startRunners([projection, stageHistoryProjection], {
      batchSize: 50,
      log: (message, error) => error && failures.push(`${message}: ${(error as Error).message}`),
    });
    await h.waitUntilCaughtUp(['deal_summary', 'stage_history'], 60_000);

    expect(sabotaged.count).toBe(2);
    expect(failures).toEqual([
      expect.stringMatching(/deal_summary: failed.*handler crashed mid-batch/),
      expect.stringMatching(/deal_summary: failed.*handler crashed mid-batch/),
    ]);
    const head = await h.newestPosition();
    // Each event counted once: the failed batches were not half-applied nor applied twice.
    expect(await checkpointOfLive(h, 'deal_summary')).toEqual({ position: `${head!.commit}:${head!.prepare}`, eventsProcessed: events });
    const projected = await snapshotReadModels(h.pool);
    const reference = await rebuiltReference(h, [dealSummaryProjection, stageHistoryProjection]);
    expect(projected.deal_summary).toHaveLength(300);
    expect(projected.deal_summary).toEqual(reference.deal_summary);
    expect(projected.stage_intervals).toEqual(reference.stage_intervals);
  }, 120_000);

  it('when its connection is terminated (pg_terminate_backend) inside the batch transaction', async () => {
    const { projection, sabotaged } = withSabotage(stageHistoryProjection, [2, 5, 6], async (sql: Sql) => {
      const { rows } = await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await h.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    });
    const failures: string[] = [];
    h.startRunners([projection], { batchSize: 100, log: (m, e) => e && failures.push(m) });
    await h.waitUntilCaughtUp(['stage_history'], 60_000);

    expect(sabotaged.count).toBe(3);
    expect(failures).toHaveLength(3);
    expect((await checkpointOfLive(h, 'stage_history')).eventsProcessed).toBe(events);
    const projected = await snapshotReadModels(h.pool);
    const reference = await rebuiltReference(h, [stageHistoryProjection]);
    expect(projected.stage_intervals.length).toBeGreaterThan(1000);
    expect(projected.stage_intervals).toEqual(reference.stage_intervals);
    expect(projected.stage_overrides).toEqual(reference.stage_overrides);
  }, 120_000);

  it('when two writers work the same generation at once, the checkpoint compare-and-set lets each batch count once', async () => {
    const live = (await new GenerationRegistry(h.pool).live('deal_summary'))!;
    const moved: string[] = [];
    const writer = async () => {
      const client: PoolClient = await h.pool.connect();
      try {
        // No writer lock on purpose: only the checkpoint's compare-and-set stands between them.
        return await writeGeneration({
          projection: dealSummaryProjection,
          generation: live.generation,
          expectedStatus: 'live',
          client,
          store: h.store,
          batchSize: 25,
          untilLevel: true,
          signal: new AbortController().signal,
          idleMs: 20,
          log: (m) => moved.push(m),
        });
      } finally {
        client.release(true);
      }
    };
    expect(await Promise.all([writer(), writer()])).toEqual(['level', 'level']);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved[0]).toMatch(/checkpoint moved by another runner/);
    expect((await checkpointOfLive(h, 'deal_summary')).eventsProcessed).toBe(events);
    const projected = await snapshotReadModels(h.pool);
    const reference = await rebuiltReference(h, [dealSummaryProjection]);
    expect(projected.deal_summary).toEqual(reference.deal_summary);
  }, 120_000);

  it('when the runner is stopped and a new one started, it resumes from the stored checkpoint', async () => {
    let stopFirst: () => void = () => undefined;
    const { projection } = withSabotage(dealSummaryProjection, [10], async () => stopFirst());
    const [first] = h.startRunners([projection], { batchSize: 20 });
    const stopped = new Promise<void>((resolve) => (stopFirst = () => void first.stop().then(resolve)));
    await stopped;
    // stop() lets the batch in flight commit: exactly ten batches of twenty.
    expect((await checkpointOfLive(h, 'deal_summary')).eventsProcessed).toBe(200);
    h.startRunners([dealSummaryProjection], { batchSize: 500 });
    await h.waitUntilCaughtUp(['deal_summary']);
    expect((await checkpointOfLive(h, 'deal_summary')).eventsProcessed).toBe(events);
    const projected = await snapshotReadModels(h.pool);
    expect(projected.deal_summary).toEqual((await rebuiltReference(h, [dealSummaryProjection])).deal_summary);
  }, 120_000);
});
