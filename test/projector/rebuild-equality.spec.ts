import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { rebuildProjection, rebuildProjections } from '@funnel/read-models/projection/projection-rebuild';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { snapshotReadModels } from '../read-models/support/read-model-snapshot';

/**
 * The projections' main promise: the read models built bit by bit while deals were being worked
 * on equal, row for row, those a rebuild makes from the whole feed in big batches.
 */
describe('a rebuilt read model equals the incrementally built one', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('on a generated history of 2,000 deals written while the projector runs', async () => {
    const deals = [...generateDealHistories({ deals: 2000, seed: 2025 })];
    // The history arrives in small transactions while the runners work in small odd batches,
    // so batches end at arbitrary points: mid-deal, mid-transaction, mid-stage-change.
    h.startRunners(ALL_PROJECTIONS, { batchSize: 37 });
    const written = await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 53 });
    expect(written).toBeGreaterThan(40_000);
    await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name), 400_000);
    const incremental = await snapshotReadModels(h.pool);

    // The history exercises every path the projections have.
    const intervals = incremental.stage_intervals;
    for (const kind of ['opened', 'advanced', 'skipped', 'regressed', 'reopened', 'lost']) {
      expect(intervals.filter((r) => r.entry_kind === kind).length).toBeGreaterThan(10);
    }
    expect(intervals.filter((r) => r.exit_kind === 'won').length).toBeGreaterThan(10);
    expect(incremental.deal_summary).toHaveLength(2000);
    expect(incremental.stage_overrides.length).toBeGreaterThan(10);
    expect(incremental.visits.filter((v) => v.reviewed === false).length).toBeGreaterThan(10);

    for (const projection of ALL_PROJECTIONS) {
      const result = await rebuildProjection({ pool: h.pool, store: h.store }, projection, { batchSize: 1000 });
      expect(result.eventsProcessed).toBe(written);
      expect(result.generation).toBe(2);
    }
    const rebuilt = await snapshotReadModels(h.pool);
    expect(rebuilt.deal_summary).toEqual(incremental.deal_summary);
    expect(rebuilt.stage_intervals).toEqual(incremental.stage_intervals);
    expect(rebuilt.stage_overrides).toEqual(incremental.stage_overrides);
    expect(rebuilt.visits).toEqual(incremental.visits);
    // recorded_at is the store's, not the batch's: a rebuild keeps every row's knownAt.
    expect(incremental.stage_moves.length).toBeGreaterThan(10_000);
    expect(incremental.forecast_updates.length).toBeGreaterThan(10);
    expect(rebuilt.stage_moves).toEqual(incremental.stage_moves);
    expect(rebuilt.forecast_updates).toEqual(incremental.forecast_updates);
    expect(incremental.audit_events).toHaveLength(written);
    expect(rebuilt.audit_events).toEqual(incremental.audit_events);
  }, 600_000);
});

describe('a rebuild of every projection from one shared read of the feed', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('builds the same rows as the incremental runners, and swaps every generation in', async () => {
    const deals = [...generateDealHistories({ deals: 400, seed: 4711 })];
    h.startRunners(ALL_PROJECTIONS, { batchSize: 29 });
    const written = await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 41 });
    await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name), 120_000);
    const incremental = await snapshotReadModels(h.pool);
    expect(incremental.stage_intervals.filter((r) => r.entry_kind === 'skipped').length).toBeGreaterThan(0);

    const results = await rebuildProjections({ pool: h.pool, store: h.store }, ALL_PROJECTIONS, { batchSize: 777 });
    expect(results.map((r) => [r.projection, r.generation, r.eventsProcessed])).toEqual(ALL_PROJECTIONS.map((p) => [p.name, 2, written]));
    expect(await snapshotReadModels(h.pool)).toEqual(incremental);
    const schemas = await h.rows<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm!_%' ESCAPE '!' ORDER BY 1`);
    expect(schemas.map((s) => s.nspname)).toEqual(ALL_PROJECTIONS.map((p) => `rm_${p.name}_g2`).sort());
  }, 180_000);
});
