import { escapeIdentifier } from 'pg';
import { Projection, Sql } from './projection';

/** Schema of the stable views that queries read. */
export const READ_MODEL_VIEW_SCHEMA = 'rm';

const PROJECTION_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** `rm_<projection>_g<generation>`: where one generation of a projection keeps its tables. */
export function generationSchema(projection: string, generation: number): string {
  if (!PROJECTION_NAME.test(projection)) throw new Error(`bad projection name "${projection}"`);
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`bad generation ${generation}`);
  return `rm_${projection}_g${generation}`;
}

/**
 * Runs `work` with the generation's schema as the only one unqualified names resolve to
 * (transaction-local), then restores the search path: projection SQL stays free of schema
 * names and cannot touch another generation, while the registry and checkpoint tables around
 * it resolve as usual.
 */
export async function inGenerationSchema<T>(sql: Sql, schema: string, work: () => Promise<T>): Promise<T> {
  const saved = await sql.query<{ search_path: string }>(`SELECT current_setting('search_path') AS search_path`);
  await sql.query(`SELECT set_config('search_path', $1, true)`, [escapeIdentifier(schema)]);
  const result = await work();
  await sql.query(`SELECT set_config('search_path', $1, true)`, [saved.rows[0].search_path]);
  return result;
}

/** Creates the generation's schema and tables (inside the caller's transaction). */
export async function createGenerationTables(sql: Sql, projection: Projection, schema: string): Promise<void> {
  await sql.query(`CREATE SCHEMA ${escapeIdentifier(schema)}`);
  await inGenerationSchema(sql, schema, async () => {
    for (const statement of projection.tables) await sql.query(statement);
  });
}

export async function createGenerationIndexes(sql: Sql, projection: Projection, schema: string): Promise<void> {
  await inGenerationSchema(sql, schema, async () => {
    for (const statement of projection.indexes) await sql.query(statement);
  });
}

/**
 * Points the `rm` views at a generation (inside the swap's transaction). CREATE OR REPLACE keeps
 * views that others built on top of ours; only a changed column list needs a drop and create.
 */
export async function pointViewsAt(sql: Sql, projection: Projection, schema: string): Promise<void> {
  for (const view of projection.views) {
    const target = `${escapeIdentifier(READ_MODEL_VIEW_SCHEMA)}.${escapeIdentifier(view)}`;
    const source = `${escapeIdentifier(schema)}.${escapeIdentifier(view)}`;
    await sql.query('SAVEPOINT point_view');
    try {
      await sql.query(`CREATE OR REPLACE VIEW ${target} AS SELECT * FROM ${source}`);
      await sql.query('RELEASE SAVEPOINT point_view');
    } catch {
      await sql.query('ROLLBACK TO SAVEPOINT point_view');
      await sql.query(`DROP VIEW IF EXISTS ${target}`);
      await sql.query(`CREATE VIEW ${target} AS SELECT * FROM ${source}`);
    }
  }
}

export async function dropGenerationSchema(sql: Sql, schema: string): Promise<void> {
  await sql.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
}
