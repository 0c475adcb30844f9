import { Client, Pool } from 'pg';
import { auditStore } from '@funnel/event-store/audit/feed-audit';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { PostgresStreamHeads } from '@funnel/event-store/postgres/postgres-stream-heads';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Auditors: nothing can be changed after the fact without detection. The events table refuses
 * UPDATE and DELETE, but whoever owns the database can switch that off; the audit must then
 * still find every edited event and every removed one, including from a stream's end.
 */
describe('auditing the whole store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  const tick = (n: number) => ({ type: 'Tick', data: { n }, metadata: { actor: { id: 'alice' } } });

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
    store = PostgresEventStore.fromConnectionString(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    await store.appendToStream('deal-a', [tick(1), tick(2), tick(3)], { expectedRevision: 'no_stream' });
    await store.appendToStream('deal-b', [tick(1), tick(2)], { expectedRevision: 'no_stream' });
    await store.appendToStream('deal-c', [tick(1), tick(2), tick(3)], { expectedRevision: 'no_stream' });
    await store.appendToStream('deal-a', [tick(4)], { expectedRevision: 2n });
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await db.drop();
  });

  async function asOwner(sql: string): Promise<void> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_delete');
      await client.query(sql);
      await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_delete');
    } finally {
      await client.end();
    }
  }

  it('finds an untouched store valid', async () => {
    const report = await auditStore(store, { heads: new PostgresStreamHeads(pool), pageSize: 2 });
    expect(report).toEqual({ valid: true, streams: 3, events: 9, breaks: [], breakCount: 0 });
  });

  it('names the edited event, the event removed from the middle and the tail removed from the end', async () => {
    await asOwner(`UPDATE events SET data = '{"n": 99}' WHERE stream_id = 'deal-a' AND stream_revision = 1`);
    await asOwner(`DELETE FROM events WHERE stream_id = 'deal-c' AND stream_revision = 1`);
    await asOwner(`DELETE FROM events WHERE stream_id = 'deal-b' AND stream_revision = 1`);

    const report = await auditStore(store, { heads: new PostgresStreamHeads(pool) });
    expect(report.valid).toBe(false);
    const found = report.breaks.map((b) => `${b.streamId}@${b.revision}:${b.reason}`).sort();
    expect(found).toEqual(
      [
        'deal-a@1:hash_mismatch', // its content no longer matches its stored hash
        'deal-b@1:head_mismatch', // the last event is gone: only the head notices
        'deal-c@2:prev_hash_mismatch', // the middle event is gone
        'deal-c@2:revision_gap',
      ].sort(),
    );
    expect(report.breakCount).toBe(4);
  });
});
