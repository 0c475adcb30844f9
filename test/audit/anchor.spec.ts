import { Pool } from 'pg';
import { ANCHOR_STREAM, findAnchor } from '@funnel/event-store/audit/anchor/anchor';
import { auditStore } from '@funnel/event-store/audit/feed-audit';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { anchorCommand, verifyAnchorCommand } from '../../apps/projector/src/cli/audit.command';
import { GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { anchorIfDue } from '@funnel/event-store/audit/anchor/anchor-schedule';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { feedShows } from './support/feed-shows';
import { asDatabaseOwner, forgeAndRehash } from './support/rewrite-store';

/**
 * Anchors close what the chain cannot: a forger who rewrites events *and* heads. After
 * `audit anchor`, `audit verify --anchor <root>` must detect a whole stream deleted, one event
 * edited, and one event edited with the rest of its stream re-hashed — each by name.
 */
describe('npm run funnel -- audit anchor / audit verify --anchor', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let root: string;
  let position: string;
  const tick = (n: number) => ({ type: 'Tick', data: { n }, metadata: { actor: { id: 'alice' } } });

  async function run(command: (out: (l: string) => void) => Promise<number>): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await command((l) => lines.push(l));
    return { code, lines };
  }
  const verify = (at = root, pos?: string) => run((out) => verifyAnchorCommand({ store, out }, at, pos));

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
    store = PostgresEventStore.fromConnectionString(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    let last: GlobalPosition | undefined;
    for (const s of ['deal-a', 'deal-b', 'deal-c', 'deal-d']) {
      last = (await store.appendToStream(s, [tick(1), tick(2), tick(3)], { expectedRevision: 'no_stream' })).position;
    }
    await feedShows(store, last!);
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await db.drop();
  });

  it('records and prints an anchor over every stream head, and verifies an untouched store', async () => {
    const anchored = await run((out) => anchorCommand({ store, out, actor: 'aldo' }));
    expect(anchored.code).toBe(0);
    const match = /^anchor ([0-9a-f]{64})$/.exec(anchored.lines[0]);
    expect(match).not.toBeNull();
    root = match![1];
    const anchor = (await findAnchor(store, root))!;
    expect(anchor).toMatchObject({ root, count: 4, algorithm: 'rfc6962-sha256:stream-heads/1' });
    expect(anchor.leaves.map(([s, r]) => `${s}@${r}`)).toEqual(['deal-a@2', 'deal-b@2', 'deal-c@2', 'deal-d@2']);
    position = anchor.coveredPosition;
    expect(anchored.lines[1]).toContain(`covered position ${position}`);
    const [event] = await store.readStream(ANCHOR_STREAM);
    expect(event).toMatchObject({ type: 'AuditAnchorRecorded', metadata: { actor: { id: 'aldo' }, chainVersion: 2 } });

    // appends after the anchor are outside what it covers
    await store.appendToStream('deal-a', [tick(4)], { expectedRevision: 2n });
    await store.appendToStream('deal-e', [tick(1)], { expectedRevision: 'no_stream' });
    const verified = await verify();
    expect(verified.code).toBe(0);
    expect(verified.lines).toContain(`VERIFIED: nothing covered by anchor ${root} was lost, changed or reordered`);
  });

  it('detects a whole stream deleted, with its head', async () => {
    await asDatabaseOwner(db.url, async (c) => {
      await c.query(`DELETE FROM events WHERE stream_id = 'deal-b'`);
      await c.query(`DELETE FROM event_streams WHERE stream_id = 'deal-b'`);
    });
    expect((await auditStore(store)).valid).toBe(true); // chains and heads agree: only the anchor can tell
    const result = await verify();
    expect(result.code).toBe(3);
    expect(result.lines).toContainEqual(expect.stringMatching(/^ {2}deal-b: stream_lost anchored revision 2 [0-9a-f]{12}… found nothing$/));
  });

  it('detects one event edited', async () => {
    await asDatabaseOwner(db.url, (c) => c.query(`UPDATE events SET data = '{"n": 99}' WHERE stream_id = 'deal-c' AND stream_revision = 1`).then(() => undefined));
    const result = await verify();
    expect(result.code).toBe(3);
    expect(result.lines).toContainEqual('  deal-c: hash_mismatch found revision 1');
  });

  it('detects an edited event whose stream was re-hashed after it (head moved along)', async () => {
    await asDatabaseOwner(db.url, (c) => forgeAndRehash(c, 'deal-d', 0, { n: 100 }));
    expect((await auditStore(store)).breaks.filter((b) => b.streamId === 'deal-d')).toEqual([]); // the chain is consistent again
    const result = await verify();
    expect(result.code).toBe(3);
    expect(result.lines).toContainEqual(expect.stringMatching(/^ {2}deal-d: head_changed anchored revision 2 [0-9a-f]{12}… found revision 2 [0-9a-f]{12}…$/));
    const named = result.lines.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(':')[0]);
    expect(new Set(named)).toEqual(new Set(['deal-b', 'deal-c', 'deal-d']));
  });

  it('still verifies from the kept root and position when the anchor event itself is gone', async () => {
    await asDatabaseOwner(db.url, async (c) => {
      await c.query(`DELETE FROM events WHERE stream_id = $1`, [ANCHOR_STREAM]);
    });
    const without = await verify(root);
    expect(without.code).toBe(3);
    expect(without.lines).toContain('NOT VERIFIED: without the anchor event, pass the position printed with it (--position)');
    const withPosition = await verify(root, position);
    expect(withPosition.code).toBe(3);
    expect(withPosition.lines).toContain(`NOT VERIFIED: the store no longer matches anchor ${root}`);
  });
});

describe('anchors on a schedule (the projector, AUDIT_ANCHOR_INTERVAL_MINUTES)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
    store = PostgresEventStore.fromConnectionString(db.url);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('anchors when due and something new was recorded, and not otherwise', async () => {
    expect(await anchorIfDue(store, HOUR)).toEqual({ skipped: 'empty store' });
    const written = await store.appendToStream('deal-x', [{ type: 'Tick', data: { n: 1 } }], { expectedRevision: 'no_stream' });
    await feedShows(store, written.position);
    const first = await anchorIfDue(store, HOUR);
    expect('recorded' in first && first.recorded.count).toBe(1);
    const anchorPosition = 'recorded' in first ? parsePosition(first.recorded.position) : written.position;
    await feedShows(store, anchorPosition);
    expect(await anchorIfDue(store, HOUR, Date.now() + 2 * HOUR)).toEqual({ skipped: 'nothing new' });

    const more = await store.appendToStream('deal-y', [{ type: 'Tick', data: { n: 1 } }], { expectedRevision: 'no_stream' });
    await feedShows(store, more.position);
    expect(await anchorIfDue(store, HOUR)).toEqual({ skipped: 'recent anchor' });
    const due = await anchorIfDue(store, HOUR, Date.now() + HOUR);
    expect('recorded' in due && due.recorded.count).toBe(2);
  });
});
