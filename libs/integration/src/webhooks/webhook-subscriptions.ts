/**
 * Webhook subscriptions, their deliveries and attempts (tables in CreateIntegrationTables).
 * The api manages subscriptions here; the worker (webhook-worker.ts) fills and drains deliveries.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { comparePositions, formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { MessageFilter } from '../contract/message-filter';

export type SubscriptionStatus = 'active' | 'paused';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookSubscription {
  id: string;
  /** Who registered it (the token's subject): a service sees and manages only its own. */
  owner: string;
  url: string;
  description: string | null;
  contract: string;
  filter: MessageFilter;
  status: SubscriptionStatus;
  pausedReason: string | null;
  /** Checkpoint: the last feed position enqueued ('start' before the first). */
  position: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  /** Deliveries with the same key (a deal) go out in order. */
  orderingKey: string;
  position: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: WebhookAttempt[];
}

interface SubscriptionRow {
  id: string;
  owner: string;
  url: string;
  description: string | null;
  contract: string;
  filter: MessageFilter;
  status: SubscriptionStatus;
  paused_reason: string | null;
  position: string;
  created_at: Date;
  updated_at: Date;
}

/** `null` owner: a manager, who sees every subscription. */
export type Viewer = string | null;

export class WebhookSubscriptions {
  constructor(private readonly pool: Pool) {}

  async create(input: {
    owner: string;
    url: string;
    description: string | null;
    contract: string;
    filter: MessageFilter;
    position: GlobalPosition | 'start';
  }): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const result = await this.pool.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (id, owner, url, description, contract, filter, secret, status, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING *`,
      [randomUUID(), input.owner, input.url, input.description, input.contract, JSON.stringify(input.filter), secret, positionText(input.position)],
    );
    return { subscription: toSubscription(result.rows[0]), secret };
  }

  async list(viewer: Viewer): Promise<WebhookSubscription[]> {
    const result = await this.pool.query<SubscriptionRow>(
      `SELECT * FROM webhook_subscriptions WHERE ($1::text IS NULL OR owner = $1) ORDER BY created_at, id`,
      [viewer],
    );
    return result.rows.map(toSubscription);
  }

  async find(id: string, viewer: Viewer): Promise<WebhookSubscription | null> {
    const result = await this.pool.query<SubscriptionRow>(
      `SELECT * FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR owner = $2)`,
      [id, viewer],
    );
    return result.rows[0] ? toSubscription(result.rows[0]) : null;
  }

  /** Deletes it with its deliveries; false when there is none the viewer may see. */
  async remove(id: string, viewer: Viewer): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM webhook_subscriptions WHERE id = $1 AND ($2::text IS NULL OR owner = $2)`, [id, viewer]);
    return result.rowCount === 1;
  }

  /** Pauses or resumes; resuming clears the reason (dead-lettered deliveries stay dead: redeliver them). */
  async setStatus(id: string, viewer: Viewer, status: SubscriptionStatus, reason: string | null): Promise<WebhookSubscription | null> {
    const result = await this.pool.query<SubscriptionRow>(
      `UPDATE webhook_subscriptions SET status = $3, paused_reason = $4, updated_at = now()
        WHERE id = $1 AND ($2::text IS NULL OR owner = $2) RETURNING *`,
      [id, viewer, status, status === 'paused' ? reason : null],
    );
    return result.rows[0] ? toSubscription(result.rows[0]) : null;
  }

  async deliveries(id: string, options: { status?: DeliveryStatus; limit: number; before?: string }): Promise<WebhookDelivery[]> {
    const result = await this.pool.query<DeliveryRow>(
      `SELECT d.*,
              coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.started_at, 'durationMs', a.duration_ms,
                                                          'statusCode', a.status_code, 'error', a.error) ORDER BY a.attempt)
                          FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
         FROM webhook_deliveries d
        WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3)
        ORDER BY d.id DESC LIMIT $4`,
      [id, options.status ?? null, options.before ?? null, options.limit],
    );
    return result.rows.map(toDelivery);
  }

  /** Queues one more delivery of the same event (same event id, fresh attempts); null when unknown. */
  async redeliverOne(subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | null> {
    const result = await this.pool.query<DeliveryRow>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, ordering_key, position, body, status)
       SELECT subscription_id, event_id, ordering_key, position, body, 'pending'
         FROM webhook_deliveries WHERE subscription_id = $1 AND id = $2
       RETURNING *, '[]'::json AS attempt_log`,
      [subscriptionId, deliveryId],
    );
    return result.rows[0] ? toDelivery(result.rows[0]) : null;
  }

  /**
   * Queues every dead-lettered delivery again, in their order, with a fresh attempt budget (their
   * attempt log is kept). Returns how many.
   */
  async requeueDead(subscriptionId: string): Promise<number> {
    const result = await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
        WHERE subscription_id = $1 AND status = 'dead'`,
      [subscriptionId],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Moves the checkpoint back to `after`, so that everything after it is delivered again (never
   * forward: that would skip changes). Returns the checkpoint it now stands at.
   */
  async rewind(subscriptionId: string, after: GlobalPosition | 'start'): Promise<string> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const row = await client.query<{ position: string }>(`SELECT position FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`, [subscriptionId]);
      const current = row.rows[0].position;
      const earlier = current === 'start' ? false : after === 'start' || comparePositions(after, parsePosition(current)) < 0;
      const position = earlier ? positionText(after) : current;
      await client.query(`UPDATE webhook_subscriptions SET position = $2, updated_at = now() WHERE id = $1`, [subscriptionId, position]);
      await client.query('COMMIT');
      return position;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

interface DeliveryRow {
  id: string;
  event_id: string;
  ordering_key: string;
  position: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  attempt_log: { attempt: number; at: string; durationMs: number; statusCode: number | null; error: string | null }[];
}

export function positionText(position: GlobalPosition | 'start'): string {
  return position === 'start' ? 'start' : formatPosition(position);
}

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    owner: row.owner,
    url: row.url,
    description: row.description,
    contract: row.contract,
    filter: row.filter,
    status: row.status,
    pausedReason: row.paused_reason,
    position: row.position,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: String(row.id),
    eventId: row.event_id,
    orderingKey: row.ordering_key,
    position: row.position,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
    attemptLog: row.attempt_log.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}
