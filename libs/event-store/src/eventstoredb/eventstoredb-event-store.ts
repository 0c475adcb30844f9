import { randomUUID } from 'node:crypto';
import {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  Filter,
  JSONType,
  NO_STREAM,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
  START,
  eventTypeFilter,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  AppendResult,
  EventMetadata,
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
import { GlobalPosition, comparePositions, formatPosition } from '../global-position';
import { chainEvents } from '../hash-chain';

/** Where the adapter reports a dropped subscription it is about to retry. */
export interface EventStoreDbLogger {
  warn(message: string): void;
}

interface PreparedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/** Optimistic retries of an 'any' / 'stream_exists' append that lost a race (see below). */
const MAX_CHAIN_RETRIES = 10;
/** Page size when walking $all backwards past system events. */
const HEAD_PAGE_SIZE = 32;
/** Events per gRPC read of one stream. */
const STREAM_PAGE_SIZE = 500;
const PING_DEADLINE_MS = 5_000;

/**
 * The event store on EventStoreDB (`@eventstore/db-client` 6.2.1, gRPC). EventStoreDB keeps
 * streams, revisions, the global $all feed and idempotency itself; this adapter maps its
 * shapes to the port's, writes the per-stream hash chain, and hides EventStoreDB's own
 * system events ("$…" types) from every read of the feed.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly logger?: EventStoreDbLogger,
  ) {}

  /** e.g. "esdb://localhost:2113?tls=false" */
  static fromConnectionString(
    connectionString: string,
    logger?: EventStoreDbLogger,
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), logger);
  }

  /**
   * The hash chain continues from the event the append builds on. With an exact revision that
   * is the event *at* that revision (not the stream's current head), so a retried append of
   * the same ids computes the very same hashes and EventStoreDB can acknowledge it as the
   * idempotent replay it is. 'any' and 'stream_exists' are written as an exact revision too
   * (the head just read), retried on a lost race: two writers building on one head would
   * otherwise fork the chain.
   */
  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const batch: PreparedEvent[] = events.map((e) => ({
      id: e.id ?? randomUUID(),
      type: e.type,
      data: e.data,
      metadata: e.metadata ?? {},
    }));

    if (expectedRevision === 'no_stream') {
      return this.appendChained(streamId, batch, null, expectedRevision, NO_STREAM);
    }
    if (typeof expectedRevision === 'bigint') {
      const anchor = await this.readOne(streamId, expectedRevision);
      if (!anchor || anchor.revision !== expectedRevision) {
        const actual = await this.currentRevision(streamId);
        throw new WrongExpectedVersionError(streamId, expectedRevision, actual);
      }
      return this.appendChained(streamId, batch, anchor, expectedRevision, BigInt(expectedRevision));
    }

    for (let attempt = 1; ; attempt++) {
      const tail = await this.readTail(streamId, batch.length);
      const replay = idempotentReplay(tail, batch, expectedRevision);
      if (replay) return replay;
      const head = tail[0] ?? null;
      if (!head && expectedRevision === 'stream_exists') {
        throw new WrongExpectedVersionError(streamId, expectedRevision, 'no_stream');
      }
      try {
        return await this.appendChained(
          streamId,
          batch,
          head,
          expectedRevision,
          head ? BigInt(head.revision) : NO_STREAM,
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < MAX_CHAIN_RETRIES) continue;
        throw error;
      }
    }
  }

  /**
   * Throws StreamNotFoundError when the stream has no events. Read in pages of
   * STREAM_PAGE_SIZE (every gRPC read bounded), continuing from the last revision seen until
   * `maxCount` events are collected or the stream ends.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (wanted <= 0) return [];
    const recorded: RecordedEvent[] = [];
    let from: bigint | typeof START | typeof END =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START;
    try {
      for (;;) {
        const pageSize = Math.min(STREAM_PAGE_SIZE, wanted - recorded.length);
        let read = 0;
        for await (const resolved of this.client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: from,
          maxCount: pageSize,
        })) {
          read++;
          if (resolved.event) recorded.push(toRecordedEvent(resolved.event));
        }
        const last = recorded[recorded.length - 1];
        if (read < pageSize || recorded.length >= wanted || !last) break;
        if (backwards && last.revision === 0n) break;
        from = backwards ? last.revision - 1n : last.revision + 1n;
      }
    } catch (error) {
      if (isStreamNotFound(error)) throw new StreamNotFoundError(streamId);
      throw error;
    }
    return recorded;
  }

  /**
   * One page of the feed strictly after `after`. System events are dropped, and pages are read
   * until `maxCount` events are collected or $all is exhausted, so a short page still means
   * "the end of the feed for now" as it does on the other adapter. Every read is bounded.
   */
  async readAll({ after = 'start', maxCount, filter }: ReadAllOptions): Promise<RecordedEvent[]> {
    const collected: RecordedEvent[] = [];
    if (maxCount <= 0) return collected;
    // EventStoreDB reads $all from a position inclusively; the port's `after` is exclusive.
    let exclusiveOf: GlobalPosition | null = after === 'start' ? null : toGlobalPosition(after);
    while (collected.length < maxCount) {
      const fromPosition: ReadPosition = exclusiveOf ?? START;
      const wanted = maxCount - collected.length + (exclusiveOf ? 1 : 0);
      let seen = 0;
      let last: GlobalPosition | null = null;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition,
        maxCount: wanted,
      })) {
        seen++;
        const event = resolved.event;
        if (!event) continue;
        last = toGlobalPosition(event.position);
        if (exclusiveOf && comparePositions(last, exclusiveOf) <= 0) continue;
        if (isSystemEvent(event)) continue;
        // $all reads take no server-side filter: filter here and keep paging.
        if (!matchesFilter(event, filter)) continue;
        if (collected.length < maxCount) collected.push(toRecordedEvent(event));
      }
      if (seen < wanted || !last) break;
      exclusiveOf = last;
    }
    return collected;
  }

  async headPosition(): Promise<GlobalPosition | null> {
    let fromPosition: ReadPosition = END;
    for (;;) {
      const page: AllStreamRecordedEvent[] = [];
      // Whole pages are drained (never left mid-read) so no gRPC call is abandoned.
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition,
        maxCount: HEAD_PAGE_SIZE,
      })) {
        if (resolved.event) page.push(resolved.event);
      }
      for (const event of page) {
        const position = toGlobalPosition(event.position);
        // A backwards read from a position may return the event at it again: skip it.
        if (fromPosition !== END && comparePositions(position, fromPosition) >= 0) continue;
        if (!isSystemEvent(event)) return position;
      }
      const oldest = page[page.length - 1];
      if (page.length < HEAD_PAGE_SIZE || !oldest) return null;
      fromPosition = toGlobalPosition(oldest.position);
    }
  }

  subscribeToAll({ from, filter }: SubscribeOptions): Subscription {
    const subscription = new EventStoreDbSubscription(this.client, from, filter, this.logger, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Reads one record of $all: cheap, and fails fast when the server cannot be reached. */
  async ping(): Promise<void> {
    const read = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      deadline: PING_DEADLINE_MS,
    });
    // Draining the one-record read is the check.
    for await (const resolved of read) void resolved;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async appendChained(
    streamId: string,
    batch: PreparedEvent[],
    anchor: RecordedEvent | null,
    expected: ExpectedRevision,
    clientExpected: AppendExpectedRevision,
  ): Promise<AppendResult> {
    const prevHash = anchor && typeof anchor.metadata.hash === 'string' ? anchor.metadata.hash : null;
    const firstRevision = anchor ? anchor.revision + 1n : 0n;
    // The recorded time here is the server's `created`, set after we hash: chain version 2 covers
    // every other field and the metadata says so (recordedAtHashed: false). `created` lives in
    // EventStoreDB's append-only log, which offers no way to edit it in place.
    const chained = chainEvents(streamId, prevHash, firstRevision, batch, null);
    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        chained.map((e) =>
          jsonEvent({
            id: e.id,
            type: e.type,
            // The client serialises with JSON.stringify, which is what the port asks of data.
            data: e.data as JSONType,
            metadata: e.metadata,
          }),
        ),
        { expectedRevision: clientExpected },
      );
    } catch (error) {
      if (
        error instanceof Error &&
        isCommandError(error) &&
        error.type === ErrorType.WRONG_EXPECTED_VERSION
      ) {
        throw new WrongExpectedVersionError(streamId, expected, toActualRevision(error.actualVersion));
      }
      throw error;
    }
    const nextExpectedRevision = BigInt(result.nextExpectedRevision);
    // Only reached when the connection string sets throwOnAppendFailure=false.
    if (!result.success) {
      throw new WrongExpectedVersionError(streamId, expected, toActualRevision(nextExpectedRevision));
    }
    const position =
      result.position && isLogPosition(result.position)
        ? toGlobalPosition(result.position)
        : await this.positionOf(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  /**
   * An append EventStoreDB recognised as an idempotent replay may come back without a log
   * position; the position of the last event is then read from the stream.
   */
  private async positionOf(streamId: string, revision: bigint): Promise<GlobalPosition> {
    const event = await this.readOne(streamId, revision);
    if (!event || event.revision !== revision) {
      throw new Error(`Stream ${streamId}: no event at revision ${revision.toString()} after append`);
    }
    return event.position;
  }

  /** The event at `revision` (or the nearest one before it), or null for a missing stream. */
  private async readOne(streamId: string, revision: bigint): Promise<RecordedEvent | null> {
    try {
      const [event] = await this.readStream(streamId, {
        direction: 'backwards',
        fromRevision: revision,
        maxCount: 1,
      });
      return event ?? null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  /** The newest `count` events of the stream, newest first; empty for a missing stream. */
  private async readTail(streamId: string, count: number): Promise<RecordedEvent[]> {
    try {
      return await this.readStream(streamId, { direction: 'backwards', maxCount: count });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const [head] = await this.readTail(streamId, 1);
    return head ? head.revision : 'no_stream';
  }
}

/**
 * A catch-up subscription to $all that survives drops: it resubscribes from the last position
 * it has seen (an event or a filter checkpoint) with a capped exponential backoff, and drops
 * anything at or before the last event it delivered, so a resubscription never repeats one.
 * Events are buffered between the gRPC stream and the consumer; a full buffer pauses the
 * stream, which backs pressure up to the server.
 */
class EventStoreDbSubscription implements Subscription {
  private static readonly HIGH_WATER = 512;
  private static readonly LOW_WATER = 128;
  private static readonly FIRST_RETRY_MS = 250;
  private static readonly MAX_RETRY_MS = 15_000;

  private readonly buffer: RecordedEvent[] = [];
  private readonly waiters: {
    resolve: (result: IteratorResult<RecordedEvent>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private current: AllStreamSubscription | null = null;
  private paused = false;
  private stopped = false;
  private failure: unknown = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Where a resubscription starts (exclusive): the newest event or checkpoint seen. */
  private resumeFrom: GlobalPosition | 'start' | 'end';
  /** The newest event seen; anything at or before it is a repeat. */
  private lastSeen: GlobalPosition | null;

  constructor(
    private readonly client: EventStoreDBClient,
    from: GlobalPosition | 'start' | 'end',
    private readonly filter: SubscriptionFilter | undefined,
    private readonly logger: EventStoreDbLogger | undefined,
    private readonly onStopped: () => void,
  ) {
    this.resumeFrom = typeof from === 'string' ? from : toGlobalPosition(from);
    this.lastSeen = typeof from === 'string' ? null : toGlobalPosition(from);
    void this.connect();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.buffer.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
    this.onStopped();
    const subscription = this.current;
    this.current = null;
    await subscription?.unsubscribe().catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.stop();
        return { done: true, value: undefined };
      },
    };
  }

  private next(): Promise<IteratorResult<RecordedEvent>> {
    const value = this.buffer.shift();
    if (value) {
      if (this.paused && this.buffer.length <= EventStoreDbSubscription.LOW_WATER) {
        this.paused = false;
        this.current?.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async connect(): Promise<void> {
    if (this.resumeFrom === 'end') {
      // Pin 'end' to a real position first, so a drop before the first event cannot skip any.
      try {
        const head = await rawHeadPosition(this.client);
        this.resumeFrom = head ?? 'start';
        this.lastSeen = head;
      } catch (error) {
        this.dropped(null, error);
        return;
      }
    }
    if (this.stopped) return;
    let subscription: AllStreamSubscription;
    try {
      subscription = this.client.subscribeToAll({
        fromPosition: this.resumeFrom === 'start' ? START : this.resumeFrom,
        filter: this.serverFilter(),
      });
    } catch (error) {
      // Thrown synchronously only for invalid options: retrying cannot help.
      this.fail(error);
      return;
    }
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.received(subscription, resolved));
    subscription.on('error', (error: Error) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, new Error('the server ended it')));
    subscription.on('close', () => this.dropped(subscription, new Error('the stream closed')));
  }

  /**
   * The server narrows by one criterion (stream prefix, else event type prefix, else no system
   * events) and its checkpoints let a quiet filtered subscription resume near the head; the
   * exact filter is applied again on arrival.
   */
  private serverFilter(): Filter {
    const checkpointReached = (subscription: AllStreamSubscription, position: Position) => {
      if (subscription === this.current) this.advanceResume(toGlobalPosition(position));
    };
    const prefixes = this.filter?.streamPrefixes;
    const types = this.filter?.eventTypes;
    if (prefixes && prefixes.length > 0) return streamNameFilter({ prefixes, checkpointReached });
    if (types && types.length > 0) return eventTypeFilter({ prefixes: types, checkpointReached });
    return excludeSystemEvents({ checkpointReached });
  }

  private received(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.current || this.stopped) return;
    const event = resolved.event;
    if (!event) return;
    try {
      const position = toGlobalPosition(event.position);
      if (this.lastSeen && comparePositions(position, this.lastSeen) <= 0) return;
      this.lastSeen = position;
      this.advanceResume(position);
      this.failures = 0;
      if (!matchesFilter(event, this.filter)) return;
      this.deliver(toRecordedEvent(event));
    } catch (error) {
      this.fail(error);
    }
  }

  private deliver(event: RecordedEvent): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ done: false, value: event });
      return;
    }
    this.buffer.push(event);
    if (!this.paused && this.buffer.length >= EventStoreDbSubscription.HIGH_WATER) {
      this.paused = true;
      this.current?.pause();
    }
  }

  private advanceResume(position: GlobalPosition): void {
    if (typeof this.resumeFrom === 'object' && comparePositions(position, this.resumeFrom) <= 0) {
      return;
    }
    this.resumeFrom = position;
  }

  /** `subscription` is null when the drop happened before one was opened. */
  private dropped(subscription: AllStreamSubscription | null, error: unknown): void {
    if (this.stopped || this.failure || subscription !== this.current) return;
    this.current = null;
    this.paused = false;
    // The dead stream keeps its listeners (guarded above) so a late 'error' is never unhandled.
    void subscription?.unsubscribe().catch(() => undefined);
    if (isPermanent(error)) {
      this.fail(error);
      return;
    }
    this.failures++;
    const delay = Math.min(
      EventStoreDbSubscription.MAX_RETRY_MS,
      EventStoreDbSubscription.FIRST_RETRY_MS * 2 ** (this.failures - 1),
    );
    const from = typeof this.resumeFrom === 'object' ? formatPosition(this.resumeFrom) : this.resumeFrom;
    this.logger?.warn(
      `EventStoreDB subscription to $all dropped (${describe(error)}); ` +
        `resubscribing after ${from} in ${delay} ms (attempt ${this.failures})`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }

  /** Ends the iteration with `error` once the buffered events have been consumed. */
  private fail(error: unknown): void {
    if (this.stopped || this.failure) return;
    this.failure = error instanceof Error ? error : new Error(describe(error));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const subscription = this.current;
    this.current = null;
    void subscription?.unsubscribe().catch(() => undefined);
    if (this.buffer.length === 0) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    }
  }
}

type EsdbEvent = EsdbRecordedEvent | AllStreamRecordedEvent;

function toRecordedEvent(event: EsdbEvent): RecordedEvent {
  if (!event.position) {
    // Only servers older than 22.6 leave it out of stream reads; we pin 24.10.
    throw new Error(`EventStoreDB returned event ${event.id} without a log position`);
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: toMetadata(event.metadata),
    streamId: event.streamId,
    revision: BigInt(event.revision),
    position: toGlobalPosition(event.position),
    // 6.2.1 already turns the server's "created" (.NET ticks since the Unix epoch) into a Date.
    recordedAt: new Date(event.created.getTime()),
  };
}

/** Our metadata is always a JSON object; anything else (binary, absent) reads as empty. */
function toMetadata(metadata: unknown): EventMetadata {
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    if (!(metadata instanceof Uint8Array)) return metadata as EventMetadata;
  }
  return {};
}

function toGlobalPosition(position: Position): GlobalPosition {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

/** A position EventStoreDB may send for "none" (-1, which arrives as 2^64 - 1) is not one. */
function isLogPosition(position: Position): boolean {
  const limit = 2n ** 63n;
  return (
    position.commit >= 0n && position.prepare >= 0n && position.commit < limit && position.prepare < limit
  );
}

function toActualRevision(revision: bigint | 'no_stream'): bigint | 'no_stream' {
  if (revision === 'no_stream') return revision;
  const actual = BigInt(revision);
  return actual < 0n ? 'no_stream' : actual;
}

/** EventStoreDB's own records: stream metadata, tombstones, links, stats, users... */
function isSystemEvent(event: EsdbEvent): boolean {
  return event.type.startsWith('$');
}

function matchesFilter(event: EsdbEvent, filter: SubscriptionFilter | undefined): boolean {
  if (isSystemEvent(event)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) {
    return false;
  }
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

/**
 * A retried 'any' / 'stream_exists' append whose ids are already the stream's newest events,
 * in order: EventStoreDB would accept them again as new events under an exact revision, so
 * the replay is answered here (as the server does for exact revisions).
 */
function idempotentReplay(
  tailNewestFirst: RecordedEvent[],
  batch: PreparedEvent[],
  expected: 'any' | 'stream_exists',
): AppendResult | null {
  if (tailNewestFirst.length !== batch.length) return null;
  const oldestFirst = [...tailNewestFirst].reverse();
  if (!oldestFirst.every((event, i) => event.id === batch[i].id)) return null;
  if (expected === 'stream_exists' && oldestFirst[0].revision === 0n) return null;
  const head = tailNewestFirst[0];
  return { nextExpectedRevision: head.revision, position: head.position };
}

/** The newest record of $all, system or not: a safe exclusive start for "from now on". */
async function rawHeadPosition(client: EventStoreDBClient): Promise<GlobalPosition | null> {
  let head: GlobalPosition | null = null;
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
    if (resolved.event) head = toGlobalPosition(resolved.event.position);
  }
  return head;
}

function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND
  );
}

/** Errors a resubscription cannot cure. */
function isPermanent(error: unknown): boolean {
  if (!(error instanceof Error) || !isCommandError(error)) return false;
  return (
    error.type === ErrorType.ACCESS_DENIED ||
    error.type === ErrorType.INVALID_ARGUMENT ||
    error.type === ErrorType.UNSUPPORTED
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
