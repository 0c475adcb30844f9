import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbound paths' own state, beside the read models: a checkpoint per consumer (the NATS
 * publisher), webhook subscriptions (each its own checkpoint), the deliveries they owe and every
 * attempt. None of it is a source of truth: the events are, and a lost table costs a replay.
 */
export class CreateIntegrationTables1733100000000 implements MigrationInterface {
  name = 'CreateIntegrationTables1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_checkpoints (
        consumer text PRIMARY KEY,
        position text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        owner text NOT NULL,
        url text NOT NULL,
        description text,
        contract text NOT NULL,
        filter jsonb NOT NULL,
        secret text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'paused')),
        paused_reason text,
        -- the checkpoint: 'start' or "<commit>:<prepare>" of the last feed event enqueued
        position text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        event_id text NOT NULL,
        ordering_key text NOT NULL,
        position text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status_code int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    // The dispatcher's question: the oldest pending delivery of each (subscription, deal).
    await q.query(`CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, ordering_key, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        status_code int,
        error text,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts, webhook_deliveries, webhook_subscriptions, integration_checkpoints`);
  }
}
