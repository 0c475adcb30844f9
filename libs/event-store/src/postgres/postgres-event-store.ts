import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
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
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.inTransaction((client) =>
          this.appendInTransaction(client, streamId, withIds, expectedRevision),
        );
      } catch (error) {
        if (error instanceof StaleTransactionId && attempt < MAX_STALE_XID_RETRIES) continue;
        throw error;
      }
    }
  }

  private async appendInTransaction(
    client: PoolClient,
    streamId: string,
    events: { id: string; type: string; data: unknown; metadata: Record<string, unknown> }[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const replay = await this.findIdempotentReplay(client, streamId, events.map((e) => e.id), expected);
    if (replay) return replay;

    // Creates the head row if absent (revision -1 means "no events yet") and then locks it,
    // so appends to one stream queue up behind each other.
    await client.query(
      `INSERT INTO event_streams (stream_id, revision, last_transaction_id)
       VALUES ($1, -1, '0') ON CONFLICT (stream_id) DO NOTHING`,
      [streamId],
    );
    const head = await client.query<{
      revision: string;
      last_hash: string | null;
      last_transaction_id: string;
      stale: boolean;
      recorded_at: Date;
    }>(
      // The recorded time is fixed here, once the stream is ours, and hashed (chain version 2):
      // the row stores exactly this instant, truncated to what a JavaScript Date keeps, rather
      // than a column default that would differ from what was hashed.
      `SELECT revision, last_hash, last_transaction_id,
              last_transaction_id > pg_current_xact_id() AS stale,
              date_trunc('milliseconds', clock_timestamp()) AS recorded_at
         FROM event_streams WHERE stream_id = $1 FOR UPDATE`,
      [streamId],
    );
    const row = head.rows[0];
    const current = BigInt(row.revision);
    const actual: bigint | 'no_stream' = current < 0n ? 'no_stream' : current;
    if (!revisionMatches(expected, actual)) {
      throw new WrongExpectedVersionError(streamId, expected, actual);
    }
    // The feed is ordered by transaction id. A transaction that took its id before the
    // stream's previous writer (and then waited for its lock) would appear in the feed ahead
    // of events it follows; such a transaction starts again with a newer id.
    if (row.stale) throw new StaleTransactionId();

    const firstRevision = current + 1n;
    const chained = chainEvents(streamId, row.last_hash, firstRevision, events, row.recorded_at);
    const inserted = await client.query<{
      global_position: string;
      transaction_id: string;
    }>(
      `INSERT INTO events (event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at)
       SELECT e.id, $1, e.revision, e.type, e.data, e.metadata, $7::timestamptz
         FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[])
              WITH ORDINALITY AS e(id, revision, type, data, metadata, n)
        ORDER BY e.n
       RETURNING global_position, transaction_id`,
      [
        streamId,
        chained.map((e) => e.id),
        chained.map((_, i) => (firstRevision + BigInt(i)).toString()),
        chained.map((e) => e.type),
        chained.map((e) => JSON.stringify(e.data)),
        chained.map((e) => JSON.stringify(e.metadata)),
        row.recorded_at,
      ],
    );
    const lastRevision = current + BigInt(events.length);
    await client.query(
      `UPDATE event_streams
          SET revision = $2, last_hash = $3, last_transaction_id = pg_current_xact_id()
        WHERE stream_id = $1`,
      [streamId, lastRevision.toString(), chained[chained.length - 1].metadata.hash],
    );
    await client.query(`SELECT pg_notify($1, $2)`, [FEED_CHANNEL, streamId]);
    const last = inserted.rows.reduce((a, b) =>
      BigInt(a.global_position) > BigInt(b.global_position) ? a : b,
    );
    return {
      nextExpectedRevision: lastRevision,
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  }

  /**
   * A retried append whose event ids are all stored already, in this stream and in this
   * order, succeeds again without writing; a partial overlap is a conflict.
   */
  private async findIdempotentReplay(
    client: PoolClient,
    streamId: string,
    ids: string[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | null> {
    const found = await client.query<EventRow>(
      `SELECT event_id, stream_id, stream_revision, global_position, transaction_id
         FROM events WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    if (found.rowCount === 0) return null;
    const byId = new Map(found.rows.map((r) => [r.event_id, r]));
    const rows = ids.map((id) => byId.get(id));
    const first = rows[0];
    const sameBatch =
      rows.every((r): r is EventRow => r !== undefined && r.stream_id === streamId) &&
      first !== undefined &&
      rows.every((r, i) => BigInt(r!.stream_revision) === BigInt(first.stream_revision) + BigInt(i));
    const firstRevision = first ? BigInt(first.stream_revision) : 0n;
    const expectedFits =
      expected === 'any' ||
      (expected === 'no_stream' && firstRevision === 0n) ||
      (expected === 'stream_exists' && firstRevision > 0n) ||
      (typeof expected === 'bigint' && expected + 1n === firstRevision);
    if (!sameBatch || !expectedFits) {
      const head = await this.streamRevision(client, streamId);
      throw new WrongExpectedVersionError(streamId, expected, head);
    }
    const last = rows[rows.length - 1]!;
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) },
    };
  }

  private async streamRevision(client: PoolClient, streamId: string): Promise<bigint | 'no_stream'> {
    const r = await client.query<{ revision: string }>(
      `SELECT revision FROM event_streams WHERE stream_id = $1 AND revision >= 0`,
      [streamId],
    );
    return r.rowCount ? BigInt(r.rows[0].revision) : 'no_stream';
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

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function revisionMatches(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
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
