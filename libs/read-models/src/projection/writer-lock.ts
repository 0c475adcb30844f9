import { Sql } from './projection';

/**
 * One writer per generation, across processes: a session-level advisory lock keyed by
 * (projection, generation), held on the writer's own connection for as long as it writes.
 * It saves runners from fighting; the checkpoint's compare-and-set is what keeps a second
 * writer from corrupting anything should the lock ever be lost.
 */
const WRITER_KEY = `(hashtext($1)::bigint << 32) | $2::bigint`;

export async function tryLockWriter(sql: Sql, projection: string, generation: number): Promise<boolean> {
  const result = await sql.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(${WRITER_KEY}) AS locked`,
    [projection, generation],
  );
  return result.rows[0].locked;
}

export async function unlockWriter(sql: Sql, projection: string, generation: number): Promise<void> {
  await sql.query(`SELECT pg_advisory_unlock(${WRITER_KEY})`, [projection, generation]);
}

/** Serialises changes to one projection's registry rows (two-key space, apart from writer locks). */
export async function lockRegistry(sql: Sql, projection: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(727100, hashtext($1))`, [projection]);
}
