/**
 * The auditors' check of the whole store: every stream's hash chain recomputed from the global
 * feed, revisions contiguous from 0, and (where the store keeps them) each stream's head
 * compared with its last event — the chain alone cannot notice events removed from a
 * stream's end.
 */
import { EventStore } from '../event-store.port';
import { GlobalPosition } from '../global-position';
import { ChainBreakReason, linkBreaks } from '../hash-chain';

export interface StreamHead {
  streamId: string;
  revision: bigint;
  hash: string | null;
}

/** Where a store keeps the head of each stream apart from its events (PostgreSQL: event_streams). */
export interface StreamHeadSource {
  heads(): AsyncIterable<StreamHead>;
}

export type AuditBreakReason =
  | ChainBreakReason
  | 'head_mismatch' // the stream's head names another last event: its tail was removed or altered
  | 'stream_missing'; // the store has a head for a stream whose events are gone

export interface AuditBreak {
  streamId: string;
  revision: string | null;
  eventId: string | null;
  reason: AuditBreakReason;
}

export interface AuditReport {
  valid: boolean;
  streams: number;
  events: number;
  /** At most `maxBreaks` of them; `breakCount` has the total. */
  breaks: AuditBreak[];
  breakCount: number;
}

interface StreamProgress {
  nextRevision: bigint;
  lastHash: string | null;
}

export async function auditStore(
  store: EventStore,
  options: {
    heads?: StreamHeadSource;
    pageSize?: number;
    maxBreaks?: number;
    onProgress?: (events: number) => void;
  } = {},
): Promise<AuditReport> {
  const pageSize = options.pageSize ?? 1000;
  const maxBreaks = options.maxBreaks ?? 1000;
  const breaks: AuditBreak[] = [];
  let breakCount = 0;
  const report = (b: AuditBreak) => {
    breakCount++;
    if (breaks.length < maxBreaks) breaks.push(b);
  };

  const streams = new Map<string, StreamProgress>();
  let events = 0;
  let after: GlobalPosition | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      const seen = streams.get(event.streamId) ?? { nextRevision: 0n, lastHash: null };
      for (const reason of linkBreaks(event, seen.lastHash, seen.nextRevision)) {
        report({ streamId: event.streamId, revision: event.revision.toString(), eventId: event.id, reason });
      }
      streams.set(event.streamId, { nextRevision: event.revision + 1n, lastHash: event.metadata.hash ?? null });
      events++;
    }
    after = page[page.length - 1].position;
    options.onProgress?.(events);
  }

  if (options.heads) {
    for await (const head of options.heads.heads()) {
      const seen = streams.get(head.streamId);
      if (!seen) {
        report({ streamId: head.streamId, revision: head.revision.toString(), eventId: null, reason: 'stream_missing' });
      } else if (seen.nextRevision - 1n !== head.revision || seen.lastHash !== head.hash) {
        report({ streamId: head.streamId, revision: head.revision.toString(), eventId: null, reason: 'head_mismatch' });
      }
    }
  }
  return { valid: breakCount === 0, streams: streams.size, events, breaks, breakCount };
}
