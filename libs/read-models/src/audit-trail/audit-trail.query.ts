/**
 * Questions auditors ask of rm.audit_events: everything one correlation id caused, and what one
 * actor did in a recorded-time period. Pages follow the feed order; the cursor is the last
 * feed position shown.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { GlobalPosition, formatPosition } from '@funnel/event-store/global-position';
import { READ_MODEL_POOL } from '../projection/read-model-pool';

export interface AuditTrailEvent {
  eventId: string;
  streamId: string;
  /** The deal, for events of a deal stream; null otherwise. */
  dealId: string | null;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string | null };
  correlationId: string | null;
  causationId: string | null;
  command: string | null;
  position: string;
}

export interface AuditTrailPage {
  events: AuditTrailEvent[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

export interface PageRequest {
  after?: GlobalPosition;
  limit: number;
}

interface Row {
  event_id: string;
  stream_id: string;
  deal_id: string | null;
  revision: string;
  event_type: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_id: string;
  actor_name: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  command: string | null;
  pos_commit: string;
  pos_prepare: string;
}

// One more row than asked tells whether another page follows.
const BY_CORRELATION = `
  SELECT * FROM rm.audit_events
   WHERE correlation_id = $1 AND (pos_commit, pos_prepare) > ($2::numeric, $3::numeric)
   ORDER BY pos_commit, pos_prepare LIMIT $4`;

const BY_ACTOR = `
  SELECT * FROM rm.audit_events
   WHERE actor_id = $1
     AND ($2::timestamptz IS NULL OR recorded_at >= $2) AND ($3::timestamptz IS NULL OR recorded_at < $3)
     AND (pos_commit, pos_prepare) > ($4::numeric, $5::numeric)
   ORDER BY pos_commit, pos_prepare LIMIT $6`;

@Injectable()
export class AuditTrailQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async byCorrelation(correlationId: string, page: PageRequest): Promise<AuditTrailPage> {
    const after = page.after ?? { commit: 0n, prepare: 0n };
    const result = await this.pool.query<Row>(BY_CORRELATION, [correlationId, after.commit.toString(), after.prepare.toString(), page.limit + 1]);
    return toPage(result.rows, page.limit);
  }

  /** What one actor did, by recorded time in [from, to). */
  async byActor(actorId: string, period: { from?: Date; to?: Date }, page: PageRequest): Promise<AuditTrailPage> {
    const after = page.after ?? { commit: 0n, prepare: 0n };
    const result = await this.pool.query<Row>(BY_ACTOR, [
      actorId,
      period.from ?? null,
      period.to ?? null,
      after.commit.toString(),
      after.prepare.toString(),
      page.limit + 1,
    ]);
    return toPage(result.rows, page.limit);
  }
}

function toPage(rows: Row[], limit: number): AuditTrailPage {
  const shown = rows.slice(0, limit).map(toEvent);
  return { events: shown, next: rows.length > limit ? shown[shown.length - 1].position : null };
}

function toEvent(r: Row): AuditTrailEvent {
  return {
    eventId: r.event_id,
    streamId: r.stream_id,
    dealId: r.deal_id,
    revision: Number(r.revision),
    type: r.event_type,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actor: { id: r.actor_id, name: r.actor_name },
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    command: r.command,
    position: formatPosition({ commit: BigInt(r.pos_commit), prepare: BigInt(r.pos_prepare) }),
  };
}
