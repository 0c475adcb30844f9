/**
 * The webhook delivery worker, in the projector process. Two loops:
 *
 * - enqueue: for each active subscription, read the store's feed after the subscription's
 *   checkpoint and, in one transaction, insert the matching deliveries and move the checkpoint
 *   (compare-and-set). A change is owed exactly once per subscription, however often this crashes.
 * - dispatch: send the oldest pending delivery of each (subscription, deal) whose retry time has
 *   come, many deals at once; a deal's later change waits for its earlier one, other deals do
 *   not. A failure is retried with exponential backoff and jitter; after WEBHOOK_MAX_ATTEMPTS
 *   failed attempts the subscription pauses and its pending deliveries are dead-lettered.
 *
 * Sending is at-least-once (a crash after the receiver answered and before the outcome is saved
 * sends again): receivers de-duplicate on Funnel-Event-Id.
 */
import { Pool, PoolClient } from 'pg';
import { EventStore, Subscription } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { filterNeedsAttributes, matchesFilter, MessageFilter } from '../contract/message-filter';
import { inPoolTransaction } from '@funnel/read-models/projection/transaction';
import { OutboundContract, OutboundReader } from '../contract/outbound-contract';
import { retryDelayMs } from './webhook-backoff';
import { sendWebhook, CallOutcome } from './webhook-sender';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, SCHEMA_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export interface WebhookWorkerOptions {
  pool: Pool;
  store: EventStore;
  /** The contracts subscriptions may name, by schema. */
  contracts: readonly OutboundContract[];
  /** Attributes each contract's messages carry without a lookup (see filterNeedsAttributes). */
  ownAttributes?: readonly string[];
  allowPrivateTargets: boolean;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /** Deliveries sent at once (each to a different deal). */
  concurrency?: number;
  /** Events read per subscription per enqueue transaction. */
  enqueueBatch?: number;
  log?: (message: string, error?: unknown) => void;
  /** Called after each attempt (benchmarks). */
  onAttempt?: (delivery: { eventId: string; subscriptionId: string }, outcome: CallOutcome) => void;
}

interface ActiveSubscription {
  id: string;
  contract: string;
  filter: MessageFilter;
  position: string;
}

interface DueDelivery {
  id: string;
  subscription_id: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  contract: string;
}

export class WebhookWorker {
  private readonly stopping = new AbortController();
  private running: Promise<unknown> | null = null;
  private wakeSubscription: Subscription | null = null;
  private readonly enqueueWake = new Wake();
  private readonly dispatchWake = new Wake();
  /** Per subscription: a reader that has followed the feed up to `position` (it keeps owners). */
  private readonly readers = new Map<string, { position: string; reader: OutboundReader<object> }>();

  constructor(private readonly options: WebhookWorkerOptions) {}

  start(): void {
    this.running ??= Promise.all([
      this.loop('enqueue', () => this.enqueueAll(), this.enqueueWake, 1000),
      this.loop('dispatch', () => this.dispatchDue(), this.dispatchWake, 250),
      this.followFeed(),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.enqueueWake.fire();
    this.dispatchWake.fire();
    await this.wakeSubscription?.stop();
    await this.running;
  }

  /** New events in the feed wake the enqueue loop at once (its timer is only the fallback). */
  private async followFeed(): Promise<void> {
    const filters = this.options.contracts.map((c) => c.feedFilter);
    this.wakeSubscription = this.options.store.subscribeToAll({
      from: 'end',
      filter: {
        streamPrefixes: [...new Set(filters.flatMap((f) => f.streamPrefixes ?? []))],
        eventTypes: [...new Set(filters.flatMap((f) => f.eventTypes ?? []))],
      },
    });
    if (this.stopping.signal.aborted) await this.wakeSubscription.stop();
    try {
      for await (const _ of this.wakeSubscription) this.enqueueWake.fire();
    } catch (error) {
      this.log('webhooks: the feed wake-up subscription failed; relying on the timer', error);
    }
  }

  private async loop(name: string, turn: () => Promise<boolean>, wake: Wake, idleMs: number): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const busy = await turn();
        failures = 0;
        if (!busy) await wake.wait(idleMs);
      } catch (error) {
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.log(`webhooks: ${name} failed, retrying in ${delay} ms`, error);
        await wake.wait(delay);
      }
    }
  }

  // ── enqueue ───────────────────────────────────────────────────────────────

  /** True when some subscription had more to read than one batch. */
  private async enqueueAll(): Promise<boolean> {
    const result = await this.options.pool.query<ActiveSubscription>(
      `SELECT id, contract, filter, position FROM webhook_subscriptions WHERE status = 'active' ORDER BY id`,
    );
    let more = false;
    for (const subscription of result.rows) {
      if (this.stopping.signal.aborted) break;
      more = (await this.enqueue(subscription)) || more;
    }
    for (const id of this.readers.keys()) if (!result.rows.some((s) => s.id === id)) this.readers.delete(id);
    return more;
  }

  private async enqueue(subscription: ActiveSubscription): Promise<boolean> {
    const contract = this.options.contracts.find((c) => c.schema === subscription.contract);
    if (!contract) return false;
    const batch = this.options.enqueueBatch ?? 500;
    const after: GlobalPosition | 'start' = subscription.position === 'start' ? 'start' : parsePosition(subscription.position);
    const events = await this.options.store.readAll({ after, maxCount: batch, filter: contract.feedFilter });
    if (events.length === 0) return false;

    // A reader that has seen the feed up to exactly this checkpoint keeps what it learnt (owners);
    // after a rewind or a lost race it starts afresh (and looks owners up as of each change).
    const cached = this.readers.get(subscription.id);
    const reader =
      cached && cached.position === subscription.position
        ? cached.reader
        : contract.reader(this.options.store, { needsAttributes: filterNeedsAttributes(subscription.filter, this.options.ownAttributes ?? []) });
    this.readers.delete(subscription.id);

    const rows: { eventId: string; key: string; position: string; body: string }[] = [];
    for (const event of events) {
      const message = await reader.read(event);
      if (message && matchesFilter(message, subscription.filter)) {
        rows.push({ eventId: message.eventId, key: message.orderingKey, position: formatPosition(message.position), body: JSON.stringify(message.body) });
      }
    }
    const to = formatPosition(events[events.length - 1].position);
    const moved = await inPoolTransaction(this.options.pool, async (client) => {
      // Compare-and-set: if an api call rewound it or another worker moved it, this batch is void.
      const cas = await client.query(
        `UPDATE webhook_subscriptions SET position = $3, updated_at = now() WHERE id = $1 AND position = $2 AND status = 'active'`,
        [subscription.id, subscription.position, to],
      );
      if (cas.rowCount !== 1) return false;
      if (rows.length > 0) {
        await client.query(
          `INSERT INTO webhook_deliveries (subscription_id, event_id, ordering_key, position, body, status)
           SELECT $1, r.event_id, r.ordering_key, r.position, r.body, 'pending'
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS r(event_id, ordering_key, position, body, n)
            ORDER BY r.n`,
          [subscription.id, rows.map((r) => r.eventId), rows.map((r) => r.key), rows.map((r) => r.position), rows.map((r) => r.body)],
        );
      }
      return true;
    });
    if (moved) {
      this.readers.set(subscription.id, { position: to, reader });
      if (rows.length > 0) this.dispatchWake.fire();
    }
    return moved && events.length === batch;
  }

  // ── dispatch ──────────────────────────────────────────────────────────────

  /** True when it sent something (there may be more due at once). */
  private async dispatchDue(): Promise<boolean> {
    const leaseMs = this.options.timeoutMs + 30_000;
    // The oldest pending delivery of each (subscription, deal) — only those may go — whose time
    // has come, leased (next_attempt_at pushed past the call's timeout) so that another worker
    // neither sends it too nor sends the deal's next change before it. The outer WHERE is
    // re-checked on the locked row, so two workers cannot lease the same delivery.
    const claimed = await this.options.pool.query<DueDelivery>(
      `WITH heads AS (
         SELECT DISTINCT ON (d.subscription_id, d.ordering_key) d.id, d.next_attempt_at
           FROM webhook_deliveries d
           JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.status = 'active'
          WHERE d.status = 'pending'
          ORDER BY d.subscription_id, d.ordering_key, d.id),
       due AS (SELECT id FROM heads WHERE next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1)
       UPDATE webhook_deliveries d
          SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM due, webhook_subscriptions s
        WHERE d.id = due.id AND s.id = d.subscription_id AND d.status = 'pending' AND d.next_attempt_at <= now()
       RETURNING d.id, d.subscription_id, d.event_id, d.body, d.attempts, s.url, s.secret, s.contract`,
      [this.options.concurrency ?? 16, leaseMs],
    );
    if (claimed.rows.length === 0) return false;
    await Promise.all(
      claimed.rows.map((delivery) =>
        // One delivery's trouble (its subscription deleted mid-call, a lost connection) must not
        // hold back the others; its lease runs out and it is tried again.
        this.deliver(delivery).catch((error: unknown) => this.log(`webhooks: recording delivery ${delivery.id} failed`, error)),
      ),
    );
    return true;
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const started = new Date();
    const outcome = await sendWebhook(
      {
        url: delivery.url,
        body: delivery.body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Funnel-Webhooks/1',
          [EVENT_ID_HEADER]: delivery.event_id,
          [DELIVERY_ID_HEADER]: String(delivery.id),
          [SCHEMA_HEADER]: delivery.contract,
          [SIGNATURE_HEADER]: signWebhook(delivery.secret, delivery.body, Math.floor(Date.now() / 1000)),
        },
      },
      { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivateTargets },
    );
    this.options.onAttempt?.({ eventId: delivery.event_id, subscriptionId: delivery.subscription_id }, outcome);
    const attempt = delivery.attempts + 1;
    await inPoolTransaction(this.options.pool, async (client) => {
      // Numbered over the delivery's whole life (a requeued dead letter keeps its earlier attempts).
      await client.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error)
         SELECT $1, coalesce(max(attempt), 0) + 1, $2, $3, $4, $5 FROM webhook_attempts WHERE delivery_id = $1`,
        [delivery.id, started, outcome.durationMs, outcome.statusCode, outcome.error],
      );
      if (outcome.error === null) {
        await client.query(
          `UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_status_code = $3, last_error = NULL, delivered_at = now()
            WHERE id = $1`,
          [delivery.id, attempt, outcome.statusCode],
        );
        return;
      }
      if (attempt < this.options.maxAttempts) {
        const delay = retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
        await client.query(
          `UPDATE webhook_deliveries
              SET attempts = $2, last_status_code = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
            WHERE id = $1`,
          [delivery.id, attempt, outcome.statusCode, outcome.error, delay],
        );
        return;
      }
      await this.deadLetter(client, delivery, attempt, outcome);
    });
  }

  /** The last allowed attempt failed: pause the subscription and dead-letter everything it still owes. */
  private async deadLetter(client: PoolClient, delivery: DueDelivery, attempt: number, outcome: CallOutcome): Promise<void> {
    await client.query(`UPDATE webhook_deliveries SET attempts = $2, last_status_code = $3, last_error = $4 WHERE id = $1`, [
      delivery.id,
      attempt,
      outcome.statusCode,
      outcome.error,
    ]);
    const reason = `delivery ${delivery.id} (event ${delivery.event_id}) failed ${attempt} times, last: ${outcome.error}`;
    await client.query(
      `UPDATE webhook_subscriptions SET status = 'paused', paused_reason = $2, updated_at = now() WHERE id = $1`,
      [delivery.subscription_id, reason],
    );
    const dead = await client.query(`UPDATE webhook_deliveries SET status = 'dead' WHERE subscription_id = $1 AND status = 'pending'`, [
      delivery.subscription_id,
    ]);
    this.log(`webhooks: subscription ${delivery.subscription_id} paused; ${dead.rowCount} pending deliveries dead-lettered: ${reason}`);
  }

  private log(message: string, error?: unknown): void {
    this.options.log?.(message, error);
  }
}

/** A wake-up a loop waits on with a timeout; fire() ends the current (or next) wait at once. */
class Wake {
  private waiter: (() => void) | null = null;
  private fired = false;

  fire(): void {
    this.fired = true;
    this.waiter?.();
  }

  wait(ms: number): Promise<void> {
    if (this.fired) {
      this.fired = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
        this.fired = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
