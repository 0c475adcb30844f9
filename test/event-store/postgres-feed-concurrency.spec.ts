import { Client } from 'pg';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { comparePositions } from '@funnel/event-store/global-position';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The PostgreSQL feed under concurrent writers: transactions commit out of order, and a
 * subscriber that started at the beginning must still see every event exactly once, with each
 * stream's revisions in order.
 */
describe('PostgreSQL global feed under concurrent writers', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
    store = PostgresEventStore.fromConnectionString(db.url, 12);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('8 writers × 500 appends to random streams: the subscriber sees each event exactly once, in stream order', async () => {
    const writers = 8;
    const appendsPerWriter = 500;
    const streams = Array.from({ length: 40 }, (_, i) => `feed-${i}`);
    const total = writers * appendsPerWriter;

    const subscription = store.subscribeToAll({ from: 'start', filter: { streamPrefixes: ['feed-'] } });
    const seen: RecordedEvent[] = [];
    const reading = (async () => {
      for await (const event of subscription) {
        seen.push(event);
        if (seen.length === total) break;
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          const stream = streams[Math.floor(Math.random() * streams.length)];
          await store.appendToStream(stream, [{ type: 'Tick', data: { w, i } }], { expectedRevision: 'any' });
        }
      }),
    );
    const timeout = setTimeout(() => void subscription.stop(), 30_000);
    await reading;
    clearTimeout(timeout);
    await subscription.stop();

    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((e) => e.id)).size).toBe(total);
    for (let i = 1; i < seen.length; i++) {
      expect(comparePositions(seen[i - 1].position, seen[i].position)).toBe(-1);
    }
    const lastRevision = new Map<string, bigint>();
    for (const event of seen) {
      const previous = lastRevision.get(event.streamId) ?? -1n;
      expect(event.revision).toBe(previous + 1n);
      lastRevision.set(event.streamId, event.revision);
    }
  });

  it('refuses to update, delete or truncate stored events', async () => {
    await store.appendToStream('immutable-1', [{ type: 'Tick', data: {} }], { expectedRevision: 'no_stream' });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE events SET data = '{"n":1}'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
      await expect(client.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
    expect(await store.readStream('immutable-1')).toHaveLength(1);
  });
});
