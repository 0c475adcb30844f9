/**
 * The per-stream hash chain that makes after-the-fact edits detectable: each event's hash
 * covers its stream, revision, id, type, data and metadata plus the previous event's hash, so
 * changing or removing any stored event breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { EventMetadata } from './event-store.port';

export interface ChainableEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export function hashEvent(
  streamId: string,
  revision: bigint,
  event: ChainableEvent,
  prevHash: string | null,
): string {
  const { hash: _hash, prevHash: _prev, ...metadata } = event.metadata;
  const body = canonicalJson({
    streamId,
    revision: revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata,
    prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** Stamps `prevHash` and `hash` into each event's metadata, continuing the stream's chain. */
export function chainEvents<E extends ChainableEvent>(
  streamId: string,
  prevHash: string | null,
  firstRevision: bigint,
  events: E[],
): E[] {
  let previous = prevHash;
  return events.map((event, index) => {
    const metadata: EventMetadata = { ...event.metadata, prevHash: previous ?? undefined };
    const hash = hashEvent(streamId, firstRevision + BigInt(index), { ...event, metadata }, previous);
    previous = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

export type ChainBreakReason =
  | 'revision_gap' // a revision is missing or repeated: an event was removed or inserted
  | 'prev_hash_mismatch' // the event does not point at the previous event's hash
  | 'hash_mismatch'; // the event's content no longer matches its hash

export interface ChainLink {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  streamId: string;
  revision: bigint;
}

/**
 * What is wrong with one stored event, given the stream's previous event: the hash it must
 * point at and the revision that must follow. Empty when the link holds.
 */
export function linkBreaks(event: ChainLink, previousHash: string | null, expectedRevision: bigint): ChainBreakReason[] {
  const reasons: ChainBreakReason[] = [];
  if (event.revision !== expectedRevision) reasons.push('revision_gap');
  const storedPrev = event.metadata.prevHash ?? null;
  if (storedPrev !== previousHash) reasons.push('prev_hash_mismatch');
  if (hashEvent(event.streamId, event.revision, event, storedPrev) !== event.metadata.hash) reasons.push('hash_mismatch');
  return reasons;
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
  let previous: string | null = null;
  let expectedRevision = 0n;
  for (const event of events) {
    for (const reason of linkBreaks(event, previous, expectedRevision)) {
      breaks.push({ revision: event.revision, eventId: event.id, reason });
    }
    previous = event.metadata.hash ?? null;
    expectedRevision = event.revision + 1n;
  }
  return { valid: breaks.length === 0, events: events.length, headHash: previous, breaks };
}
