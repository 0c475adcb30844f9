import { randomUUID } from 'node:crypto';
import { Pool, PoolClient, QueryResult, escapeLiteral } from 'pg';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionFilter,
} from '../event-store.port';
import { StreamNotFoundError, WrongExpectedVersionError } from '../event-store.errors';
import { GlobalPosition } from '../global-position';
import { chainEvents } from '../hash-chain';
import { FeedWakeUps } from './feed-wake-ups';
import { PollingSubscription } from './polling-subscription';
import { PostgresStreamHeads } from './postgres-stream-heads';

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

/** The head of a stream as the append's first round trip locks it, with the events already stored under the ids given. */
interface LockedHead {
  revision: string;
  last_hash: string | null;
  stale: boolean;
  recorded_at: Date;
  replay: ReplayRow[] | null;
}

interface ReplayRow {
  event_id: string;
  stream_id: string;
  stream_revision: string;
  global_position: string;
  transaction_id: string;
}

/** Raised inside an append whose transaction id is older than the stream's last writer's. */
class StaleTransactionId extends Error {}

const MAX_STALE_XID_RETRIES = 10;
export const FEED_CHANNEL = 'funnel_events';

/**
 * The event store on PostgreSQL: one append-only `events` table, one row per stream head in
 * `event_streams` for optimistic concurrency, and a global feed that is gap-free under
 * concurrent writers.
 */
export class PostgresEventStore implements EventStore {
  private readonly wakeUps: FeedWakeUps;
  readonly heads: PostgresStreamHeads;

  constructor(
    private readonly pool: Pool,
    private readonly options: { pollIntervalMs?: number } = {},
  ) {
    this.wakeUps = new FeedWakeUps(pool, FEED_CHANNEL);
    this.heads = new PostgresStreamHeads(pool);
    // An idle connection that the server closes (restart, shutdown) is dropped by the pool;
    // without a listener its 'error' event would crash the process.
    pool.on('error', () => undefined);
  }

  static fromConnectionString(connectionString: string, poolSize = 10): PostgresEventStore {
    return new PostgresEventStore(new Pool({ connectionString, max: poolSize }));
  }

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const withIds = events.map((e) => ({
      id: e.id ?? randomUUID(),
      type: e.type,
      data: e.data,
      metadata: e.metadata ?? {},
    }));
    const client = await this.pool.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.appendInTransaction(client, streamId, withIds, expectedRevision);
        } catch (error) {
          if (error instanceof StaleTransactionId && attempt < MAX_STALE_XID_RETRIES) continue;
          throw error;
        }
      }
    } finally {
      client.release();
    }
  }

  /**
   * One append in two round trips, both simple-protocol queries with their values inlined as
   * literals (escapeLiteral) so that a query can carry BEGIN or COMMIT too: the first begins
   * the transaction, locks the stream's head (creating it at revision -1 for a new stream) and
   * reads, with the same snapshot, any stored events that carry the ids given (a retried
   * append); the events are hashed here on the head it returns; the second inserts them,
   * moves the head, notifies feed readers and commits. The answer is given after COMMIT
   * returns, that is once the events are durable. Anything else ends in ROLLBACK.
   */
  private async appendInTransaction(
    client: PoolClient,
    streamId: string,
    events: { id: string; type: string; data: unknown; metadata: Record<string, unknown> }[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const stream = escapeLiteral(streamId);
    let open = false;
    try {
      // pg returns one result per statement of a simple query: [BEGIN, the SELECT].
      open = true;
      const [, locked] = (await client.query(
        // The recorded time is fixed here, once the stream is ours, and hashed (chain version 2):
        // the row stores exactly this instant, truncated to what a JavaScript Date keeps, rather
        // than a column default that would differ from what was hashed.
        `BEGIN;
         WITH head AS (
           INSERT INTO event_streams AS s (stream_id, revision, last_transaction_id)
           VALUES (${stream}, -1, '0')
           ON CONFLICT (stream_id) DO UPDATE SET stream_id = s.stream_id
           RETURNING s.revision, s.last_hash, s.last_transaction_id
         )
         SELECT revision, last_hash,
                last_transaction_id > pg_current_xact_id() AS stale,
                date_trunc('milliseconds', clock_timestamp()) AS recorded_at,
                (SELECT json_agg(json_build_object(
                          'event_id', event_id, 'stream_id', stream_id, 'stream_revision', stream_revision::text,
                          'global_position', global_position::text, 'transaction_id', transaction_id::text))
                   FROM events WHERE event_id = ANY(${uuidArray(events.map((e) => e.id))})) AS replay
           FROM head`,
      )) as unknown as QueryResult<LockedHead>[];
      const row = locked.rows[0];
      const current = BigInt(row.revision);
      const actual: bigint | 'no_stream' = current < 0n ? 'no_stream' : current;
      if (row.replay) return this.idempotentReplay(streamId, events.map((e) => e.id), row.replay, expected, actual);
      if (!revisionMatches(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
      // The feed is ordered by transaction id. A transaction that took its id before the
      // stream's previous writer (and then waited for its lock) would appear in the feed ahead
      // of events it follows; such a transaction starts again with a newer id.
      if (row.stale) throw new StaleTransactionId();

      const firstRevision = current + 1n;
      const lastRevision = current + BigInt(events.length);
      const chained = chainEvents(streamId, row.last_hash, firstRevision, events, row.recorded_at);
      const [written] = (await client.query(
        `WITH inserted AS (
           INSERT INTO events (event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at)
           SELECT e.id, ${stream}, e.revision, e.type, e.data, e.metadata, ${escapeLiteral(row.recorded_at.toISOString())}::timestamptz
             FROM unnest(${uuidArray(chained.map((e) => e.id))},
                         ${typedArray(chained.map((_, i) => (firstRevision + BigInt(i)).toString()), 'bigint')},
                         ${typedArray(chained.map((e) => e.type), 'text')},
                         ${typedArray(chained.map((e) => JSON.stringify(e.data)), 'jsonb')},
                         ${typedArray(chained.map((e) => JSON.stringify(e.metadata)), 'jsonb')})
                  WITH ORDINALITY AS e(id, revision, type, data, metadata, n)
            ORDER BY e.n
           RETURNING global_position, transaction_id
         ), moved AS (
           UPDATE event_streams
              SET revision = ${lastRevision.toString()}, last_hash = ${escapeLiteral(chained[chained.length - 1].metadata.hash as string)},
                  last_transaction_id = pg_current_xact_id()
            WHERE stream_id = ${stream}
         )
         SELECT global_position, transaction_id, pg_notify(${escapeLiteral(FEED_CHANNEL)}, ${stream}) IS NULL AS notified
           FROM inserted ORDER BY global_position DESC LIMIT 1;
         COMMIT`,
      )) as unknown as QueryResult<{ global_position: string; transaction_id: string }>[];
      open = false;
      const last = written.rows[0];
      return {
        nextExpectedRevision: lastRevision,
        position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
      };
    } finally {
      // Refusals, replays and errors: nothing of this transaction stays.
      if (open) await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /**
   * A retried append whose event ids are all stored already, in this stream and in this
   * order, succeeds again without writing; a partial overlap is a conflict.
   */
  private idempotentReplay(
    streamId: string,
    ids: string[],
    found: ReplayRow[],
    expected: ExpectedRevision,
    head: bigint | 'no_stream',
  ): AppendResult {
    const byId = new Map(found.map((r) => [r.event_id, r]));
    const rows = ids.map((id) => byId.get(id));
    const first = rows[0];
    const sameBatch =
      rows.every((r): r is ReplayRow => r !== undefined && r.stream_id === streamId) &&
      first !== undefined &&
      rows.every((r, i) => BigInt(r!.stream_revision) === BigInt(first.stream_revision) + BigInt(i));
    const firstRevision = first ? BigInt(first.stream_revision) : 0n;
    const expectedFits =
      expected === 'any' ||
      (expected === 'no_stream' && firstRevision === 0n) ||
      (expected === 'stream_exists' && firstRevision > 0n) ||
      (typeof expected === 'bigint' && expected + 1n === firstRevision);
    if (!sameBatch || !expectedFits) throw new WrongExpectedVersionError(streamId, expected, head);
    const last = rows[rows.length - 1]!;
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const result = await this.pool.query<EventRow>(
      `SELECT * FROM events
        WHERE stream_id = $1
          AND ($2::bigint IS NULL OR ${backwards ? 'stream_revision <= $2' : 'stream_revision >= $2'})
        ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'}
        LIMIT $3`,
      [streamId, from === undefined ? null : from.toString(), options.maxCount ?? null],
    );
    if (result.rowCount === 0) {
      const exists = await this.pool.query(`SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1`, [
        streamId,
      ]);
      if (exists.rowCount === 0) throw new StreamNotFoundError(streamId);
    }
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.readFeedPage(options.after ?? 'start', options.maxCount, options.filter);
  }

  /**
   * One page of the global feed after `after`, in feed order. Only transactions older than
   * the oldest one still running are read: everything below pg_snapshot_xmin has committed
   * or aborted, so no event can later appear behind the returned page.
   */
  private async readFeedPage(
    after: GlobalPosition | 'start',
    maxCount: number,
    filter: SubscriptionFilter | undefined,
  ): Promise<RecordedEvent[]> {
    const start = after === 'start' ? { commit: 0n, prepare: 0n } : after;
    const prefixes = filter?.streamPrefixes?.map((p) => `${escapeLike(p)}%`) ?? null;
    const types = filter?.eventTypes ?? null;
    const result = await this.pool.query<EventRow>(
      `SELECT * FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND ($3::text[] IS NULL OR stream_id LIKE ANY($3::text[]))
          AND ($4::text[] IS NULL OR event_type = ANY($4::text[]))
        ORDER BY transaction_id, global_position
        LIMIT $5`,
      [start.commit.toString(), start.prepare.toString(), prefixes, types, maxCount],
    );
    return result.rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<GlobalPosition | null> {
    const result = await this.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id, global_position FROM events
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) } : null;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new PollingSubscription({
      start: options.from === 'end' ? this.headPosition().then((p) => p ?? 'start') : options.from,
      readPage: (after, max) => this.readFeedPage(after, max, options.filter),
      wakeUps: this.wakeUps,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
    });
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM events LIMIT 0');
  }

  async close(): Promise<void> {
    await this.wakeUps.close();
    await this.pool.end();
  }
}

function revisionMatches(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}

/** ARRAY[...]::uuid[] of literals; '{}'::uuid[] when empty. */
function uuidArray(ids: string[]): string {
  return typedArray(ids, 'uuid');
}

function typedArray(values: string[], type: 'uuid' | 'bigint' | 'text' | 'jsonb'): string {
  return values.length === 0 ? `'{}'::${type}[]` : `ARRAY[${values.map(escapeLiteral).join(',')}]::${type}[]`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
    recordedAt: row.recorded_at,
  };
}
