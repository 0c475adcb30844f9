/**
 * The event store port: the only source of truth. Two adapters implement it (PostgreSQL, the
 * default, and EventStoreDB) and one contract suite (test/event-store) holds both to it.
 */
import { GlobalPosition } from './global-position';
import { StreamHeadSource } from './stream-heads';

/** What an append expects of the stream before it writes. */
export type ExpectedRevision =
  | 'no_stream' // the stream must not exist
  | 'stream_exists' // the stream must have at least one event
  | 'any' // no check
  | bigint; // the stream's last event must have exactly this revision (0-based)

/** Who caused an event and in reply to what; free extra keys are kept as they are. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** The authenticated subject (user or service id) that issued the command. */
  actor?: { id: string; name?: string; roles?: string[] };
  /** Name of the command that produced the event. */
  command?: string;
  schemaVersion?: number;
  /** Per-stream hash chain, written by the store on append (see hash-chain.ts). */
  prevHash?: string;
  hash?: string;
  /** The hash chain version the event was hashed under; absent for version 1. */
  chainVersion?: number;
  /** false where the store sets the recorded time after hashing (EventStoreDB). */
  recordedAtHashed?: boolean;
  [key: string]: unknown;
}

/** An event as a caller hands it to the store. */
export interface EventToAppend<T extends string = string, D = unknown> {
  /** Caller-supplied id makes a retried append idempotent; otherwise a new uuid is made. */
  id?: string;
  type: T;
  data: D;
  metadata?: EventMetadata;
}

/** An event as the store recorded it. */
export interface RecordedEvent<T extends string = string, D = unknown> {
  id: string;
  type: T;
  data: D;
  metadata: EventMetadata;
  streamId: string;
  /** 0-based position of the event in its stream. */
  revision: bigint;
  /** Position in the global feed (total order over all streams). */
  position: GlobalPosition;
  /** When the store recorded the event (not the business time). */
  recordedAt: Date;
}

export interface AppendResult {
  /** The revision to expect on the next append: that of the last event written. */
  nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  position: GlobalPosition;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive revision to start at; defaults to the start (forwards) or end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position; 'start' for the beginning. */
  after?: GlobalPosition | 'start';
  /** At most this many events (after filtering). */
  maxCount: number;
  filter?: SubscriptionFilter;
}

export interface SubscriptionFilter {
  /** Only streams whose id starts with one of these prefixes (e.g. "deal-"). */
  streamPrefixes?: string[];
  /** Only events of these types. */
  eventTypes?: string[];
}

export interface SubscribeOptions {
  /** Exclusive start: events strictly after this position; 'start' replays everything. */
  from: GlobalPosition | 'start' | 'end';
  filter?: SubscriptionFilter;
}

/** A catch-up subscription: replays from `from`, then goes live. `stop()` ends the iteration. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export interface EventStore {
  /**
   * Where the store keeps each stream's head apart from its events (PostgreSQL), so that a
   * removed last event shows; absent on EventStoreDB, whose streams end at their last event.
   */
  readonly heads?: StreamHeadSource;
  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of the global feed in feed order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the newest event in the global feed, or null when the store is empty. */
  headPosition(): Promise<GlobalPosition | null>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** A short status for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
