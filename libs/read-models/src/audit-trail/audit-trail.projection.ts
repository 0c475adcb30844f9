/**
 * `rm.audit_events`: one row per event of every stream — who did it (actor), in reply to what
 * (correlation, causation, command), on both time axes, and where in the feed. It answers "what
 * did this person do" and "everything one request caused, across deals" without loading streams.
 * The event's data stays in the store; /history shows it.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { BulkSql, CopyValue, Projection, ProjectionBuilder, Sql } from '../projection/projection';

const TABLES = [
  `CREATE TABLE audit_events (
     event_id       uuid        PRIMARY KEY,
     stream_id      text        NOT NULL,
     revision       bigint      NOT NULL,
     event_type     text        NOT NULL,
     -- the deal of a deal-<id> stream, else null
     deal_id        uuid,
     occurred_at    timestamptz NOT NULL,
     recorded_at    timestamptz NOT NULL,
     actor_id       text        NOT NULL,
     actor_name     text,
     correlation_id text,
     causation_id   text,
     command        text,
     -- the feed position, (commit, prepare): the order of the feed
     pos_commit     numeric(20) NOT NULL,
     pos_prepare    numeric(20) NOT NULL
   )`,
];

const INDEXES = [
  `CREATE INDEX audit_events_correlation ON audit_events (correlation_id, pos_commit, pos_prepare)`,
  `CREATE INDEX audit_events_actor_recorded ON audit_events (actor_id, recorded_at, pos_commit, pos_prepare)`,
];

// A replayed batch inserts nothing twice: the event id is the key.
const INSERT_EVENTS = `
  INSERT INTO audit_events (event_id, stream_id, revision, event_type, deal_id, occurred_at, recorded_at,
                            actor_id, actor_name, correlation_id, causation_id, command, pos_commit, pos_prepare)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::numeric[], $14::numeric[])
  ON CONFLICT (event_id) DO NOTHING`;

/** The events of no actor (written by a loader or a test) are kept under this id. */
export const UNKNOWN_ACTOR = 'unknown';

export const auditTrailProjection: Projection = {
  name: 'audit_trail',
  version: 1,
  views: ['audit_events'],
  tables: TABLES,
  indexes: INDEXES,
  // One row per event, whatever its stream.
  partitionable: true,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(auditRow);
    await sql.query(INSERT_EVENTS, AUDIT_COLUMNS.map((_, i) => rows.map((row) => row[i])));
  },
  builder(): ProjectionBuilder {
    let rows: CopyValue[][] = [];
    return {
      add: (events) => {
        for (const e of events) rows.push(auditRow(e));
      },
      get pending() {
        return rows.length;
      },
      // Every row is final when added: interim and final flushes alike write all they hold.
      flush: async (sql: BulkSql) => {
        const written = rows;
        rows = [];
        await sql.copyRows('audit_events', AUDIT_COLUMNS, written);
      },
    };
  },
};

/** The columns of a row, in the order of INSERT_EVENTS' list (COPY names them the same). */
const AUDIT_COLUMNS = [
  'event_id', 'stream_id', 'revision', 'event_type', 'deal_id', 'occurred_at', 'recorded_at',
  'actor_id', 'actor_name', 'correlation_id', 'causation_id', 'command', 'pos_commit', 'pos_prepare',
] as const;

function auditRow(e: RecordedEvent): CopyValue[] {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return [
    e.id,
    e.streamId,
    e.revision.toString(),
    e.type,
    dealIdFromStream(e.streamId)?.toLowerCase() ?? null,
    occurredAt(e),
    e.recordedAt.toISOString(),
    text(e.metadata.actor?.id) ?? UNKNOWN_ACTOR,
    text(e.metadata.actor?.name),
    text(e.metadata.correlationId),
    text(e.metadata.causationId),
    text(e.metadata.command),
    e.position.commit.toString(),
    e.position.prepare.toString(),
  ];
}

/** Business time from the data; an event without one happened when it was recorded. */
function occurredAt(event: RecordedEvent): string {
  const given = (event.data as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof given === 'string' && !Number.isNaN(Date.parse(given)) ? given : event.recordedAt.toISOString();
}
