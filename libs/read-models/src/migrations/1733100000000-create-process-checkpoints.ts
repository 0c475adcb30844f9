import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each process manager (a feed consumer that appends events, such as the account
 * reactor) has got to in the global feed. Unlike a projection it has no generations: what it
 * wrote are events, and they stay.
 */
export class CreateProcessCheckpoints1733100000000 implements MigrationInterface {
  name = 'CreateProcessCheckpoints1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE process_checkpoints (
        process          text        PRIMARY KEY,
        -- 'start' or the feed position "<commit>:<prepare>" of the last event handled
        position         text        NOT NULL,
        events_processed bigint      NOT NULL DEFAULT 0,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE process_checkpoints`);
  }
}
