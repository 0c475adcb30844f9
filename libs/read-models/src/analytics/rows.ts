import { Pool } from 'pg';

/** The rows of one parameterised query (values bound, never spliced into the SQL). */
export async function rows<T>(pool: Pool, sql: string, params: unknown[]): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}
