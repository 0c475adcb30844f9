/**
 * The per-stream hash chain that makes after-the-fact edits detectable: each event's hash covers
 * the event and the previous event's hash, so changing or removing any stored event breaks every
 * hash after it.
 *
 * Versions (the version is in the metadata, which every version hashes, so it cannot be switched
 * without breaking the hash):
 * - 1 (events without `chainVersion`): stream, revision, id, type, data, metadata.
 * - 2: everything an answer depends on — version 1's fields plus the recorded time, which the
 *   `knownAt` axis replays by. The adapter fixes the recorded time *before* hashing and stores
 *   exactly that instant (millisecond precision), never a database default that could differ.
 *   On EventStoreDB the recorded time is the server's `created`, assigned after the client has
 *   hashed; there the adapter marks its events `recordedAtHashed: false` and version 2 covers
 *   every other field (EventStoreDB's log is append-only; `created` cannot be edited in place).
 * Old events keep verifying under version 1; new events are written under version 2; a stream
 * must never go back from 2 to 1.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { EventMetadata } from './event-store.port';

export type ChainVersion = 1 | 2;
export const CURRENT_CHAIN_VERSION: ChainVersion = 2;

export interface ChainableEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** The recorded time (version 2); ignored by version 1. */
  recordedAt?: Date;
}

/** The chain version an event was hashed under; null for one this code does not know. */
export function chainVersionOf(metadata: EventMetadata): ChainVersion | null {
  const version = metadata.chainVersion;
  if (version === undefined) return 1;
  return version === 2 ? 2 : null;
}

export function hashEvent(streamId: string, revision: bigint, event: ChainableEvent, prevHash: string | null): string {
  const { hash: _hash, prevHash: _prev, ...metadata } = event.metadata;
  const version = chainVersionOf(event.metadata);
  const fields: Record<string, unknown> = {
    streamId,
    revision: revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata,
    prevHash,
  };
  if (version === 2) fields.recordedAt = metadata.recordedAtHashed === false ? null : (event.recordedAt?.toISOString() ?? null);
  else if (version === null) fields.unknownChainVersion = true; // never matches what was stored
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * Stamps `chainVersion`, `prevHash` and `hash` into each event's metadata, continuing the
 * stream's chain. `recordedAt` is the instant the adapter will store; null where the store sets
 * it after hashing (EventStoreDB), which the metadata then says.
 */
export function chainEvents<E extends ChainableEvent>(
  streamId: string,
  prevHash: string | null,
  firstRevision: bigint,
  events: E[],
  recordedAt: Date | null,
): E[] {
  let previous = prevHash;
  return events.map((event, index) => {
    const { recordedAtHashed: _stale, ...given } = event.metadata;
    const metadata: EventMetadata = {
      ...given,
      chainVersion: CURRENT_CHAIN_VERSION,
      ...(recordedAt === null && { recordedAtHashed: false }),
      prevHash: previous ?? undefined,
    };
    const stamped = { ...event, metadata, ...(recordedAt && { recordedAt }) };
    const hash = hashEvent(streamId, firstRevision + BigInt(index), stamped, previous);
    previous = hash;
    return { ...stamped, metadata: { ...metadata, hash } };
  });
}

export type ChainBreakReason =
  | 'revision_gap' // a revision is missing or repeated: an event was removed or inserted
  | 'prev_hash_mismatch' // the event does not point at the previous event's hash
  | 'hash_mismatch' // the event's content (or, from version 2, its recorded time) no longer matches its hash
  | 'chain_version_downgrade'; // an event hashed under an older version than the one before it

export interface ChainLink {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  streamId: string;
  revision: bigint;
  recordedAt: Date;
}

/** Where a stream's chain stands after an event: what the next event must point at. */
export interface ChainPoint {
  hash: string | null;
  version: ChainVersion | null;
}

/**
 * What is wrong with one stored event, given the stream's previous event (null before the
 * first) and the revision that must follow. Empty when the link holds.
 */
export function linkBreaks(event: ChainLink, previous: ChainPoint | null, expectedRevision: bigint): ChainBreakReason[] {
  const reasons: ChainBreakReason[] = [];
  if (event.revision !== expectedRevision) reasons.push('revision_gap');
  const storedPrev = event.metadata.prevHash ?? null;
  if (storedPrev !== (previous?.hash ?? null)) reasons.push('prev_hash_mismatch');
  if (hashEvent(event.streamId, event.revision, event, storedPrev) !== event.metadata.hash) reasons.push('hash_mismatch');
  const version = chainVersionOf(event.metadata);
  if (version !== null && previous?.version && version < previous.version) reasons.push('chain_version_downgrade');
  return reasons;
}

/** The chain point an event leaves behind. */
export function chainPointOf(event: ChainLink): ChainPoint {
  return { hash: event.metadata.hash ?? null, version: chainVersionOf(event.metadata) };
}

export interface ChainBreak {
  revision: bigint;
  eventId: string;
  reason: ChainBreakReason;
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  headHash: string | null;
  breaks: ChainBreak[];
}

/** Recomputes the chain of a whole stream (oldest first) and reports every break. */
export function verifyChain(events: ChainLink[]): ChainVerification {
  const breaks: ChainBreak[] = [];
  let previous: ChainPoint | null = null;
  let expectedRevision = 0n;
  for (const event of events) {
    for (const reason of linkBreaks(event, previous, expectedRevision)) {
      breaks.push({ revision: event.revision, eventId: event.id, reason });
    }
    previous = chainPointOf(event);
    expectedRevision = event.revision + 1n;
  }
  return { valid: breaks.length === 0, events: events.length, headHash: previous?.hash ?? null, breaks };
}
