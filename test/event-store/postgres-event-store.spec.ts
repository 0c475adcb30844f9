import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { linkBreaks } from '@funnel/event-store/hash-chain';
import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../support/test-database';
import { eventStoreContract } from './event-store.contract';

async function freshStore() {
  const db = await createTestDatabase();
  await migrateDatabase(db.url, EVENT_STORE_MIGRATIONS);
  const store = PostgresEventStore.fromConnectionString(db.url);
  return {
    db,
    store,
    dispose: async () => {
      await store.close();
      await db.drop();
    },
  };
}

eventStoreContract('PostgreSQL', freshStore);

/** What the PostgreSQL adapter's two-round-trip append must keep beyond the shared contract. */
describe('PostgreSQL append', () => {
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  let store: PostgresEventStore;
  const event = (n: number) => ({ id: randomUUID(), type: 'Tested', data: { n, text: `it's \\ "quoted" ${n}` }, metadata: { note: "o'clock" } });

  beforeAll(async () => {
    fresh = await freshStore();
    store = fresh.store;
  });
  afterAll(() => fresh.dispose());

  it('stores stream ids, data and metadata with quotes and backslashes exactly, and keeps the chain verifiable', async () => {
    const streamId = `odd-'stream'\\${randomUUID()}`;
    const first = [event(1), event(2)];
    await store.appendToStream(streamId, first, { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, [event(3)], { expectedRevision: 1n });
    const read = await store.readStream(streamId);
    expect(read.map((e) => [e.streamId, e.revision, e.data])).toEqual([
      [streamId, 0n, first[0].data],
      [streamId, 1n, first[1].data],
      [streamId, 2n, { n: 3, text: `it's \\ "quoted" 3` }],
    ]);
    expect(read.every((e) => e.metadata.note === "o'clock")).toBe(true);
    let previous: { hash: string | null; version: 1 | 2 | null } | null = null;
    for (const e of read) {
      expect(linkBreaks(e, previous, e.revision)).toEqual([]);
      previous = { hash: e.metadata.hash as string, version: 2 };
    }
    const head = await store.heads.head(streamId);
    expect(head).toMatchObject({ revision: 2n, hash: read[2].metadata.hash });
  });

  it('refuses a retry whose ids are only partly stored, or stored at another revision, naming the actual head', async () => {
    const streamId = `replay-${randomUUID()}`;
    const batch = [event(1), event(2)];
    await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
    await expect(store.appendToStream(streamId, [batch[0], event(3)], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      name: 'WrongExpectedVersionError',
      actual: 1n,
    });
    await expect(store.appendToStream(streamId, batch, { expectedRevision: 0n })).rejects.toMatchObject({
      name: 'WrongExpectedVersionError',
      actual: 1n,
    });
    // Nothing of the refused attempts stayed: the stream and its head are as the first append left them.
    expect(await store.readStream(streamId)).toHaveLength(2);
    expect((await store.heads.head(streamId))?.revision).toBe(1n);
  });

  it('leaves no head behind for a stream whose first append was refused', async () => {
    const streamId = `refused-${randomUUID()}`;
    await expect(store.appendToStream(streamId, [event(1)], { expectedRevision: 0n })).rejects.toMatchObject({
      name: 'WrongExpectedVersionError',
      actual: 'no_stream',
    });
    const pool = new Pool({ connectionString: fresh.db.url, max: 1 });
    try {
      expect((await pool.query('SELECT 1 FROM event_streams WHERE stream_id = $1', [streamId])).rowCount).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
