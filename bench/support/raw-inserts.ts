/** The raw limit other figures are compared with: durable single-row insert transactions through `pg`. */
import { Pool } from 'pg';
import { percentile } from './bench-figures';

export const RAW_ROW = JSON.stringify({ type: 'VisitRecorded', data: { visitId: 'v-1', occurredAt: '2024-05-01T10:00:00.000Z', notes: 'x'.repeat(200) } });

export const RAW_EVENTS_TABLE = `CREATE TABLE raw_events (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`;

/** One INSERT per transaction (autocommit, synchronous_commit as the server has it) from `clients` connections for `seconds`. */
export async function durableInserts(pool: Pool, clients: number, seconds: number): Promise<{ tps: number; p50: number; p99: number }> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < deadline) {
          const started = process.hrtime.bigint();
          await client.query({ name: 'raw-insert', text: 'INSERT INTO raw_events (stream_id, data) VALUES ($1, $2)', values: ['s', RAW_ROW] });
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
