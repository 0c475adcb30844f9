/**
 * Who writes which partition, across processes, with session-level advisory locks only: a
 * crashed process's sessions end and PostgreSQL frees its locks, so no heartbeat table is needed.
 *
 * - The lease of a partition: the two-key lock (hashtext('<projection>/g<generation>'), partition),
 *   exclusive, held by the session its writer writes on.
 * - Membership: the two-key lock (727101, hashtext(projection)) in share mode, held by every
 *   process running the projection, so that each can count the others in pg_locks.
 * (The registry lock uses (727100, hashtext(projection)); writer locks are one-key: another space.)
 * As with the writer lock, the checkpoint's compare-and-set, not the lease, is what keeps two
 * writers of one partition from corrupting it should a lease ever be lost.
 */
import { Sql } from './projection';

const MEMBER_CLASS = 727101;

const LEASE_KEY = `hashtext($1 || '/g' || $2::int), $3::int`;

/** The current database's advisory locks (pg_locks shows those of every database). */
const ADVISORY_LOCKS = `
  SELECT l.classid::int8 AS key1, l.objid::int8 AS key2, l.mode, l.pid FROM pg_locks l
   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export async function tryLeasePartition(sql: Sql, projection: string, generation: number, partition: number): Promise<boolean> {
  const result = await sql.query<{ leased: boolean }>(
    `SELECT pg_try_advisory_lock(${LEASE_KEY}) AS leased`,
    [projection, generation, partition],
  );
  return result.rows[0].leased;
}

export async function releasePartition(sql: Sql, projection: string, generation: number, partition: number): Promise<void> {
  await sql.query(`SELECT pg_advisory_unlock(${LEASE_KEY})`, [projection, generation, partition]);
}

/** The partitions of a generation some session holds the lease of (read from pg_locks, not taken). */
export async function leasedPartitions(sql: Sql, projection: string, generation: number): Promise<number[]> {
  const result = await sql.query<{ partition: string }>(
    `SELECT l.key2 AS partition FROM (${ADVISORY_LOCKS}) l
      WHERE l.mode = 'ExclusiveLock' AND l.key1 = (hashtext($1 || '/g' || $2::int)::int8 & 4294967295)
      ORDER BY 1`,
    [projection, generation],
  );
  return result.rows.map((r) => Number(r.partition));
}

/** Joins the projection's members until the session ends. */
export async function joinMembers(sql: Sql, projection: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_lock_shared(${MEMBER_CLASS}, hashtext($1))`, [projection]);
}

/** Processes running the projection now (sessions holding its member lock). */
export async function countMembers(sql: Sql, projection: string): Promise<number> {
  const result = await sql.query<{ members: string }>(
    `SELECT count(DISTINCT l.pid) AS members FROM (${ADVISORY_LOCKS}) l
      WHERE l.mode = 'ShareLock' AND l.key1 = ${MEMBER_CLASS} AND l.key2 = (hashtext($1)::int8 & 4294967295)`,
    [projection],
  );
  return Number(result.rows[0].members);
}

/**
 * SQL that is true while some session holds the lease of partition `partition` of (projection,
 * generation) — for the status query, which shows who writes each partition.
 */
export function partitionLeaseHeldSql(projection: string, generation: string, partition: string): string {
  return `EXISTS (SELECT 1 FROM (${ADVISORY_LOCKS}) l
                   WHERE l.mode = 'ExclusiveLock'
                     AND l.key1 = (hashtext(${projection} || '/g' || ${generation}::int)::int8 & 4294967295)
                     AND l.key2 = ${partition}::int8)`;
}
