import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The projections' registry. Each projection has generations; generation N keeps its tables in
 * schema `rm_<projection>_g<N>` and queries read the views in schema `rm`, which point at the
 * live generation. A rebuild builds N+1 beside N and swaps the views in one transaction.
 */
export class CreateProjectionRegistry1732800000000 implements MigrationInterface {
  name = 'CreateProjectionRegistry1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS rm`);
    await q.query(`
      CREATE TABLE projection_generations (
        projection  text        NOT NULL,
        generation  int         NOT NULL,
        status      text        NOT NULL CHECK (status IN ('building', 'live', 'retired')),
        -- the projection's code version that built it: a live generation of an older version
        -- is rebuilt (blue/green) by the next projector start
        version     int         NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        live_since  timestamptz,
        PRIMARY KEY (projection, generation)
      )`);
    // At most one live generation per projection, whatever the runners do.
    await q.query(`
      CREATE UNIQUE INDEX projection_generations_one_live
        ON projection_generations (projection) WHERE status = 'live'`);
    await q.query(`
      CREATE TABLE projection_checkpoints (
        projection       text        NOT NULL,
        generation       int         NOT NULL,
        -- 'start' or the feed position "<commit>:<prepare>" of the last event projected
        position         text        NOT NULL,
        events_processed bigint      NOT NULL DEFAULT 0,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, generation),
        FOREIGN KEY (projection, generation) REFERENCES projection_generations ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_checkpoints`);
    await q.query(`DROP TABLE projection_generations`);
    await q.query(`DROP SCHEMA rm CASCADE`);
  }
}
