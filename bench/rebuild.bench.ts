/**
 * Rebuild benchmark: N events of realistic generated deals written straight into a fresh
 * database's event store, then every projection rebuilt from the start (blue/green, as
 * `npm run funnel -- projections rebuild <name>` does), one after the other and then all of them
 * at once. Prints events/s and the peak heap.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:rebuild -- --events 1000000
 *
 * `npm run bench:rebuild` runs with the V8 flags of `npm run funnel` (package.json), which the
 * operator's `projections rebuild` runs with.
 *
 * Options: --events N (default 1,000,000), --batch-size N (default PROJECTOR_BATCH_SIZE or 1000),
 * --seed N, --keep (keep the benchmark database). Without DATABASE_URL an embedded PostgreSQL
 * is started in a temporary folder.
 */
import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { adminQuery, dropBenchDatabase } from './support/bench-history';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { startEmbeddedDatabase } from '@funnel/event-store/postgres/embedded-database';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { rebuildProjection, rebuildProjections } from '@funnel/read-models/projection/projection-rebuild';
import { recordFigures } from './support/bench-figures';
import { Projection } from '@funnel/read-models/projection/projection';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { GeneratedDeal, generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';

interface Args {
  events: number;
  batchSize: number;
  seed: number;
  keep: boolean;
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    events: Number(value('events') ?? 1_000_000),
    batchSize: Number(value('batch-size') ?? process.env.PROJECTOR_BATCH_SIZE ?? 1000),
    seed: Number(value('seed') ?? 42),
    keep: argv.includes('--keep'),
    // --quick: only the all-at-once runs (separate subscriptions vs one shared read).
    quick: argv.includes('--quick'),
  };
}

const say = (message: string) => process.stdout.write(`${message}\n`);

/** The projections there were when issue #13 measured "the three projections at once" (12,200 events/s then). */
const FIRST_THREE = ['deal_summary', 'stage_history', 'activity'];

/** Samples heap use while `work` runs; returns its result, the seconds and the peak heap in MB. */
async function measured<T>(work: () => Promise<T>, pool?: Pool): Promise<{ result: T; seconds: number; peakHeapMb: number; peakRssMb: number }> {
  // Each run starts with PostgreSQL's checkpoint done: the WAL of the run before must not be flushed during this one.
  if (pool) await pool.query('CHECKPOINT');
  // Start from a collected heap (the script runs with --expose-gc) so the peak is the work's own.
  (globalThis as { gc?: () => void }).gc?.();
  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 100);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { result, seconds, peakHeapMb: peakHeap / 2 ** 20, peakRssMb: peakRss / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function serverUrl(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-'));
  await chmod(dir, 0o755);
  say(`no DATABASE_URL: starting an embedded PostgreSQL in ${dir}`);
  return startEmbeddedDatabase(dir);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await serverUrl();
  const name = `funnel_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(server.url, `CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const pool = new Pool({ connectionString: databaseUrl, max: 12 });
  const store = PostgresEventStore.fromConnectionString(databaseUrl, 6);
  try {
    await migrateDatabase(databaseUrl, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);

    say(`generating deals until ${args.events.toLocaleString('en')} events (seed ${args.seed})…`);
    const deals: GeneratedDeal[] = [];
    let generated = 0;
    for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed: args.seed })) {
      const room = args.events - generated;
      deals.push(room < deal.events.length ? { ...deal, events: deal.events.slice(0, room) } : deal);
      generated += Math.min(room, deal.events.length);
      if (generated >= args.events) break;
    }
    const load = await measured(() =>
      bulkInsertEvents(pool, interleaveByOccurredAt(deals), {
        chunkSize: 5000,
        onChunk: (n) => n % 100_000 === 0 && say(`  inserted ${n.toLocaleString('en')}`),
      }),
    );
    deals.length = 0;
    say(`loaded ${load.result.toLocaleString('en')} events of ${generated ? 'generated' : 'no'} deals in ${load.seconds.toFixed(1)} s`);
    await pool.query('VACUUM ANALYZE events');

    const registry = new GenerationRegistry(pool);
    for (const projection of ALL_PROJECTIONS) await registry.ensureLive(projection);

    const rebuild = (projection: Projection, bulk = true) =>
      rebuildProjection({ pool, store }, projection, { batchSize: args.batchSize, bulk });

    say(`\nrebuild, batch size ${args.batchSize} (events/s = feed events read and projected per second):`);
    const figures: Record<string, string | number | null>[] = [];
    if (!args.quick) {
      for (const projection of ALL_PROJECTIONS) {
        const run = await measured(() => rebuild(projection), pool);
        const rate = Math.round(run.result.eventsProcessed / run.seconds);
        figures.push({ measure: `rebuild ${projection.name} alone`, seconds: run.seconds, eventsPerSecond: rate, peakRssMb: run.peakRssMb });
        say(
          `  ${projection.name.padEnd(14)} ${run.result.eventsProcessed.toLocaleString('en')} events in ${run.seconds.toFixed(1)} s = ` +
            `${rate.toLocaleString('en')} events/s${projection.builder ? ' (bulk)' : ''}, peak heap ${run.peakHeapMb.toFixed(0)} MB (rss ${run.peakRssMb.toFixed(0)} MB)`,
        );
      }
    }
    const all = await measured(() => Promise.all(ALL_PROJECTIONS.map((p) => rebuild(p, false))), pool);
    const separateRate = Math.round(args.events / all.seconds);
    figures.push({ measure: 'rebuild of every projection at once, a feed read each', seconds: all.seconds, eventsPerSecond: separateRate, peakRssMb: all.peakRssMb });
    say(
      `  all ${ALL_PROJECTIONS.length} at once, a read each, apply per batch: ${args.events.toLocaleString('en')} events in ${all.seconds.toFixed(1)} s = ` +
        `${separateRate.toLocaleString('en')} feed events/s into every projection, peak heap ${all.peakHeapMb.toFixed(0)} MB (rss ${all.peakRssMb.toFixed(0)} MB)`,
    );
    const sharedApply = await measured(() => rebuildProjections({ pool, store }, ALL_PROJECTIONS, { batchSize: args.batchSize, bulk: false }), pool);
    const sharedApplyRate = Math.round(args.events / sharedApply.seconds);
    figures.push({ measure: 'rebuild of every projection at once, one shared feed read, apply per batch', seconds: sharedApply.seconds, eventsPerSecond: sharedApplyRate, peakRssMb: sharedApply.peakRssMb });
    say(
      `  all ${ALL_PROJECTIONS.length} at once, one shared read, apply per batch: ${args.events.toLocaleString('en')} events in ${sharedApply.seconds.toFixed(1)} s = ` +
        `${sharedApplyRate.toLocaleString('en')} feed events/s, peak heap ${sharedApply.peakHeapMb.toFixed(0)} MB (rss ${sharedApply.peakRssMb.toFixed(0)} MB)`,
    );
    const withBuilders = ALL_PROJECTIONS.filter((p) => p.builder).map((p) => p.name);
    const shared = await measured(() => rebuildProjections({ pool, store }, ALL_PROJECTIONS, { batchSize: args.batchSize }), pool);
    const sharedRate = Math.round(args.events / shared.seconds);
    figures.push({ measure: 'rebuild of every projection at once, one shared feed read', seconds: shared.seconds, eventsPerSecond: sharedRate, peakRssMb: shared.peakRssMb, builders: withBuilders.join(', ') });
    say(
      `  all ${ALL_PROJECTIONS.length} at once, one shared read, in bulk (builders: ${withBuilders.join(', ') || 'none'}): ${args.events.toLocaleString('en')} events in ${shared.seconds.toFixed(1)} s = ` +
        `${sharedRate.toLocaleString('en')} feed events/s into every projection (${(sharedRate / sharedApplyRate).toFixed(2)}× apply per batch, ` +
        `${(sharedRate / separateRate).toFixed(2)}× a read each), peak heap ${shared.peakHeapMb.toFixed(0)} MB (rss ${shared.peakRssMb.toFixed(0)} MB)`,
    );
    // The measure issue #13 set its goal on (≥ 50,000 events/s): the three projections there were then, at once.
    const firstThree = ALL_PROJECTIONS.filter((p) => FIRST_THREE.includes(p.name));
    const three = await measured(() => rebuildProjections({ pool, store }, firstThree, { batchSize: args.batchSize }), pool);
    const threeRate = Math.round(args.events / three.seconds);
    figures.push({ measure: 'rebuild of the first three projections at once, one shared feed read', seconds: three.seconds, eventsPerSecond: threeRate, peakRssMb: three.peakRssMb, projections: FIRST_THREE.join(', ') });
    say(
      `  the first three (${FIRST_THREE.join(', ')}) at once, one shared read, in bulk: ${args.events.toLocaleString('en')} events in ${three.seconds.toFixed(1)} s = ` +
        `${threeRate.toLocaleString('en')} feed events/s, peak heap ${three.peakHeapMb.toFixed(0)} MB (rss ${three.peakRssMb.toFixed(0)} MB)`,
    );
    recordFigures('rebuild', { events: args.events, batchSize: args.batchSize, nodeFlags: process.execArgv.filter((f) => f.startsWith('--max-') || f.startsWith('--heap-')).join(' ') }, figures);
    const counts = await pool.query<{ deals: string; intervals: string; visits: string }>(
      `SELECT (SELECT count(*) FROM rm.deal_summary) AS deals, (SELECT count(*) FROM rm.stage_intervals) AS intervals,
              (SELECT count(*) FROM rm.visits) AS visits`,
    );
    const c = counts.rows[0];
    say(`  read models: ${c.deals} deals, ${c.intervals} stage intervals, ${c.visits} visits`);
  } finally {
    await store.close();
    await pool.end();
    if (args.keep) say(`kept database ${name}`);
    else await dropBenchDatabase(server.url, name);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
