/**
 * The benchmarks' shared history: a database holding N generated deals (real event shapes,
 * hash-chained, in business-time order) with every projection live and level with the feed.
 * A named database is reused when it already holds the history, so a second run measures
 * instead of regenerating 2 M events.
 */
import { Client, escapeIdentifier, Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { rebuildProjections } from '@funnel/read-models/projection/projection-rebuild';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { GeneratedDeal, generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';

export const say = (message: string) => process.stdout.write(`${message}\n`);

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on the server's admin database (CREATE / DROP DATABASE). */
export function adminQuery(serverUrl: string, sql: string): Promise<unknown> {
  return withAdmin(serverUrl, (client) => client.query(sql));
}

/**
 * Drops a benchmark's database once its own connections have gone. A pool's end() resolves before
 * the server has closed the sessions it ended; DROP … WITH (FORCE) then terminated them, and the
 * FATAL reached a client nobody listened to any more — the process died (it did in a full run).
 * FORCE is kept for what outlives the wait (a child process killed mid-run).
 */
export async function dropBenchDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, async (client) => {
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
  });
}

export async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates (or reuses) database `name` with `deals` generated deals projected; returns its URL.
 * `source` picks other deals than the generator's first `deals` (it must yield that many).
 */
export async function ensureBenchHistory(
  serverUrl: string,
  name: string,
  deals: number,
  seed = 42,
  source: () => Iterable<GeneratedDeal> = () => generateDealHistories({ deals, seed }),
): Promise<{ url: string; events: number; reused: boolean }> {
  await withAdmin(serverUrl, async (admin) => {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  });
  const url = databaseUrl(serverUrl, name);
  await migrateDatabase(url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  const pool = new Pool({ connectionString: url, max: 8 });
  const store = PostgresEventStore.fromConnectionString(url, 4);
  try {
    const stored = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
    // Deal streams only (the account reactor adds account streams), and at least the history's
    // deals: bench:fresh adds a deal per round to a database it is pointed at.
    const storedDeals = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM event_streams WHERE stream_id LIKE 'deal-%'`)).rows[0].n);
    if (stored > 0 && storedDeals >= deals) {
      const registry = new GenerationRegistry(pool);
      for (const projection of ALL_PROJECTIONS) await registry.ensureLive(projection);
      return { url, events: stored, reused: true };
    }
    if (stored > 0) throw new Error(`database ${name} holds ${storedDeals} deals, fewer than ${deals}: drop it or pick another name`);

    say(`generating ${deals.toLocaleString('en')} deals (seed ${seed})…`);
    // Generated and inserted in slices of deals opened in the same stretch of time, so memory
    // stays bounded; within a slice the events are in business-time order.
    const all: GeneratedDeal[] = [];
    for (const deal of source()) all.push(deal);
    const events = await bulkInsertEvents(pool, interleaveByOccurredAt(all), {
      chunkSize: 5000,
      onChunk: (n) => n % 500_000 === 0 && say(`  inserted ${n.toLocaleString('en')}`),
    });
    all.length = 0;
    await pool.query('VACUUM ANALYZE events');
    const registry = new GenerationRegistry(pool);
    for (const projection of ALL_PROJECTIONS) await registry.ensureLive(projection);
    say(`projecting ${events.toLocaleString('en')} events…`);
    // One read of the feed for every projection (rebuildProjections): twice as fast here as a read each.
    await rebuildProjections({ pool, store }, ALL_PROJECTIONS, { batchSize: 2000 });
    await pool.query('ANALYZE');
    return { url, events, reused: false };
  } finally {
    await store.close();
    await pool.end();
  }
}
