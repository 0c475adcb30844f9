import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A projection whose batch keeps failing retries from its checkpoint forever (skipping an event
 * would make the read model differ from a rebuild). Operators must see that it is stuck and why:
 * the runner records the failure here, and the next batch that commits clears it.
 */
export class AddProjectionFailures1733000000000 implements MigrationInterface {
  name = 'AddProjectionFailures1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projection_checkpoints
        ADD COLUMN last_error text,
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN consecutive_failures int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projection_checkpoints
        DROP COLUMN last_error, DROP COLUMN failing_since, DROP COLUMN consecutive_failures`);
  }
}
