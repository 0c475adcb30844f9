/**
 * One event with its whole envelope, as the JSONL and CSV exports write it: what happened
 * (type, data), when (business and recorded time), who and why (actor, correlation and
 * causation ids, command), where (stream, revision, feed position) and its hash-chain links.
 */
import { dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';

export interface EventEnvelope {
  position: string;
  eventId: string;
  streamId: string;
  dealId: string | null;
  revision: number;
  type: string;
  schemaVersion: number | null;
  occurredAt: string | null;
  recordedAt: string;
  actor: { id: string; name?: string; roles?: string[] } | null;
  correlationId: string | null;
  causationId: string | null;
  command: string | null;
  prevHash: string | null;
  hash: string | null;
  data: unknown;
}

export function envelopeOf(e: RecordedEvent): EventEnvelope {
  const m = e.metadata;
  return {
    position: formatPosition(e.position),
    eventId: e.id,
    streamId: e.streamId,
    dealId: dealIdFromStream(e.streamId) ?? null,
    revision: Number(e.revision),
    type: e.type,
    schemaVersion: m.schemaVersion ?? null,
    occurredAt: (e.data as { occurredAt?: string }).occurredAt ?? null,
    recordedAt: e.recordedAt.toISOString(),
    actor: m.actor ?? null,
    correlationId: m.correlationId ?? null,
    causationId: m.causationId ?? null,
    command: m.command ?? null,
    prevHash: m.prevHash ?? null,
    hash: m.hash ?? null,
    data: e.data,
  };
}
