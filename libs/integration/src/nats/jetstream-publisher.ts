/**
 * Publishes a contract's messages to a NATS JetStream stream, in feed order, from its own
 * checkpoint. No loss: the checkpoint moves only after JetStream acknowledged. No duplicates:
 * the message id is the event id (JetStream drops a repeat inside its duplicate window), and on
 * every (re)start the publisher resumes after the last message the stream already holds, so a
 * crash between publishing and saving the checkpoint repeats nothing however long it was down.
 */
import { connect } from '@nats-io/transport-node';
import { headers, NatsConnection, nanos } from '@nats-io/nats-core';
import { jetstreamManager, JetStreamManager, jetstream } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { comparePositions, formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { ConsumerCheckpoints } from '../checkpoint/consumer-checkpoint';
import { OutboundContract, OutboundMessage } from '../contract/outbound-contract';
import { OutboundFeed } from '../feed/outbound-feed';

export const NATS_HEADERS = {
  schema: 'Funnel-Schema',
  eventId: 'Funnel-Event-Id',
  position: 'Funnel-Position',
} as const;

export interface JetStreamPublisherOptions {
  servers: string;
  stream: string;
  store: EventStore;
  pool: Pool;
  contract: OutboundContract;
  /** Prepended to every subject (tests use it to keep their streams apart); '' in production. */
  subjectPrefix?: string;
  log?: (message: string, error?: unknown) => void;
  /** How often the checkpoint is saved while messages flow. */
  checkpointEveryMs?: number;
  /** Called after each acknowledged publish (benchmarks). */
  onPublished?: (message: OutboundMessage) => void;
}

export class JetStreamPublisher {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private readonly checkpoints: ConsumerCheckpoints;
  private connection: NatsConnection | null = null;
  private feed: OutboundFeed | null = null;

  constructor(private readonly options: JetStreamPublisherOptions) {
    this.checkpoints = new ConsumerCheckpoints(options.pool);
  }

  get consumer(): string {
    return `nats:${this.options.stream}`;
  }

  get subjects(): string {
    return `${this.options.subjectPrefix ?? ''}${this.options.contract.subject}.>`;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops after the publish in flight and saves the checkpoint. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.feed?.stop();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const outcome = await this.withPublisherLock(() => this.session());
        failures = 0;
        if (outcome === 'standby') await this.sleep(1000);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.options.log?.(`NATS publisher (${this.options.stream}): failed, retrying in ${delay} ms from the checkpoint`, error);
        await this.sleep(delay);
      } finally {
        await this.closeConnection();
      }
    }
  }

  /**
   * One publisher per stream across processes (npm start and a standalone projector may both
   * run it): a session-level advisory lock on a connection held for the session. The others
   * stand by, so the stream is never written by two in interleaved order.
   */
  private async withPublisherLock(work: () => Promise<void>): Promise<'done' | 'standby'> {
    const client = await this.options.pool.connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      const locked = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(727200, hashtext($1)) AS ok`, [this.consumer]);
      if (!locked.rows[0].ok) return 'standby';
      await work();
      return 'done';
    } finally {
      client.off('error', ignore);
      // Destroyed, not pooled: closing the session frees the lock.
      client.release(true);
    }
  }

  /** One connection's life: make sure the stream exists, find where to resume, publish until stopped or failed. */
  private async session(): Promise<void> {
    const connection = await connect({ servers: this.options.servers, reconnect: false, name: `funnel-${this.consumer}` });
    this.connection = connection;
    const manager = await jetstreamManager(connection);
    await this.ensureStream(manager);
    const from = await this.resumePosition(manager);
    const js = jetstream(connection);
    const feed = new OutboundFeed(this.options.store, this.options.contract, from, {});
    this.feed = feed;
    if (this.stopping.signal.aborted) await feed.stop();
    // A closed connection (broker gone) must end this session even while the feed is idle.
    void connection.closed().then(() => feed.stop());
    let saved = from;
    let last: GlobalPosition | 'start' = from;
    let savedAt = Date.now();
    try {
      for await (const message of feed) {
        const h = headers();
        h.set(NATS_HEADERS.schema, message.schema);
        h.set(NATS_HEADERS.eventId, message.eventId);
        h.set(NATS_HEADERS.position, formatPosition(message.position));
        await js.publish(`${this.options.subjectPrefix ?? ''}${this.options.contract.subject}.${message.route}`, JSON.stringify(message.body), {
          msgID: message.eventId,
          headers: h,
          timeout: 5000,
        });
        last = message.position;
        this.options.onPublished?.(message);
        if (Date.now() - savedAt >= (this.options.checkpointEveryMs ?? 500)) {
          await this.checkpoints.save(this.consumer, last);
          saved = last;
          savedAt = Date.now();
        }
      }
    } finally {
      if (last !== saved && last !== 'start') await this.checkpoints.save(this.consumer, last).catch(() => undefined);
    }
    if (!this.stopping.signal.aborted) throw new Error('the connection to NATS closed');
  }

  private async ensureStream(manager: JetStreamManager): Promise<void> {
    try {
      await manager.streams.info(this.options.stream);
    } catch (error) {
      if (!/stream not found/i.test((error as Error).message)) throw error;
      await manager.streams.add({
        name: this.options.stream,
        subjects: [this.subjects],
        // Long enough to cover a publish retried after a lost acknowledgement.
        duplicate_window: nanos(10 * 60_000),
      });
      this.options.log?.(`NATS publisher: created stream ${this.options.stream} for ${this.subjects}`);
    }
  }

  /**
   * The later of the saved checkpoint and the position of the last message in the stream: the
   * stream is written in feed order, so everything up to its last message is already there.
   */
  private async resumePosition(manager: JetStreamManager): Promise<GlobalPosition | 'start'> {
    const checkpoint = await this.checkpoints.read(this.consumer);
    const info = await manager.streams.info(this.options.stream);
    if (info.state.last_seq === 0) return checkpoint;
    const last = await manager.streams.getMessage(this.options.stream, { seq: info.state.last_seq });
    const text = last?.header?.get(NATS_HEADERS.position);
    if (!text) return checkpoint;
    const inStream = parsePosition(text);
    return checkpoint === 'start' || comparePositions(inStream, checkpoint) > 0 ? inStream : checkpoint;
  }

  private async closeConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.feed = null;
    if (connection && !connection.isClosed()) await connection.close().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
