import { GlobalPosition } from '@funnel/event-store/global-position';
/**
 * A fresh database with the event store and read-model registry, a real PostgresEventStore to
 * append to, and helpers to run projections until they have caught up with the feed.
 */
import { Pool } from 'pg';
import { AppendResult } from '@funnel/event-store/event-store.port';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { Projection } from '@funnel/read-models/projection/projection';
import { ProjectionPositions } from '@funnel/read-models/projection/projection-positions';
import { ProjectionRunner } from '@funnel/read-models/projection/projection-runner';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

export interface ReadModelHarness {
  db: TestDatabase;
  pool: Pool;
  store: PostgresEventStore;
  /** Appends to `deal-<dealId>` (expected revision: any) through the real store. */
  append(dealId: string, events: DealEvent[]): Promise<AppendResult>;
  /** Runs the projections until each has projected the feed head, then stops them. */
  project(projections?: readonly Projection[], options?: { batchSize?: number; timeoutMs?: number }): Promise<void>;
  /** Runners for tests that drive them; stopped by close(). */
  startRunners(projections: readonly Projection[], options?: { batchSize?: number; log?: (m: string, e?: unknown) => void }): ProjectionRunner[];
  /** Waits until the live generations of `projections` have reached the feed head. */
  waitUntilCaughtUp(projections: readonly string[], timeoutMs?: number): Promise<void>;
  /** The newest committed event's feed position (all writes done), or null when empty. */
  newestPosition(): Promise<GlobalPosition | null>;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startReadModelHarness(): Promise<ReadModelHarness> {
  const db = await createTestDatabase();
  await migrateDatabase(db.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  const pool = new Pool({ connectionString: db.url, max: 12 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore(new Pool({ connectionString: db.url, max: 8 }), { pollIntervalMs: 50 });
  const runners: ProjectionRunner[] = [];

  const startRunners: ReadModelHarness['startRunners'] = (projections, options = {}) => {
    const started = projections.map(
      (projection) =>
        new ProjectionRunner(projection, {
          pool,
          store,
          batchSize: options.batchSize ?? 1000,
          log: options.log,
          standbyRetryMs: 100,
          idleMs: 20,
        }),
    );
    for (const runner of started) runner.start();
    runners.push(...started);
    return started;
  };

  // The newest committed event, not store.headPosition(): that one reads below the oldest
  // running transaction, and a projector batch in flight would make it an older position,
  // ending a wait before the last writes are projected.
  const newestPosition = async (): Promise<GlobalPosition | null> => {
    const newest = await pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id, global_position FROM events
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const row = newest.rows[0];
    return row ? { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) } : null;
  };

  // Projecting a few thousand deals takes seconds on an idle machine and can take over 30 s on a
  // loaded 2-core one (seen: six projections of 700 deals at load 22): 90 s stays inside the specs' 120 s set-up.
  const waitUntilCaughtUp = async (projections: readonly string[], timeoutMs = 90_000) => {
    const head = await newestPosition();
    if (!head) return;
    const reached = await new ProjectionPositions(pool, 10).waitFor(head, timeoutMs, projections);
    if (!reached) throw new Error(`projections ${projections.join(', ')} did not reach the feed head in ${timeoutMs} ms`);
  };

  return {
    db,
    pool,
    store,
    newestPosition,
    append: (dealId, events) =>
      store.appendToStream(
        dealStreamId(dealId),
        events.map((e) => ({ type: e.type, data: e.data })),
        { expectedRevision: 'any' },
      ),
    project: async (projections = ALL_PROJECTIONS, options = {}) => {
      const started = startRunners(projections, options);
      try {
        await waitUntilCaughtUp(projections.map((p) => p.name), options.timeoutMs);
      } finally {
        await Promise.all(started.map((r) => r.stop()));
      }
    },
    startRunners,
    waitUntilCaughtUp,
    rows: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    close: async () => {
      await Promise.all(runners.map((r) => r.stop()));
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
}
