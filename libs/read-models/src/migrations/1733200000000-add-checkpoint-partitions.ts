import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partitioned projectors: a generation records how many partitions it is split into (N, chosen
 * when it is created and fixed for its life), and has one checkpoint per partition, 0 … N−1.
 * Existing generations keep N = 1 with their one checkpoint as partition 0, so nothing moves.
 */
export class AddCheckpointPartitions1733200000000 implements MigrationInterface {
  name = 'AddCheckpointPartitions1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projection_generations
        ADD COLUMN partitions int NOT NULL DEFAULT 1 CHECK (partitions BETWEEN 1 AND 64)`);
    await q.query(`
      ALTER TABLE projection_checkpoints
        ADD COLUMN partition int NOT NULL DEFAULT 0 CHECK (partition >= 0)`);
    await q.query(`ALTER TABLE projection_checkpoints DROP CONSTRAINT projection_checkpoints_pkey`);
    await q.query(`ALTER TABLE projection_checkpoints ADD PRIMARY KEY (projection, generation, partition)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM projection_checkpoints WHERE partition > 0`);
    await q.query(`ALTER TABLE projection_checkpoints DROP CONSTRAINT projection_checkpoints_pkey`);
    await q.query(`ALTER TABLE projection_checkpoints ADD PRIMARY KEY (projection, generation)`);
    await q.query(`ALTER TABLE projection_checkpoints DROP COLUMN partition`);
    await q.query(`ALTER TABLE projection_generations DROP COLUMN partitions`);
  }
}
