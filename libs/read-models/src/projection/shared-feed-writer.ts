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
   * level, its checkpoint moving with each flush (a rebuild's first catch-up; see ProjectionBuilder.flush
   * for what an interim flush leaves for the final one). Without: apply per batch.
   */
  bulk?: boolean;
  flushRows?: number;
}

/** Pending rows at which a builder writes: 20,000 rows is a COPY of a few MB, a transaction of a fraction of a second, and six builders holding that many stay well inside 512 MB (50,000 came to ~490 MB at 300,000 events). */
const DEFAULT_FLUSH_ROWS = 20_000;

/** One generation being written: by apply per batch, or by a builder flushed now and then. */
interface Writing {
  target: GenerationTarget;
  builder: ProjectionBuilder | null;
  /** The committed checkpoint. */
  committed: CheckpointPosition;
  /** Events folded into the builder since the last flush, and the feed position they reach. */
  unflushed: number;
  reached: CheckpointPosition;
  /** The flush being written, if any: at most one per generation, overlapping the next batches' folding. */
  writing: Promise<BatchOutcome> | null;
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
      writing: null,
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
          const applied = Promise.all(applying);
          for (const w of writings) {
            if (!w.builder || w.builder.pending < flushRows) continue;
            // One flush at a time per generation: the previous one must have committed first.
            if ((await settle(w)) !== 'committed') return 'superseded';
            w.writing = startFlush(w, false);
          }
          // A generation being built has one writer; another one moving it means it was abandoned.
          if ((await applied).some((o) => o !== 'committed')) return 'superseded';
          for (const w of writings) if (!w.builder) w.committed = to;
          position = to;
          processed += batch.events.length;
          options.onBatch?.({ events: batch.events.length, position, eventsProcessed: processed });
        }
        if (batch.ended) return 'stopped';
        if (batch.level && (await isAtHead(options.store, position))) {
          for (const w of writings) {
            if ((await settle(w)) !== 'committed') return 'superseded';
            // The final flush writes what interim ones kept back, even with no event since the last.
            if (w.builder) w.writing = startFlush(w, true);
          }
          for (const w of writings) if ((await settle(w)) !== 'committed') return 'superseded';
          return 'level';
        }
      }
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      await batches.close();
      // A flush still writing uses its generation's connection: let it end before the session is restored.
      await Promise.all(writings.map((w) => w.writing?.catch(() => undefined)));
    }
  } finally {
    await Promise.all(restores.map((restore) => restore().catch(() => undefined)));
  }
}

/** Waits for the generation's flush in flight, if any: 'committed' when there is none. */
async function settle(w: Writing): Promise<BatchOutcome> {
  const writing = w.writing;
  if (!writing) return 'committed';
  w.writing = null;
  return writing;
}

/**
 * Writes what a builder holds and moves its generation's checkpoint over the events folded into
 * it, in one transaction. The builder hands over its rows synchronously, when `flush` is called,
 * and the writer goes on folding the next batches while PostgreSQL works on them.
 */
function startFlush(w: Writing, final: boolean): Promise<BatchOutcome> {
  const { projection, generation, client } = w.target;
  const from = w.committed;
  const to = w.reached;
  const events = w.unflushed;
  w.unflushed = 0;
  // The builder hands over its rows now; its statements wait for BEGIN and the status check.
  const ready = (async () => {
    await client.query('BEGIN');
    if ((await generationStatus({ projection, generation, client }, 'FOR SHARE')) !== 'building') throw new Superseded();
  })();
  const written = w.builder!.flush(bulkSql(client, ready), final);
  const flushing = (async (): Promise<BatchOutcome> => {
    try {
      await Promise.all([ready, written]);
      if (events > 0 && !(await advanceCheckpoint(client, projection.name, generation, from, to as GlobalPosition, events))) {
        await client.query('ROLLBACK');
        return 'checkpoint_moved';
      }
      await client.query('COMMIT');
      w.committed = to;
      return 'committed';
    } catch (error) {
      await Promise.allSettled([ready, written]);
      await client.query('ROLLBACK').catch(() => undefined);
      if (error instanceof Superseded) return 'superseded';
      throw error;
    }
  })();
  // Awaited later (settle): a failure must not count as unhandled meanwhile.
  flushing.catch(() => undefined);
  return flushing;
}

/** The generation is no longer being built (abandoned, or another writer took it over). */
class Superseded extends Error {}
