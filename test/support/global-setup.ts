import { mkdtemp } from 'node:fs/promises';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../libs/event-store/src/postgres/embedded-database';

/**
 * With DATABASE_URL set, tests use that server. Without it they start an embedded PostgreSQL
 * in a temporary folder, so `npm test` passes on a machine with no PostgreSQL installed.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const dir = await mkdtemp(join(tmpdir(), 'funnel-test-'));
  await chmod(dir, 0o755); // the embedded server may run as the `postgres` OS user
  const db = await startEmbeddedDatabase(dir);
  process.env.DATABASE_URL = db.url;
  (globalThis as { __FUNNEL_EMBEDDED__?: { stop(): Promise<void> } }).__FUNNEL_EMBEDDED__ = db;
}
