/**
 * Writes generated events straight into the PostgreSQL event store's tables, many per statement,
 * with the per-stream revisions and hash chain the store itself would write. For benchmarks and
 * large test histories only: the application appends through EventStore.appendToStream.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DealEvent, DEAL_EVENT_SCHEMA_VERSION } from '@funnel/domain/deal/deal.events';
import { EventMetadata } from '@funnel/event-store/event-store.port';
import { chainEvents } from '@funnel/event-store/hash-chain';

export interface EventForStream {
  streamId: string;
  event: DealEvent;
}

// One JSON document per chunk: jsonb_array_elements keeps the order (and so the feed order),
// and a single text parameter avoids quoting a million JSON values into array literals.
const INSERT_EVENTS = `
  INSERT INTO events (event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at)
  SELECT (e.doc->>'id')::uuid, e.doc->>'streamId', (e.doc->>'revision')::bigint, e.doc->>'type',
         e.doc->'data', e.doc->'metadata', (e.doc->>'recordedAt')::timestamptz
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, n)
   ORDER BY e.n`;

const UPSERT_STREAM_HEADS = `
  INSERT INTO event_streams (stream_id, revision, last_hash, last_transaction_id)
  SELECT h.stream_id, h.revision, h.last_hash, pg_current_xact_id()
    FROM jsonb_to_recordset($1::jsonb) AS h(stream_id text, revision bigint, last_hash text)
  ON CONFLICT (stream_id) DO UPDATE
     SET revision = excluded.revision, last_hash = excluded.last_hash, last_transaction_id = excluded.last_transaction_id`;

/** Inserts the events in the given (feed) order, `chunkSize` per transaction. */
export async function bulkInsertEvents(
  pool: Pool,
  events: Iterable<EventForStream>,
  options: { chunkSize?: number; onChunk?: (inserted: number) => void } = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 5000;
  const heads = new Map<string, { revision: number; hash: string | null }>();
  let chunk: EventForStream[] = [];
  let inserted = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    // Streams written by an earlier call (or by the store) continue their revisions and chain.
    const unknown = [...new Set(chunk.map((c) => c.streamId).filter((id) => !heads.has(id)))];
    if (unknown.length > 0) {
      const stored = await pool.query<{ stream_id: string; revision: string; last_hash: string | null }>(
        `SELECT stream_id, revision, last_hash FROM event_streams WHERE stream_id = ANY($1::text[])`,
        [unknown],
      );
      for (const row of stored.rows) heads.set(row.stream_id, { revision: Number(row.revision), hash: row.last_hash });
    }
    // One recorded time per chunk, fixed before hashing as the store does (chain version 2).
    const recordedAt = new Date();
    const docs = chunk.map(({ streamId, event }) => {
      const head = heads.get(streamId) ?? { revision: -1, hash: null };
      const revision = head.revision + 1;
      const [chained] = chainEvents(streamId, head.hash, BigInt(revision), [
        {
          id: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: <EventMetadata>{
            correlationId: randomUUID(),
            actor: { id: 'bulk-loader', roles: ['service'] },
            command: 'BulkLoad',
            schemaVersion: DEAL_EVENT_SCHEMA_VERSION[event.type],
          },
        },
      ], recordedAt);
      heads.set(streamId, { revision, hash: chained.metadata.hash ?? null });
      return { ...chained, streamId, revision };
    });
    const touched = [...new Set(chunk.map((c) => c.streamId))].map((streamId) => ({
      stream_id: streamId,
      revision: heads.get(streamId)!.revision,
      last_hash: heads.get(streamId)!.hash,
    }));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(INSERT_EVENTS, [JSON.stringify(docs)]);
      await client.query(UPSERT_STREAM_HEADS, [JSON.stringify(touched)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    inserted += chunk.length;
    chunk = [];
    options.onChunk?.(inserted);
  };
  for (const item of events) {
    chunk.push(item);
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return inserted;
}
