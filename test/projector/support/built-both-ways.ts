import { escapeIdentifier } from 'pg';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { generationSchema } from '@funnel/read-models/projection/generation-schema';
import { Projection } from '@funnel/read-models/projection/projection';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { ReadModelHarness } from '../../read-models/support/read-model-harness';

/** Every table of a generation's schema — internal state tables too — each row as JSON text, in a stable order. */
export type GenerationTables = Record<string, string[]>;

export async function generationTables(h: ReadModelHarness, projection: Projection, generation: number): Promise<GenerationTables> {
  const schema = generationSchema(projection.name, generation);
  const tables = await h.rows<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
    [schema],
  );
  const result: GenerationTables = {};
  for (const { table_name } of tables) {
    const qualified = `${escapeIdentifier(schema)}.${escapeIdentifier(table_name)}`;
    // Row as JSON (every column, as PostgreSQL holds it), ordered by that text: no ORDER BY to keep per table.
    const rows = await h.rows<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${qualified} t ORDER BY 1`);
    result[table_name] = rows.map((r) => r.row);
  }
  return result;
}

/**
 * Rebuilds `projection` from the feed twice — batch by batch through apply (odd small batches),
 * then through its builder, flushing every `flushRows` pending rows (small: flushes fall mid-deal)
 * — and returns both generations' tables. The builder's promise is that they are equal.
 */
export async function builtBothWays(
  h: ReadModelHarness,
  projection: Projection,
  options: { batchSize?: number; flushRows?: number } = {},
): Promise<{ applied: GenerationTables; built: GenerationTables; events: number }> {
  await new GenerationRegistry(h.pool).ensureLive(projection);
  const deps = { pool: h.pool, store: h.store };
  const applied = await rebuildProjection(deps, projection, { batchSize: options.batchSize ?? 37, bulk: false });
  const appliedTables = await generationTables(h, projection, applied.generation);
  const built = await rebuildProjection(deps, projection, { batchSize: options.batchSize ?? 37, bulk: true, flushRows: options.flushRows ?? 50 });
  const builtTables = await generationTables(h, projection, built.generation);
  if (built.eventsProcessed !== applied.eventsProcessed) {
    throw new Error(`${projection.name}: the builder processed ${built.eventsProcessed} events, apply ${applied.eventsProcessed}`);
  }
  return { applied: appliedTables, built: builtTables, events: built.eventsProcessed };
}
