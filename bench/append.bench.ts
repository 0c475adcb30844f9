/**
 * Event store benchmark (PostgreSQL adapter): concurrent command-sized appends, then reading
 * the whole global feed in pages. Prints appends/s, events/s, append latency p50/p99 and the
 * feed read rate.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:append -- --writers 8 --appends 2000
 *
 * Without DATABASE_URL an embedded PostgreSQL is started in a temporary folder. The benchmark
 * makes its own database and drops it afterwards (unless --keep).
 */
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { startEmbeddedDatabase } from '@funnel/event-store/postgres/embedded-database';
import { GlobalPosition } from '@funnel/event-store/global-position';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const say = (message: string) => process.stdout.write(`${message}\n`);

function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

async function main(): Promise<void> {
  const writers = option('writers', 8);
  const appends = option('appends', 2000);
  const eventsPerAppend = option('events-per-append', 2);
  const deals = option('deals', 2000);

  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded = async () => undefined as void;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'funnel-bench-'));
    await chmod(dir, 0o755);
    const embedded = await startEmbeddedDatabase(dir, say);
    serverUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const name = `funnel_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString(), EVENT_STORE_MIGRATIONS);
  const store = PostgresEventStore.fromConnectionString(url.toString(), writers + 2);

  try {
    say(`appending: ${writers} writers × ${appends} appends × ${eventsPerAppend} events over ${deals} streams`);
    const streams = Array.from({ length: deals }, () => `deal-${randomUUID()}`);
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < appends; i++) {
          const stream = streams[Math.floor(Math.random() * streams.length)];
          const events = Array.from({ length: eventsPerAppend }, (_, k) => ({
            type: 'VisitRecorded',
            data: { visitId: randomUUID(), preparation: { purpose: 'demo', agenda: ['a', 'b'] }, k, occurredAt: new Date().toISOString() },
            metadata: { correlationId: randomUUID(), actor: { id: 'bench' }, command: 'RecordVisit', schemaVersion: 1 },
          }));
          const t0 = performance.now();
          await store.appendToStream(stream, events, { expectedRevision: 'any' });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = writers * appends;
    latencies.sort((a, b) => a - b);
    say(
      `append: ${total} appends (${total * eventsPerAppend} events) in ${seconds.toFixed(2)} s = ` +
        `${Math.round(total / seconds)} appends/s, ${Math.round((total * eventsPerAppend) / seconds)} events/s; ` +
        `latency p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms`,
    );

    const readStarted = performance.now();
    let after: GlobalPosition | 'start' = 'start';
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1].position;
    }
    const readSeconds = (performance.now() - readStarted) / 1000;
    say(`feed read: ${read} events in ${readSeconds.toFixed(2)} s = ${Math.round(read / readSeconds)} events/s (pages of 1000)`);
    say(`heap used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
  } finally {
    await store.close();
    if (!process.argv.includes('--keep')) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    await stopEmbedded();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
