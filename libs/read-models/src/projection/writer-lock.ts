import { Sql } from './projection';

/**
 * One writer per generation, across processes: a session-level advisory lock keyed by
 * (projection, generation), held on the writer's own connection for as long as it writes.
 * It saves runners from fighting; the checkpoint's compare-and-set is what keeps a second
 * writer from corrupting anything should the lock ever be lost.
 */
const WRITER_KEY = `(hashtext($1)::bigint << 32) | $2::bigint`;

/**
 * SQL that is true while some session holds the writer lock of (projection, generation) — read
 * from pg_locks, without taking it (taking it, even briefly, could make a starting rebuild fail).
 * A bigint advisory key shows there as classid = high 32 bits, objid = low 32 bits, objsubid 1.
 */
export function writerLockHeldSql(projection: string, generation: string): string {
  const key = `((hashtext(${projection})::bigint << 32) | ${generation}::bigint)`;
  return `EXISTS (SELECT 1 FROM pg_locks l
                   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                     AND l.classid::int8 = ((${key} >> 32) & 4294967295)
                     AND l.objid::int8 = (${key} & 4294967295))`;
}

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
