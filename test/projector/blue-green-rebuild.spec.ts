import { Pool } from 'pg';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry, RebuildInProgressError } from '@funnel/read-models/projection/generation-registry';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { snapshotReadModels } from '../read-models/support/read-model-snapshot';

/**
 * `funnel projections rebuild` runs in its own process while `npm start` keeps the live
 * generation up to date: here the "other process" is a second pool and event store.
 */
describe('blue/green rebuild beside a running projector', () => {
  let h: ReadModelHarness;
  let cli: { pool: Pool; store: PostgresEventStore };
  const deals = [...generateDealHistories({ deals: 600, seed: 11 })];
  const firstHalf = interleaveByOccurredAt(deals.slice(0, 300));
  const secondHalf = interleaveByOccurredAt(deals.slice(300));

  beforeAll(async () => {
    h = await startReadModelHarness();
    cli = { pool: new Pool({ connectionString: h.db.url, max: 4 }), store: PostgresEventStore.fromConnectionString(h.db.url, 4) };
  });
  afterAll(async () => {
    await cli.store.close();
    await cli.pool.end();
    await h.close();
  });

  // Every projection's live schema, with the generation named where it is not the first: the
  // list follows ALL_PROJECTIONS, so a new projection needs no edit here.
  const generationSchemas = (generations: Record<string, number>) =>
    ALL_PROJECTIONS.map((p) => `rm_${p.name}_g${generations[p.name] ?? 1}`).sort();
  const liveGenerations = () =>
    h.rows<{ projection: string; generation: number; version: number }>(
      `SELECT projection, generation, version FROM projection_generations WHERE status = 'live' ORDER BY projection`,
    );
  const schemas = async () =>
    (await h.rows<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%' ORDER BY nspname`)).map((r) => r.nspname);

  it('builds generation 2 while events keep coming, swaps the views, and the live runner follows it', async () => {
    const logs: string[] = [];
    h.startRunners(ALL_PROJECTIONS, { batchSize: 100, log: (m) => logs.push(m) });
    await bulkInsertEvents(h.pool, firstHalf, { chunkSize: 400 });
    await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name));
    expect(await schemas()).toEqual(generationSchemas({}));

    // Queries keep answering throughout: never a missing or empty table.
    const seen: number[] = [];
    let querying = true;
    const reader = (async () => {
      while (querying) {
        const [{ n }] = await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM rm.deal_summary`);
        seen.push(n);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const writing = bulkInsertEvents(h.pool, secondHalf.slice(0, 4000), { chunkSize: 100 });
    const result = await rebuildProjection(cli, dealSummaryProjection, { batchSize: 200 });
    await writing;
    querying = false;
    await reader;

    expect(result).toMatchObject({ projection: 'deal_summary', generation: 2, retired: [1] });
    expect(seen.length).toBeGreaterThan(10);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(290);
    expect(await liveGenerations()).toEqual(
      [...ALL_PROJECTIONS]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => ({ projection: p.name, generation: p.name === 'deal_summary' ? 2 : 1, version: p.version })),
    );
    expect(await schemas()).toEqual(generationSchemas({ deal_summary: 2 }));
    const [view] = await h.rows<{ definition: string }>(`SELECT definition FROM pg_views WHERE schemaname = 'rm' AND viewname = 'deal_summary'`);
    expect(view.definition).toContain('rm_deal_summary_g2.deal_summary');

    // The live runner (the "npm start" process) notices within a second, even with no new
    // events, and from then on writes generation 2.
    const switched = 'deal_summary: generation 1 was retired; following the new live generation';
    for (let i = 0; i < 60 && !logs.includes(switched); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs).toContain(switched);
    await bulkInsertEvents(h.pool, secondHalf.slice(4000), { chunkSize: 500 });
    await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name));
    const total = firstHalf.length + secondHalf.length;
    const [checkpoint] = await h.rows<{ events_processed: string }>(
      `SELECT events_processed FROM projection_checkpoints WHERE projection = 'deal_summary' AND generation = 2`,
    );
    expect(Number(checkpoint.events_processed)).toBe(total);

    // And what it built equals a rebuild from scratch.
    const followed = await snapshotReadModels(h.pool);
    expect(followed.deal_summary).toHaveLength(600);
    await rebuildProjection(cli, dealSummaryProjection, { batchSize: 1000 });
    expect((await snapshotReadModels(h.pool)).deal_summary).toEqual(followed.deal_summary);
  }, 120_000);

  it('refuses a second rebuild of the same projection while one is running, and a cancelled one leaves nothing behind', async () => {
    const cancel = new AbortController();
    let second: unknown;
    const first = rebuildProjection(cli, dealSummaryProjection, {
      batchSize: 5,
      signal: cancel.signal,
      onStart: () => {
        void rebuildProjection({ pool: h.pool, store: h.store }, dealSummaryProjection, { batchSize: 1000 })
          .catch((error: unknown) => (second = error))
          .finally(() => cancel.abort());
      },
    });
    await expect(first).rejects.toThrow('rebuild of deal_summary cancelled');
    expect(second).toBeInstanceOf(RebuildInProgressError);
    const building = await h.rows(`SELECT generation FROM projection_generations WHERE status = 'building'`);
    expect(building).toEqual([]);
    expect((await schemas()).filter((s) => s.startsWith('rm_deal_summary'))).toEqual(['rm_deal_summary_g3']);
  }, 60_000);

  it('rebuilds on its own when the code brings a new version of a projection', async () => {
    const before = await snapshotReadModels(h.pool);
    const current = dealSummaryProjection.version;
    const next = { ...dealSummaryProjection, version: current + 1 };
    const logs: string[] = [];
    h.startRunners([next], { batchSize: 500, log: (m) => logs.push(m) });
    const registry = new GenerationRegistry(h.pool);
    for (let i = 0; i < 200 && (await registry.live('deal_summary'))?.version !== next.version; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await registry.live('deal_summary')).toMatchObject({ generation: 5, version: next.version });
    expect(logs.some((m) => m.includes(`live generation 3 is version ${current}; rebuilding as version ${next.version}`))).toBe(true);
    expect((await snapshotReadModels(h.pool)).deal_summary).toEqual(before.deal_summary);
  }, 60_000);
});
