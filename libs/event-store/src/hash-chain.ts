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

export interface ChainBreak {
  revision: bigint;
  eventId: string;
  reason: 'hash_mismatch' | 'prev_hash_mismatch';
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  headHash: string | null;
  breaks: ChainBreak[];
}

/** Recomputes the chain of a whole stream (oldest first) and reports every break. */
export function verifyChain(
  events: { id: string; type: string; data: unknown; metadata: EventMetadata; streamId: string; revision: bigint }[],
): ChainVerification {
  const breaks: ChainBreak[] = [];
  let previous: string | null = null;
  for (const event of events) {
    const storedPrev = event.metadata.prevHash ?? null;
    if (storedPrev !== previous) {
      breaks.push({ revision: event.revision, eventId: event.id, reason: 'prev_hash_mismatch' });
    }
    const expected = hashEvent(event.streamId, event.revision, event, storedPrev);
    if (expected !== event.metadata.hash) {
      breaks.push({ revision: event.revision, eventId: event.id, reason: 'hash_mismatch' });
    }
    previous = event.metadata.hash ?? null;
  }
  return { valid: breaks.length === 0, events: events.length, headHash: previous, breaks };
}
