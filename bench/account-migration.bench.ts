/**
 * Account migration benchmark: N events of generated deals written straight into a fresh
 * database (no accounts), then `funnel accounts migrate` (the reactor replaying every deal event
 * from the start, then the account_summary rebuild), then the same command again (everything
 * is found done). Prints the time, events/s, what was appended, and a digest of the deal events
 * before and after (they must be equal).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:accounts -- --events 100000
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { adminQuery, dropBenchDatabase } from './support/bench-history';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { GeneratedDeal, generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { migrateAccounts } from '../apps/projector/src/cli/accounts.command';

const say = (message: string) => process.stdout.write(`${message}\n`);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is made and dropped on it)');
  const events = arg('events', 100_000);
  const name = `funnel_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  const store = PostgresEventStore.fromConnectionString(url.toString(), 4);
  try {
    await migrateDatabase(url.toString(), [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    const deals: GeneratedDeal[] = [];
    let generated = 0;
    for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed: 7 })) {
      const room = events - generated;
      deals.push(room < deal.events.length ? { ...deal, events: deal.events.slice(0, room) } : deal);
      generated += Math.min(room, deal.events.length);
      if (generated >= events) break;
    }
    await bulkInsertEvents(pool, interleaveByOccurredAt(deals), { chunkSize: 5000 });
    say(`loaded ${generated.toLocaleString('en')} events of ${deals.length.toLocaleString('en')} deals`);
    const digest = async () =>
      (await pool.query<{ d: string }>(`SELECT md5(string_agg(event_id::text || stream_revision || data::text || metadata::text, ',' ORDER BY global_position)) AS d FROM events WHERE stream_id LIKE 'deal-%'`)).rows[0].d;
    const before = await digest();
    const ctx = { pool, store, eventsDatabase: pool, batchSize: 1000, out: say };
    for (const run of ['first run', 'second run']) {
      const started = process.hrtime.bigint();
      const result = await migrateAccounts(ctx);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      say(`${run}: ${seconds.toFixed(1)} s in all, ${Math.round(result.dealEventsReplayed / seconds).toLocaleString('en')} deal events/s; ${result.accountEventsAppended.toLocaleString('en')} account events appended`);
    }
    const accounts = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM rm.accounts`)).rows[0].n;
    const suggestions = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM rm.account_suggestions`)).rows[0].n;
    const after = await digest();
    say(`accounts ${accounts}, suggestions ${suggestions}; deal events digest before ${before}, after ${after}: ${before === after ? 'unchanged' : 'CHANGED'}`);
  } finally {
    await store.close();
    await pool.end();
    await dropBenchDatabase(server, name);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
