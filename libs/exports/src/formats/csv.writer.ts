/** CSV (RFC 4180, via csv-stringify): one envelope per row; actor flattened, data as JSON text. */
import { stringify } from 'csv-stringify/sync';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { envelopeOf } from './event-envelope';

export const CSV_COLUMNS = [
  'position',
  'event_id',
  'stream_id',
  'deal_id',
  'revision',
  'type',
  'schema_version',
  'occurred_at',
  'recorded_at',
  'actor_id',
  'actor_name',
  'actor_roles',
  'correlation_id',
  'causation_id',
  'command',
  'prev_hash',
  'hash',
  'data',
] as const;

export async function* csvChunks(pages: AsyncIterable<RecordedEvent[]>): AsyncGenerator<string> {
  yield stringify([[...CSV_COLUMNS]]);
  for await (const page of pages) {
    const rows = page.map((recorded) => {
      const e = envelopeOf(recorded);
      return [
        e.position,
        e.eventId,
        e.streamId,
        e.dealId ?? '',
        e.revision,
        e.type,
        e.schemaVersion ?? '',
        e.occurredAt ?? '',
        e.recordedAt,
        e.actor?.id ?? '',
        e.actor?.name ?? '',
        (e.actor?.roles ?? []).join(' '),
        e.correlationId ?? '',
        e.causationId ?? '',
        e.command ?? '',
        e.prevHash ?? '',
        e.hash ?? '',
        JSON.stringify(e.data),
      ];
    });
    yield stringify(rows);
  }
}
