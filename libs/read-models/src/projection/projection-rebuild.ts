/**
 * Blue/green rebuild of one projection: generation N+1 is built beside the live one from the
 * start of the feed, gets its query indexes, catches up with the head, and then the `rm` views
 * swap to it in one transaction. Queries never see a half-built table.
 */
import { Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { GenerationRegistry } from './generation-registry';
import { createGenerationIndexes, generationSchema } from './generation-schema';
import { BatchProgress } from './generation-writer';
import { Projection } from './projection';
import { borrowClient, inTransaction, isConnectionError } from './transaction';
import { writeGenerationsUntilLevel } from './shared-feed-writer';
import { unlockWriter } from './writer-lock';

export interface RebuildOptions {
  batchSize: number;
  /**
   * The first catch-up fills the fresh generation through the projections' builders where they
   * have one (default); false: apply batch by batch, as a live runner does (the benchmarks and
   * the bulk-build spec compare the two).
   */
  bulk?: boolean;
  /** Pending rows at which a builder writes (default 20,000; the specs make it small to flush mid-deal). */
  flushRows?: number;
  /** Partitions of the new generation once live (PROJECTOR_PARTITIONS; 1 by default). One writer builds it either way. */
  partitions?: number;
  signal?: AbortSignal;
  /** Called once the new generation exists, before its first batch. */
  onStart?: (generation: number) => void;
  onBatch?: (progress: BatchProgress) => void;
}

export interface RebuildResult {
  projection: string;
  generation: number;
  retired: number[];
  eventsProcessed: number;
  seconds: number;
}

export class RebuildCancelledError extends Error {
  constructor(readonly projection: string) {
    super(`rebuild of ${projection} cancelled`);
    this.name = 'RebuildCancelledError';
  }
}

/** Blue/green rebuild of one projection: the shared rebuild below with one target. */
export async function rebuildProjection(
  deps: { pool: Pool; store: EventStore },
  projection: Projection,
  options: RebuildOptions,
): Promise<RebuildResult> {
  const [result] = await rebuildProjections(deps, [projection], options);
  return result;
}

/**
 * Blue/green rebuild of several projections from ONE read of the feed: every new generation is
 * created, filled batch by batch from the same subscription (each in its own transaction, in
 * parallel), indexed once loaded, caught up, and swapped in. Faster than rebuilding each alone
 * when the node process (reading and parsing the feed) is the bottleneck, as it is here.
 */
export async function rebuildProjections(
  deps: { pool: Pool; store: EventStore },
  projections: readonly Projection[],
  options: RebuildOptions,
): Promise<RebuildResult[]> {
  const registry = new GenerationRegistry(deps.pool);
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = Date.now();
  // One connection per generation, held to the end: a smaller pool would wait for itself forever.
  const poolSize = deps.pool.options.max;
  if (poolSize < projections.length) {
    throw new Error(`rebuilding ${projections.length} projections at once holds ${projections.length} connections; the pool allows ${poolSize}`);
  }
  const borrowed = await Promise.all(projections.map(() => borrowClient(deps.pool)));
  const targets = projections.map((projection, i) => ({ projection, generation: 0, client: borrowed[i].client }));
  let eventsProcessed = 0;
  const catchUp = async () => {
    const outcome = await writeGenerationsUntilLevel(targets, {
      // Fresh generations (the first catch-up) are filled by the projections' builders where they have one.
      bulk: options.bulk ?? true,
      flushRows: options.flushRows,
      store: deps.store,
      batchSize: options.batchSize,
      signal,
      onBatch: (progress) => {
        eventsProcessed = progress.eventsProcessed;
        options.onBatch?.(progress);
      },
    });
    if (outcome === 'stopped') throw new RebuildCancelledError(projections.map((p) => p.name).join(', '));
    if (outcome === 'superseded') throw new Error(`${projections.map((p) => p.name).join(', ')}: a generation being built was abandoned by another process`);
  };
  try {
    for (const target of targets) {
      target.generation = (await registry.startBuilding(target.client, target.projection, options.partitions ?? 1)).generation;
    }
    options.onStart?.(targets[0]?.generation ?? 0);
    await catchUp();
    await Promise.all(
      targets.map((t) => inTransaction(t.client, (c) => createGenerationIndexes(c, t.projection, generationSchema(t.projection.name, t.generation)))),
    );
    await catchUp();
    const results: RebuildResult[] = [];
    for (const t of targets) {
      const retired = await registry.promote(t.client, t.projection, t.generation);
      await unlockWriter(t.client, t.projection.name, t.generation);
      await registry.dropRetiredSchemas(t.projection.name, t.client);
      results.push({ projection: t.projection.name, generation: t.generation, retired, eventsProcessed, seconds: (Date.now() - startedAt) / 1000 });
    }
    return results;
  } catch (error) {
    for (const t of targets) {
      if (t.generation > 0 && !isConnectionError(error)) await registry.abandon(t.client, t.projection, t.generation).catch(() => undefined);
    }
    throw error;
  } finally {
    for (const b of borrowed) b.release(true);
  }
}
