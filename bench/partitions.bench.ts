/**
 * Partitioned projectors: live catch-up of one projection from a backlog, by N = 1, 2 and 4
 * projector processes (child processes, each running the projection's ProjectionRunner with
 * PROJECTOR_PARTITIONS = N, as `PROJECTOR_PARTITIONS=N npm run start:projector` would). Each
 * round makes a fresh generation of N partitions live at 'start' once the workers are up, then
 * times until every partition's checkpoint has reached the feed head. Prints events/s.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:partitions -- --events 200000
 *
 * Options: --events N (default 200,000), --projection NAME (default deal_summary), --batch-size N
 * (default 1000), --seed N. Every worker reads and parses the whole feed and projects its share,
 * so the speed-up is bounded by the cores the machine has (and PostgreSQL shares them).
 */
import { fork, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'pg';
import { adminQuery, dropBenchDatabase } from './support/bench-history';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { findProjection } from '@funnel/read-models/projection/all-projections';
import { ProjectionPositions } from '@funnel/read-models/projection/projection-positions';
import { ProjectionRunner } from '@funnel/read-models/projection/projection-runner';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { GeneratedDeal, generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { makeFreshGenerationLive } from '@funnel/read-models/testing/fresh-live-generation';
import { BenchFigure, flag, option, recordFigures } from './support/bench-figures';

const say = (message: string) => process.stdout.write(`${message}\n`);

function text(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** A worker: one projector process running one projection, started when the parent says go. */
async function worker(): Promise<void> {
  const projection = findProjection(text('projection', 'deal_summary'));
  if (!projection) throw new Error('unknown projection');
  const databaseUrl = text('database', '');
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const store = PostgresEventStore.fromConnectionString(databaseUrl, 2);
  const runner = new ProjectionRunner(projection, {
    pool,
    store,
    batchSize: option('batch-size', 1000),
    partitions: option('partitions', 1),
    rebalanceMs: 250,
  });
  let cpuAtGo = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'go') {
      cpuAtGo = process.cpuUsage();
      runner.start();
    }
    if (message === 'stop') {
      void (async () => {
        await runner.stop();
        const cpu = process.cpuUsage(cpuAtGo);
        process.send?.({ cpuSeconds: (cpu.user + cpu.system) / 1e6 });
        await store.close();
        await pool.end();
        process.exit(0);
      })();
    }
  });
  process.send?.('ready');
}

function startWorkers(count: number, args: string[]): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = fork(__filename, ['--worker', ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', (m) => (m === 'ready' ? resolve(child) : reject(new Error(String(m)))));
          child.once('error', reject);
        }),
    ),
  );
}

/** Stops the workers; the CPU seconds each used since it was told to go. */
async function stopWorkers(children: ChildProcess[]): Promise<number[]> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<number>((resolve) => {
          let cpuSeconds = NaN;
          child.on('message', (m) => {
            if (typeof m === 'object' && m !== null && 'cpuSeconds' in m) cpuSeconds = Number((m as { cpuSeconds: unknown }).cpuSeconds);
          });
          child.once('exit', () => resolve(cpuSeconds));
          child.send('stop');
        }),
    ),
  );
}

async function main(): Promise<void> {
  const events = option('events', 200_000);
  const batchSize = option('batch-size', 1000);
  const seed = option('seed', 42);
  const projection = findProjection(text('projection', 'deal_summary'));
  if (!projection) throw new Error(`unknown projection ${text('projection', '')}`);
  if (!projection.partitionable) throw new Error(`${projection.name} always runs as one partition`);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL to a server the benchmark may create a database on');
  const name = `funnel_bench_partitions_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  try {
    await migrateDatabase(databaseUrl, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    const deals: GeneratedDeal[] = [];
    let generated = 0;
    for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed })) {
      const room = events - generated;
      deals.push(room < deal.events.length ? { ...deal, events: deal.events.slice(0, room) } : deal);
      generated += Math.min(room, deal.events.length);
      if (generated >= events) break;
    }
    await bulkInsertEvents(pool, interleaveByOccurredAt(deals), { chunkSize: 5000 });
    deals.length = 0;
    await pool.query('VACUUM ANALYZE events');
    const head = await pool.query<{ commit: string; prepare: string }>(
      `SELECT transaction_id::text AS commit, global_position::text AS prepare FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const headPosition = { commit: BigInt(head.rows[0].commit), prepare: BigInt(head.rows[0].prepare) };
    const cores = cpus().length;
    say(`live catch-up of ${projection.name} from a backlog of ${events.toLocaleString('en')} events, batch size ${batchSize}, ${cores} cores, load ${loadavg()[0].toFixed(1)}:`);

    const figures: BenchFigure[] = [];
    let single = 0;
    for (const partitions of [1, 2, 4]) {
      const children = await startWorkers(partitions, [
        '--database', databaseUrl, '--projection', projection.name, '--partitions', String(partitions), '--batch-size', String(batchSize),
      ]);
      let seconds = NaN;
      try {
        await makeFreshGenerationLive(pool, projection, partitions);
        const started = process.hrtime.bigint();
        for (const child of children) child.send('go');
        const reached = await new ProjectionPositions(pool, 20).waitFor(headPosition, 3_600_000, [projection.name]);
        seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (!reached) throw new Error('did not catch up within an hour');
      } finally {
        const cpu = await stopWorkers(children);
        const rate = Math.round(events / seconds);
        if (partitions === 1) single = rate;
        const cpuSeconds = cpu.reduce((a, b) => a + b, 0);
        figures.push({ measure: `live catch-up of ${projection.name}, N = ${partitions} processes`, partitions, seconds, eventsPerSecond: rate, workerCpuSeconds: cpuSeconds });
        say(
          `  N = ${partitions}: ${seconds.toFixed(1)} s = ${rate.toLocaleString('en')} events/s` +
            (partitions > 1 ? ` (${(rate / single).toFixed(2)}× one process)` : '') +
            `; the projector processes used ${cpuSeconds.toFixed(1)} s of CPU (${cpu.map((c) => c.toFixed(1)).join(' + ')})`,
        );
      }
    }
    say(
      `  (${cores} cores here, shared with PostgreSQL and whatever else runs: every process reads and parses the whole feed ` +
        `and projects 1/N of it, so N processes do more work in all than one; they finish sooner only when there are idle cores ` +
        `for them and projecting, not reading, is what one process spends its time on)`,
    );
    recordFigures('partitions', { events, batchSize, projection: projection.name, cores, load: loadavg()[0] }, figures);
  } finally {
    await pool.end();
    await dropBenchDatabase(serverUrl, name);
  }
}

(flag('worker') ? worker() : main()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
