/**
 * The auditors' check of the whole store: every stream's hash chain recomputed from the global
 * feed, revisions contiguous from 0, and (where the store keeps them) each stream's head
 * compared with its last event — the chain alone cannot notice events removed from a
 * stream's end.
 */
import { EventStore } from '../event-store.port';
import { ChainBreakReason } from '../hash-chain';
import { ChainWalk, StreamProgress } from './chain-walk';
import { StreamHead, StreamHeadSource } from '../stream-heads';

export type { StreamHead, StreamHeadSource };

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

export async function auditStore(
  store: EventStore,
  options: {
    heads?: StreamHeadSource;
    pageSize?: number;
    maxBreaks?: number;
    onProgress?: (events: number) => void;
    /** How long to wait for heads the feed does not show yet (a transaction holds it back). */
    settleMs?: number;
  } = {},
): Promise<AuditReport> {
  const maxBreaks = options.maxBreaks ?? 1000;
  const breaks: AuditBreak[] = [];
  let breakCount = 0;
  const report = (b: AuditBreak) => {
    breakCount++;
    if (breaks.length < maxBreaks) breaks.push(b);
  };

  const walk = new ChainWalk(store, (b) => report({ ...b, revision: b.revision.toString() }), { pageSize: options.pageSize });
  await walk.readOn(options.onProgress);

  const heads = options.heads ?? store.heads;
  if (heads) {
    const unsettled: StreamHead[] = [];
    const compare = (head: StreamHead) => {
      const reason = headBreak(head, walk.streams.get(head.streamId));
      if (reason && head.settled === false) unsettled.push(head);
      else if (reason) report({ streamId: head.streamId, revision: head.revision.toString(), eventId: null, reason });
    };
    const behind: StreamHead[] = [];
    for await (const head of heads.heads()) {
      if (headBreak(head, walk.streams.get(head.streamId))) behind.push(head);
    }
    // Heads the first pass could not yet see (appends during the walk, or held back by a
    // running transaction): read on, then judge them, waiting a little for unsettled ones.
    if (behind.length > 0) await walk.readOn(options.onProgress);
    behind.forEach(compare);
    const deadline = Date.now() + (options.settleMs ?? 10_000);
    while (unsettled.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await walk.readOn(options.onProgress);
      const again = await Promise.all(unsettled.splice(0).map((h) => heads.head(h.streamId)));
      for (const head of again) if (head) compare(head);
    }
    for (const head of unsettled) report({ streamId: head.streamId, revision: head.revision.toString(), eventId: null, reason: headBreak(head, walk.streams.get(head.streamId))! });
  }
  return { valid: breakCount === 0, streams: walk.streams.size, events: walk.events, breaks, breakCount };
}

/** What a stream's head says against the feed's last event of the stream; null when they agree. */
function headBreak(head: StreamHead, seen: StreamProgress | undefined): AuditBreakReason | null {
  if (!seen) return 'stream_missing';
  if (seen.revision !== head.revision || seen.last.hash !== head.hash) return 'head_mismatch';
  return null;
}
