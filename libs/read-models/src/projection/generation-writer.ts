/**
 * Projects one generation from its checkpoint: batches from the global feed, and per batch one
 * transaction that writes the rows and moves the checkpoint with compare-and-set. A writer of one
 * partition reads the same feed, applies only its partition's events, and moves its own
 * checkpoint on every batch, also one with none of its events.
 */
import { ClientBase, escapeIdentifier } from 'pg';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { comparePositions, GlobalPosition } from '@funnel/event-store/global-position';
import { advanceCheckpoint, CheckpointPosition, checkpointText, readCheckpoint } from './checkpoint';
import { FeedBatches } from './feed-batches';
import { generationSchema } from './generation-schema';
import { eventsOfPartition, PartitionSlice } from './partition';
import { Projection } from './projection';

export interface WriteGenerationOptions {
  projection: Projection;
  generation: number;
  /** The status the generation must still have for a batch to commit. */
  expectedStatus: 'live' | 'building';
  /** A connection of the writer's own, holding the generation's writer lock (or the partition's lease). */
  client: ClientBase;
  /** The partition this writer projects; absent: all events, checkpoint partition 0. */
  partition?: PartitionSlice;
  store: EventStore;
  batchSize: number;
  /** Return once level with the feed head (a rebuild); otherwise follow the feed until stopped. */
  untilLevel: boolean;
  signal: AbortSignal;
  idleMs?: number;
  onBatch?: (progress: BatchProgress) => void;
  log?: (message: string) => void;
}

export interface BatchProgress {
  events: number;
  position: GlobalPosition;
  eventsProcessed: number;
}

/**
 * level: caught up with the feed head (untilLevel only); superseded: the generation is no
 * longer `expectedStatus` (a rebuild made another one live); stopped: the signal fired.
 */
export type WriteOutcome = 'level' | 'superseded' | 'stopped';

export type BatchOutcome = 'committed' | 'superseded' | 'checkpoint_moved';

const IDLE_STATUS_CHECK_MS = 1000;

export async function writeGeneration(options: WriteGenerationOptions): Promise<WriteOutcome> {
  for (;;) {
    if (options.signal.aborted) return 'stopped';
    const outcome = await followFromCheckpoint(options);
    if (outcome !== 'checkpoint_moved') return outcome;
    options.log?.(`${options.projection.name} g${options.generation}: checkpoint moved by another runner; resuming from it`);
  }
}

async function followFromCheckpoint(options: WriteGenerationOptions): Promise<WriteOutcome | 'checkpoint_moved'> {
  const { projection, generation, client, store, signal } = options;
  const restore = await prepareSession(client, generationSchema(projection.name, generation));
  const checkpoint = await readCheckpoint(client, projection.name, generation, options.partition?.index ?? 0);
  let position: CheckpointPosition = checkpoint.position;
  let processed = checkpoint.eventsProcessed;
  const batches = new FeedBatches(store.subscribeToAll({ from: position }), options.batchSize, options.idleMs);
  const onAbort = () => void batches.close();
  signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal.aborted) return 'stopped';
      // A rebuild wants to know at once when it is level; a live runner, idle, looks every second
      // whether its generation is still live (a rebuild elsewhere may have replaced it).
      const batch = await batches.next({ emptyAfterMs: options.untilLevel ? (options.idleMs ?? 40) : IDLE_STATUS_CHECK_MS });
      if (signal.aborted) return 'stopped';
      if (batch.events.length > 0) {
        const mine = eventsOfPartition(batch.events, options.partition);
        const to = batch.events[batch.events.length - 1].position;
        const outcome = await writeBatch(options, position, mine, to);
        if (outcome !== 'committed') return outcome;
        position = to;
        processed += mine.length;
        options.onBatch?.({ events: mine.length, position, eventsProcessed: processed });
      }
      if (batch.ended) return 'stopped';
      if (batch.events.length === 0 && !options.untilLevel) {
        if ((await generationStatus(options)) !== options.expectedStatus) return 'superseded';
        continue;
      }
      if (options.untilLevel && batch.level && (await isAtHead(store, position))) return 'level';
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await batches.close();
    await restore().catch(() => undefined);
  }
}

/**
 * Session settings for the writer's connection, undone by the returned function:
 * - the generation's schema first on the search path, so projection SQL names no schema and
 *   cannot reach another generation's tables (the registry tables still resolve after it);
 * - no sequential scans: projection statements find rows by key, and the tables of a generation
 *   being built have no statistics yet, so the planner would otherwise scan (and hash) whole
 *   growing tables on every batch — quadratic over a rebuild;
 * - asynchronous commit: a crash may lose the last few batches, but each batch is one
 *   transaction with its checkpoint, so they are lost whole and projected again — while not
 *   waiting for a WAL flush per batch roughly halves a rebuild.
 */
export async function prepareSession(client: ClientBase, schema: string): Promise<() => Promise<void>> {
  const saved = await client.query<{ search_path: string; enable_seqscan: string; synchronous_commit: string }>(
    `SELECT current_setting('search_path') AS search_path, current_setting('enable_seqscan') AS enable_seqscan,
            current_setting('synchronous_commit') AS synchronous_commit`,
  );
  const before = saved.rows[0];
  const apply = (searchPath: string, seqscan: string, synchronousCommit: string) =>
    client.query(
      `SELECT set_config('search_path', $1, false), set_config('enable_seqscan', $2, false),
              set_config('synchronous_commit', $3, false)`,
      [searchPath, seqscan, synchronousCommit],
    );
  await apply(`${escapeIdentifier(schema)}, ${before.search_path}`, 'off', 'off');
  return async () => {
    await apply(before.search_path, before.enable_seqscan, before.synchronous_commit);
  };
}

/**
 * One batch, one transaction. The generation's registry row is read FOR SHARE first: a swap
 * that retires this generation waits for the batch, and the next batch sees it retired.
 * `to` is the batch's last feed position; `events` may be fewer (a partition's share), even none.
 */
export async function writeBatch(
  options: WriteGenerationOptions,
  from: CheckpointPosition,
  events: RecordedEvent[],
  to: GlobalPosition = events[events.length - 1].position,
): Promise<BatchOutcome> {
  const { projection, generation, client } = options;
  const partition = options.partition?.index ?? 0;
  await client.query('BEGIN');
  try {
    if ((await generationStatus(options, 'FOR SHARE')) !== options.expectedStatus) {
      await client.query('ROLLBACK');
      return 'superseded';
    }
    if (events.length > 0) await projection.apply(client, events);
    if (!(await advanceCheckpoint(client, projection.name, generation, from, to, events.length, partition))) {
      await client.query('ROLLBACK');
      return 'checkpoint_moved';
    }
    await client.query('COMMIT');
    return 'committed';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (await lostToAnotherWriter(options, from, error)) return 'checkpoint_moved';
    throw error;
  }
}

/**
 * Two writers on one generation (the writer lock lost, say) can collide on rows before either
 * reaches the compare-and-set: a deadlock, or a duplicate key because the other committed the
 * same rows first. The loser resumes from the stored checkpoint, as if it had lost the
 * compare-and-set. A duplicate key with the checkpoint unmoved is a real bug and is thrown.
 */
async function lostToAnotherWriter(options: WriteGenerationOptions, from: CheckpointPosition, error: unknown): Promise<boolean> {
  const code = (error as { code?: string }).code;
  if (code === '40P01' || code === '40001') return true;
  if (code !== '23505') return false;
  const stored = await readCheckpoint(options.client, options.projection.name, options.generation, options.partition?.index ?? 0).catch(() => null);
  return stored !== null && checkpointText(stored.position) !== checkpointText(from);
}

export async function generationStatus(options: Pick<WriteGenerationOptions, 'projection' | 'generation' | 'client'>, lock: '' | 'FOR SHARE' = ''): Promise<string | undefined> {
  const result = await options.client.query<{ status: string }>(
    `SELECT status FROM projection_generations WHERE projection = $1 AND generation = $2 ${lock}`,
    [options.projection.name, options.generation],
  );
  return result.rows[0]?.status;
}

/** The idle hint is only a hint: a rebuild swaps once its checkpoint has reached the head. */
export async function isAtHead(store: EventStore, position: CheckpointPosition): Promise<boolean> {
  const head = await store.headPosition();
  if (head === null) return true;
  return position !== 'start' && comparePositions(position, head) >= 0;
}
