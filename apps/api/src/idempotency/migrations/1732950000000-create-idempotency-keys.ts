import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of commands. A key belongs to its actor; it is bound to the route and to the
 * sha256 of the request body it was first used with. `status` stays NULL while the command runs
 * (or if the process died mid-way): a retry with the same body then finishes the job, one with
 * another body is refused.
 */
export class CreateIdempotencyKeys1732950000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1732950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        actor        text        NOT NULL,
        key          text        NOT NULL,
        route        text        NOT NULL,
        request_hash text        NOT NULL,
        status       integer,
        response     jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      )`);
    // For a clean-up job that forgets keys older than the retention period.
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
