/**
 * Audit benchmark (PostgreSQL adapter): on a generated history, how long the store audit, an
 * anchor, its verification and one deal's inclusion proof take, and how large the anchor event is.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres \
 *     node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/anchor.bench.ts --deals 2000
 *
 * Makes its own database on DATABASE_URL's server and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { findAnchor, inclusionProof, recordAnchor, verifyAnchor } from '@funnel/event-store/audit/anchor/anchor';
import { auditStore } from '@funnel/event-store/audit/feed-audit';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database there)');
  const name = `funnel_bench_anchor_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: server });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    await migrateDatabase(url.toString(), EVENT_STORE_MIGRATIONS);
    const pool = new Pool({ connectionString: url.toString(), max: 4 });
    const deals = option('deals', 2000);
    const events = await bulkInsertEvents(pool, interleaveByOccurredAt([...generateDealHistories({ deals, seed: 7 })]), { chunkSize: 5000 });
    const store = PostgresEventStore.fromConnectionString(url.toString(), 4);
    const [audit, auditMs] = await timed(() => auditStore(store));
    const [anchor, anchorMs] = await timed(() => recordAnchor(store, { id: 'bench' }));
    const [verification, verifyMs] = await timed(() => verifyAnchor(store, anchor.root));
    const [proof, proofMs] = await timed(async () => {
      const found = (await findAnchor(store, anchor.root))!;
      return inclusionProof(found, found.leaves[Math.floor(found.leaves.length / 2)][0])!;
    });
    const size = await pool.query<{ bytes: number }>(`SELECT pg_column_size(data) AS bytes FROM events WHERE stream_id = 'audit-anchors'`);
    const rate = (ms: number) => `${Math.round(events / (ms / 1000)).toLocaleString('en')} events/s`;
    process.stdout.write(
      [
        `${deals.toLocaleString('en')} deals, ${events.toLocaleString('en')} events`,
        `audit (every chain and head): ${auditMs.toFixed(0)} ms (${rate(auditMs)}), valid: ${audit.valid}`,
        `audit anchor: ${anchorMs.toFixed(0)} ms (${rate(anchorMs)}), ${anchor.count} streams, anchor event ${size.rows[0].bytes.toLocaleString('en')} bytes (stored, compressed)`,
        `audit verify --anchor: ${verifyMs.toFixed(0)} ms, verified: ${verification.verified}`,
        `one deal's proof (find the anchor + path): ${proofMs.toFixed(0)} ms, path of ${proof.path.length} steps`,
      ].join('\n') + '\n',
    );
    await store.close();
    await pool.end();
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
