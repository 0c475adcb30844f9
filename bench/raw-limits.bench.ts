/**
 * The database's own limits on this machine, for the other benchmarks' ratios: how many durable
 * single-row insert transactions per second PostgreSQL commits through `pg` (a pgbench
 * equivalent: one INSERT per transaction, synchronous_commit on) from 1 and from 16 clients,
 * and how fast COPY loads the same rows.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:raw -- --seconds 10
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { databaseUrl, say, withAdmin } from './support/bench-history';
import { BenchFigure, option, percentile, recordFigures } from './support/bench-figures';

const ROW = JSON.stringify({ type: 'VisitRecorded', data: { visitId: 'v-1', occurredAt: '2024-05-01T10:00:00.000Z', notes: 'x'.repeat(200) } });

async function insertsFor(pool: Pool, clients: number, seconds: number): Promise<{ tps: number; p50: number; p99: number }> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < deadline) {
          const started = process.hrtime.bigint();
          await client.query({ name: 'raw-insert', text: 'INSERT INTO raw_events (stream_id, data) VALUES ($1, $2)', values: ['s', ROW] });
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      } finally {
        client.release();
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { tps: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const copyRows = option('copy-rows', 200_000);
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
  const name = `funnel_raw_${randomBytes(3).toString('hex')}`;
  await withAdmin(server, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(server, name);
  const pool = new Pool({ connectionString: url, max: 16 });
  const figures: BenchFigure[] = [];
  try {
    await pool.query(`CREATE TABLE raw_events (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    for (const clients of [1, 16]) {
      const r = await insertsFor(pool, clients, seconds);
      figures.push({ measure: `durable single-row inserts, ${clients} client${clients > 1 ? 's' : ''}`, perSecond: r.tps, p50Ms: r.p50, p99Ms: r.p99 });
      say(`durable single-row insert transactions, ${String(clients).padStart(2)} client(s): ${Math.round(r.tps).toLocaleString('en')} TPS, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
    }
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const started = process.hrtime.bigint();
      const line = `s\t${ROW.replace(/\\/g, '\\\\')}\n`;
      let i = 0;
      const rows = new Readable({
        read() {
          for (let n = 0; n < 1000 && i < copyRows; n++, i++) this.push(line);
          if (i >= copyRows) this.push(null);
        },
      });
      await pipeline(rows, client.query(copyFrom('COPY raw_events (stream_id, data) FROM STDIN')));
      const secs = Number(process.hrtime.bigint() - started) / 1e9;
      figures.push({ measure: 'COPY of the same rows', perSecond: copyRows / secs });
      say(`COPY of ${copyRows.toLocaleString('en')} such rows: ${Math.round(copyRows / secs).toLocaleString('en')} rows/s`);
    } finally {
      await client.end();
    }
    recordFigures('raw', { seconds, copyRows }, figures);
  } finally {
    await pool.end();
    await withAdmin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
