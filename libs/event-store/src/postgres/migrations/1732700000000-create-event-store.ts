import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log and its per-stream heads.
 *
 * `events.transaction_id` (xid8) exists for the global feed: a bigserial alone is handed out at
 * insert time, not commit time, so a reader that follows it would skip an event whose
 * transaction commits after a later-numbered one. The feed is ordered by
 * (transaction_id, global_position) and read only below the oldest running transaction
 * (see postgres-event-store.ts).
 */
export class CreateEventStore1732700000000 implements MigrationInterface {
  name = 'CreateEventStore1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_streams (
        stream_id           text   PRIMARY KEY,
        -- revision of the stream's last event; -1 while its first append is in flight
        revision            bigint NOT NULL,
        last_hash           text,
        -- the newest transaction that wrote to the stream; see the append's xid check
        last_transaction_id xid8   NOT NULL
      )`);
    await q.query(`
      CREATE TABLE events (
        global_position bigserial   PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid        NOT NULL UNIQUE,
        stream_id       text        NOT NULL,
        stream_revision bigint      NOT NULL,
        event_type      text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
      )`);
    await q.query(`CREATE INDEX events_feed_order ON events (transaction_id, global_position)`);
    // History is sacred: the table refuses UPDATE, DELETE and TRUNCATE for every role.
    await q.query(`
      CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_are_immutable()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION events_are_immutable()`);
    await q.query(`DROP TABLE event_streams`);
  }
}
