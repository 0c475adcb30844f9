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
import { CheckpointPosition, checkpointText, readCheckpoint } from './checkpoint';
import { FeedBatches } from './feed-batches';
import { generationSchema } from './generation-schema';
import { isAtHead, prepareSession, writeBatch, WriteOutcome } from './generation-writer';
import { Projection } from './projection';

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
          const outcomes = await Promise.all(
            targets.map((t) => writeBatch({ ...t, expectedStatus: 'building', store: options.store, batchSize: options.batchSize, untilLevel: true, signal: options.signal }, from, batch.events)),
          );
          const lost = outcomes.find((o) => o !== 'committed');
          // A generation being built has one writer; another one moving it means it was abandoned.
          if (lost) return 'superseded';
          position = batch.events[batch.events.length - 1].position;
          processed += batch.events.length;
          options.onBatch?.({ events: batch.events.length, position, eventsProcessed: processed });
        }
        if (batch.ended) return 'stopped';
        if (batch.level && (await isAtHead(options.store, position))) return 'level';
      }
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      await batches.close();
    }
  } finally {
    await Promise.all(restores.map((restore) => restore().catch(() => undefined)));
  }
}
