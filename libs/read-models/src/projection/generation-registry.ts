/**
 * The projections' generations (see the migration CreateProjectionRegistry): which one is live,
 * which one is being built, and the swap between them. Every change to one projection's rows
 * runs under its registry lock, so concurrent starts and rebuilds see a consistent registry.
 */
import { Pool, PoolClient } from 'pg';
import {
  createGenerationIndexes,
  createGenerationTables,
  dropGenerationSchema,
  generationSchema,
  pointViewsAt,
} from './generation-schema';
import { MAX_PARTITIONS } from './partition';
import { Projection, Sql } from './projection';
import { borrowClient, inPoolTransaction, inTransaction } from './transaction';
import { lockRegistry, tryLockWriter, unlockWriter } from './writer-lock';

export type GenerationStatus = 'building' | 'live' | 'retired';

export interface Generation {
  projection: string;
  generation: number;
  status: GenerationStatus;
  version: number;
  /** How many partitions split it (1: one writer), fixed when it was created. */
  partitions: number;
  createdAt: Date;
  liveSince: Date | null;
}

interface GenerationRow {
  projection: string;
  generation: number;
  status: GenerationStatus;
  version: number;
  partitions: number;
  created_at: Date;
  live_since: Date | null;
}

export class RebuildInProgressError extends Error {
  constructor(
    readonly projection: string,
    readonly generation: number,
  ) {
    super(`a rebuild of ${projection} is already running (generation ${generation})`);
    this.name = 'RebuildInProgressError';
  }
}

export class GenerationRegistry {
  constructor(private readonly pool: Pool) {}

  async live(projection: string): Promise<Generation | null> {
    const result = await this.pool.query<GenerationRow>(
      `SELECT * FROM projection_generations WHERE projection = $1 AND status = 'live'`,
      [projection],
    );
    return result.rows[0] ? toGeneration(result.rows[0]) : null;
  }

  /** Live and building generations of every projection. */
  async active(): Promise<Generation[]> {
    const result = await this.pool.query<GenerationRow>(
      `SELECT * FROM projection_generations WHERE status IN ('live', 'building')
        ORDER BY projection, generation`,
    );
    return result.rows.map(toGeneration);
  }

  /**
   * The live generation; on first start, creates generation 1 live and empty at 'start' so that
   * the `rm` views exist at once and fill as the runner catches up — split into `partitions`
   * when the projection can be (an existing generation keeps the number it was created with).
   */
  async ensureLive(projection: Projection, partitions = 1): Promise<Generation> {
    const existing = await this.live(projection.name);
    if (existing) return existing;
    return inPoolTransaction(this.pool, async (client) => {
      await lockRegistry(client, projection.name);
      const live = await client.query<GenerationRow>(
        `SELECT * FROM projection_generations WHERE projection = $1 AND status = 'live'`,
        [projection.name],
      );
      if (live.rows[0]) return toGeneration(live.rows[0]);
      const generation = await nextGeneration(client, projection.name);
      const schema = generationSchema(projection.name, generation);
      await createGenerationTables(client, projection, schema);
      await createGenerationIndexes(client, projection, schema);
      const created = await insertGeneration(client, projection, generation, 'live', partitions);
      await pointViewsAt(client, projection, schema);
      return created;
    });
  }

  /**
   * Creates generation N+1 with status 'building' and leaves its writer lock held on `client`
   * (taken before the commit, so no other rebuild can mistake it for an abandoned one). An
   * abandoned building generation (its writer gone) is dropped first; a running one refuses.
   * One writer builds it whatever `partitions` says: its checkpoint is partition 0 until the
   * promotion gives every partition that position.
   */
  async startBuilding(client: PoolClient, projection: Projection, partitions = 1): Promise<Generation> {
    return inTransaction(client, async () => {
      await lockRegistry(client, projection.name);
      const building = await client.query<{ generation: number }>(
        `SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'building'`,
        [projection.name],
      );
      for (const { generation } of building.rows) {
        if (!(await dropIfAbandoned(client, projection.name, generation))) throw new RebuildInProgressError(projection.name, generation);
      }
      const generation = await nextGeneration(client, projection.name);
      await createGenerationTables(client, projection, generationSchema(projection.name, generation));
      const created = await insertGeneration(client, projection, generation, 'building', partitions);
      if (!(await tryLockWriter(client, projection.name, generation))) {
        throw new RebuildInProgressError(projection.name, generation);
      }
      return created;
    });
  }

  /**
   * The swap, in one transaction: the views point at `generation`, which becomes live, and the
   * old live generation is retired. A runner writing the old generation holds its registry row
   * FOR SHARE during each batch, so the swap waits for that batch and the runner's next batch
   * sees 'retired' and switches. Returns the retired generations (their schemas go next).
   */
  async promote(client: PoolClient, projection: Projection, generation: number): Promise<number[]> {
    return inTransaction(client, async () => {
      await lockRegistry(client, projection.name);
      const target = await client.query<{ status: GenerationStatus }>(
        `SELECT status FROM projection_generations WHERE projection = $1 AND generation = $2 FOR UPDATE`,
        [projection.name, generation],
      );
      if (target.rows[0]?.status !== 'building') {
        throw new Error(`${projection.name} generation ${generation} is not building`);
      }
      const retired = await client.query<{ generation: number }>(
        `UPDATE projection_generations SET status = 'retired'
          WHERE projection = $1 AND status = 'live' RETURNING generation`,
        [projection.name],
      );
      await client.query(
        `UPDATE projection_generations SET status = 'live', live_since = now()
          WHERE projection = $1 AND generation = $2`,
        [projection.name, generation],
      );
      // Built by one writer up to partition 0's checkpoint: every partition starts live from there.
      await client.query(
        `INSERT INTO projection_checkpoints (projection, generation, partition, position)
         SELECT c.projection, c.generation, p.partition, c.position
           FROM projection_checkpoints c
           JOIN projection_generations g USING (projection, generation)
          CROSS JOIN LATERAL generate_series(1, g.partitions - 1) AS p(partition)
          WHERE c.projection = $1 AND c.generation = $2 AND c.partition = 0
         ON CONFLICT DO NOTHING`,
        [projection.name, generation],
      );
      await pointViewsAt(client, projection, generationSchema(projection.name, generation));
      return retired.rows.map((r) => r.generation);
    });
  }

  /**
   * Drops every building generation whose rebuild died (its writer lock is free); a rebuild still
   * running elsewhere is left alone. The projector calls it on start, so a killed rebuild does
   * not linger in `projections list`.
   */
  async dropAbandoned(projection: string): Promise<number[]> {
    const { client, release } = await borrowClient(this.pool);
    try {
      return await inTransaction(client, async () => {
        await lockRegistry(client, projection);
        const building = await client.query<{ generation: number }>(
          `SELECT generation FROM projection_generations WHERE projection = $1 AND status = 'building'`,
          [projection],
        );
        const dropped: number[] = [];
        for (const { generation } of building.rows) {
          if (await dropIfAbandoned(client, projection, generation)) dropped.push(generation);
        }
        return dropped;
      });
    } finally {
      release();
    }
  }

  /** Gives up a building generation (cancelled or failed rebuild): retired and dropped. */
  async abandon(client: PoolClient, projection: Projection, generation: number): Promise<void> {
    await inTransaction(client, async () => {
      await lockRegistry(client, projection.name);
      await client.query(
        `UPDATE projection_generations SET status = 'retired'
          WHERE projection = $1 AND generation = $2 AND status = 'building'`,
        [projection.name, generation],
      );
    });
    await this.dropRetiredSchemas(projection.name, client);
  }

  /**
   * Drops the schemas of retired generations. It waits (boundedly) for queries still reading the
   * old tables through the previous view definition; what it cannot drop now, a later call does.
   */
  async dropRetiredSchemas(projection: string, client?: PoolClient): Promise<string[]> {
    const own = client ? null : await borrowClient(this.pool);
    const sql = (client ?? own!.client);
    try {
      const retired = await sql.query<{ schema_name: string }>(
        `SELECT n.nspname AS schema_name FROM pg_namespace n
           JOIN projection_generations g
             ON n.nspname = 'rm_' || g.projection || '_g' || g.generation
          WHERE g.projection = $1 AND g.status = 'retired'`,
        [projection],
      );
      const dropped: string[] = [];
      for (const { schema_name } of retired.rows) {
        try {
          await inTransaction(sql, async () => {
            await sql.query(`SET LOCAL lock_timeout = '10s'`);
            await dropGenerationSchema(sql, schema_name);
          });
          dropped.push(schema_name);
        } catch {
          // Still in use past the timeout: the next call drops it.
        }
      }
      return dropped;
    } finally {
      own?.release();
    }
  }
}

async function nextGeneration(sql: Sql, projection: string): Promise<number> {
  const result = await sql.query<{ next: number }>(
    `SELECT coalesce(max(generation), 0) + 1 AS next FROM projection_generations WHERE projection = $1`,
    [projection],
  );
  return result.rows[0].next;
}

/** A projection that is not partitionable always has one partition, whatever was asked. */
export function partitionsFor(projection: Projection, requested: number): number {
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PARTITIONS) {
    throw new Error(`partitions must be an integer from 1 to ${MAX_PARTITIONS}, not ${requested}`);
  }
  return projection.partitionable ? requested : 1;
}

/** A live generation gets a checkpoint per partition; a building one only partition 0 (see startBuilding). */
async function insertGeneration(
  sql: Sql,
  projection: Projection,
  generation: number,
  status: 'live' | 'building',
  requestedPartitions: number,
): Promise<Generation> {
  const partitions = partitionsFor(projection, requestedPartitions);
  const inserted = await sql.query<GenerationRow>(
    `INSERT INTO projection_generations (projection, generation, status, version, partitions, live_since)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'live' THEN now() END)
     RETURNING *`,
    [projection.name, generation, status, projection.version, partitions],
  );
  await sql.query(
    `INSERT INTO projection_checkpoints (projection, generation, partition, position)
     SELECT $1, $2, p, 'start' FROM generate_series(0, $3::int - 1) AS p`,
    [projection.name, generation, status === 'live' ? partitions : 1],
  );
  return toGeneration(inserted.rows[0]);
}

/** Retires and drops a building generation if no writer holds it; false when one does. */
async function dropIfAbandoned(sql: Sql, projection: string, generation: number): Promise<boolean> {
  if (!(await tryLockWriter(sql, projection, generation))) return false;
  await retire(sql, projection, generation);
  await dropGenerationSchema(sql, generationSchema(projection, generation));
  await unlockWriter(sql, projection, generation);
  return true;
}

async function retire(sql: Sql, projection: string, generation: number): Promise<void> {
  await sql.query(
    `UPDATE projection_generations SET status = 'retired' WHERE projection = $1 AND generation = $2`,
    [projection, generation],
  );
}

function toGeneration(row: GenerationRow): Generation {
  return {
    projection: row.projection,
    generation: row.generation,
    status: row.status,
    version: row.version,
    partitions: row.partitions,
    createdAt: row.created_at,
    liveSince: row.live_since,
  };
}
