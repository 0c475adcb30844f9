/**
 * An export streams: 200,000 events (far more text than the heap allowed) go out page by page
 * from a process limited to a 96 MB heap, and the heap measured after each collection stays
 * flat — it does not grow with what has been written.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { bulkInsertEvents, EventForStream } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories } from '@funnel/read-models/testing/deal-history.generator';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const EVENTS = 200_000;
const MB = 1024 * 1024;
const ROOT = join(__dirname, '../..');

function* firstEvents(n: number): Generator<EventForStream> {
  let count = 0;
  for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed: 8 })) {
    for (const event of deal.events) {
      if (count++ === n) return;
      yield { streamId: deal.streamId, event };
    }
  }
}

describe('exporting 200,000 events', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
    const pool = new Pool({ connectionString: db.url, max: 2 });
    await bulkInsertEvents(pool, firstEvents(EVENTS), { chunkSize: 10_000 });
    await pool.end();
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('as JSONL and as CSV writes every event with the heap flat', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=96', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/exports/support/export-heap.script.ts', 'jsonl', 'csv'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') }, maxBuffer: 16 * MB },
    );
    const results = JSON.parse(stdout) as Record<'jsonl' | 'csv', { lines: number; bytes: number; heap: number[] }>;
    for (const format of ['jsonl', 'csv'] as const) expectFlat(format, results[format]);
  }, 900_000);
});

function expectFlat(format: 'jsonl' | 'csv', { lines, bytes, heap }: { lines: number; bytes: number; heap: number[] }): void {
  expect(lines).toBe(format === 'csv' ? EVENTS + 1 : EVENTS);
  // Several times the whole heap allowed went through it.
  expect(bytes).toBeGreaterThan(100 * MB);
  // Flat: the heap late in the export is where it was early on (one page is well under 8 MB).
  expect(heap.length).toBeGreaterThan(50);
  const early = Math.max(...heap.slice(2, 12));
  const late = Math.max(...heap.slice(-10));
  expect((late - early) / MB).toBeLessThan(8);
}
