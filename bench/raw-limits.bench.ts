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
import { databaseUrl, dropBenchDatabase, say, withAdmin } from './support/bench-history';
import { BenchFigure, option, recordFigures } from './support/bench-figures';
import { RAW_EVENTS_TABLE, RAW_ROW, durableInserts } from './support/raw-inserts';

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
    await pool.query(RAW_EVENTS_TABLE);
    for (const clients of [1, 16]) {
      const r = await durableInserts(pool, clients, seconds);
      figures.push({ measure: `durable single-row inserts, ${clients} client${clients > 1 ? 's' : ''}`, perSecond: r.tps, p50Ms: r.p50, p99Ms: r.p99 });
      say(`durable single-row insert transactions, ${String(clients).padStart(2)} client(s): ${Math.round(r.tps).toLocaleString('en')} TPS, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
    }
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const started = process.hrtime.bigint();
      const line = `s\t${RAW_ROW.replace(/\\/g, '\\\\')}\n`;
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
    await dropBenchDatabase(server, name);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
