/**
 * Several generations built from one read of the feed. A rebuild of every projection used to
 * read and parse the whole feed once per projection; here one subscription's batches go to every
 * generation, each written in its own transaction on its own connection (so PostgreSQL works on
 * them in parallel), with its own checkpoint moved by compare-and-set as in writeGeneration.
 * The generations must stand at the same checkpoint (fresh rebuilds all start at 'start').
 */
import { PoolClient } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { GlobalPosition } from '@funnel/event-store/global-position';
import { bulkSql } from './bulk-sql';
import { advanceCheckpoint, CheckpointPosition, checkpointText, readCheckpoint } from './checkpoint';
import { FeedBatches } from './feed-batches';
import { generationSchema } from './generation-schema';
import { BatchOutcome, generationStatus, isAtHead, prepareSession, writeBatch, WriteOutcome } from './generation-writer';
import { Projection, ProjectionBuilder } from './projection';

export interface GenerationTarget {
  projection: Projection;
  generation: number;
  /** The writer's own connection, holding the generation's writer lock. */
  client: PoolClient;
}

export interface SharedFeedOptions {
  store: EventStore;
  batchSize: number;
  signal: AbortSignal;
  idleMs?: number;
  onBatch?: (progress: { events: number; position: GlobalPosition; eventsProcessed: number }) => void;
  /**
   * The generations are fresh (built from the start) and this is their one writer: a projection
   * with a builder folds in memory and writes in bulk every `flushRows` pending rows and once
   * level, its checkpoint moving with each flush (a rebuild's first catch-up). Without: apply per batch.
   */
  bulk?: boolean;
  flushRows?: number;
}

/** Pending rows at which a builder writes: ~50,000 rows is a COPY of a few MB, a transaction of well under a second. */
const DEFAULT_FLUSH_ROWS = 50_000;

/** One generation being written: by apply per batch, or by a builder flushed now and then. */
interface Writing {
  target: GenerationTarget;
  builder: ProjectionBuilder | null;
  /** The committed checkpoint. */
  committed: CheckpointPosition;
  /** Events folded into the builder since the last flush, and the feed position they reach. */
  unflushed: number;
  reached: CheckpointPosition;
}

/** Projects every target from their common checkpoint until level with the feed head. */
export async function writeGenerationsUntilLevel(targets: readonly GenerationTarget[], options: SharedFeedOptions): Promise<WriteOutcome> {
  const restores = await Promise.all(targets.map((t) => prepareSession(t.client, generationSchema(t.projection.name, t.generation))));
  try {
    const checkpoints = await Promise.all(targets.map((t) => readCheckpoint(t.client, t.projection.name, t.generation)));
    const texts = new Set(checkpoints.map((c) => checkpointText(c.position)));
    if (texts.size !== 1) throw new Error(`generations to build together stand at different checkpoints: ${[...texts].join(', ')}`);
    let position: CheckpointPosition = checkpoints[0].position;
    let processed = checkpoints[0].eventsProcessed;
    const fresh = position === 'start';
    const writings: Writing[] = targets.map((target) => ({
      target,
      builder: options.bulk && fresh ? (target.projection.builder?.() ?? null) : null,
      committed: position,
      unflushed: 0,
      reached: position,
    }));
    const flushRows = options.flushRows ?? DEFAULT_FLUSH_ROWS;
    const batches = new FeedBatches(options.store.subscribeToAll({ from: position }), options.batchSize, options.idleMs);
    const onAbort = () => void batches.close();
    options.signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (options.signal.aborted) return 'stopped';
        const batch = await batches.next({ emptyAfterMs: options.idleMs ?? 40 });
        if (options.signal.aborted) return 'stopped';
        if (batch.events.length > 0) {
          const from = position;
          const to = batch.events[batch.events.length - 1].position;
          // The applying generations' statements go out first; the builders fold while PostgreSQL works on them.
          const applying = writings
            .filter((w) => !w.builder)
            .map((w) => writeBatch({ ...w.target, expectedStatus: 'building', store: options.store, batchSize: options.batchSize, untilLevel: true, signal: options.signal }, from, batch.events));
          for (const w of writings) {
            if (!w.builder) continue;
            w.builder.add(batch.events);
            w.unflushed += batch.events.length;
            w.reached = to;
          }
          const flushing = writings.filter((w) => w.builder && w.builder.pending >= flushRows).map((w) => flush(w));
          const outcomes = await Promise.all([...applying, ...flushing]);
          // A generation being built has one writer; another one moving it means it was abandoned.
          if (outcomes.some((o) => o !== 'committed')) return 'superseded';
          for (const w of writings) if (!w.builder) w.committed = to;
          position = to;
          processed += batch.events.length;
          options.onBatch?.({ events: batch.events.length, position, eventsProcessed: processed });
        }
        if (batch.ended) return 'stopped';
        if (batch.level && (await isAtHead(options.store, position))) {
          const outcomes = await Promise.all(writings.filter((w) => w.unflushed > 0).map((w) => flush(w)));
          if (outcomes.some((o) => o !== 'committed')) return 'superseded';
          return 'level';
        }
      }
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      await batches.close();
    }
  } finally {
    await Promise.all(restores.map((restore) => restore().catch(() => undefined)));
  }
}

/** Writes what a builder holds and moves its generation's checkpoint over the events folded into it, in one transaction. */
async function flush(w: Writing): Promise<BatchOutcome> {
  const { projection, generation, client } = w.target;
  await client.query('BEGIN');
  try {
    if ((await generationStatus({ projection, generation, client }, 'FOR SHARE')) !== 'building') {
      await client.query('ROLLBACK');
      return 'superseded';
    }
    await w.builder!.flush(bulkSql(client));
    if (w.unflushed > 0 && !(await advanceCheckpoint(client, projection.name, generation, w.committed, w.reached as GlobalPosition, w.unflushed))) {
      await client.query('ROLLBACK');
      return 'checkpoint_moved';
    }
    await client.query('COMMIT');
    w.committed = w.reached;
    w.unflushed = 0;
    return 'committed';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
