/**
 * A process's share of a partitioned live generation. It joins the projection's members, counts
 * them, and holds leases on up to ceil(N / members) partitions, one writer (and one session) per
 * partition; every `rebalanceMs` it counts again: extras are released when processes joined,
 * free partitions taken when some left (or crashed, which frees their locks). Each writer follows
 * the feed from its partition's checkpoint, as writeGeneration does for a whole generation.
 */
import { Client } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { recordFailure } from './checkpoint';
import { writeGeneration, WriteOutcome } from './generation-writer';
import { countMembers, joinMembers, leasedPartitions, releasePartition, tryLeasePartition } from './partition-lease';
import { Projection } from './projection';

export interface PartitionWritersOptions {
  projection: Projection;
  generation: number;
  /** The generation's partition count, N. */
  partitions: number;
  store: EventStore;
  batchSize: number;
  idleMs?: number;
  /** How often membership is counted and leases balanced. */
  rebalanceMs: number;
  /** A new session of its own (a lease lives and dies with its session). */
  openSession: () => Promise<Client>;
  signal: AbortSignal;
  log: (message: string, error?: unknown) => void;
}

/** superseded: the generation is no longer live; stopped: the signal fired. */
export async function writePartitions(options: PartitionWritersOptions): Promise<'superseded' | 'stopped'> {
  const { projection, generation, partitions, signal } = options;
  const name = `${projection.name} g${generation}`;
  const owned = new Map<number, PartitionWriter>();
  /** A partition whose writer failed is retried after a backoff, by whichever process leases it then. */
  const backoff = new Map<number, { failures: number; until: number }>();
  const member = await options.openSession();
  let wake: () => void = () => undefined;
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort);
  try {
    await joinMembers(member, projection.name);
    for (;;) {
      if (signal.aborted) return 'stopped';
      for (const [index, writer] of owned) {
        if (!writer.finished) continue;
        owned.delete(index);
        await writer.stop();
        if (writer.outcome === 'superseded') return 'superseded';
        if (writer.failure !== undefined) {
          const failures = (backoff.get(index)?.failures ?? 0) + 1;
          const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
          backoff.set(index, { failures, until: Date.now() + delay });
          options.log(`${name} partition ${index}: failed, lease released, retrying in ${delay} ms from its checkpoint`, writer.failure);
          await recordFailure(member, projection.name, writer.failure, index).catch(() => undefined);
        } else backoff.delete(index);
      }
      if ((await liveStatus(member, projection.name, generation)) !== 'live') return 'superseded';

      const members = await countMembers(member, projection.name);
      const share = Math.ceil(partitions / Math.max(1, members));
      const held = [...owned.keys()].sort((a, b) => a - b);
      while (held.length > share) {
        const index = held.pop() as number;
        await owned.get(index)?.stop();
        owned.delete(index);
        options.log(`${name}: released partition ${index} (${members} processes share ${partitions} partitions)`);
      }
      // Only partitions nobody leases are tried (each try opens a session).
      const leased = owned.size < share ? new Set(await leasedPartitions(member, projection.name, generation)) : null;
      for (let index = 0; leased && index < partitions && owned.size < share && !signal.aborted; index++) {
        if (owned.has(index) || leased.has(index) || (backoff.get(index)?.until ?? 0) > Date.now()) continue;
        const writer = await PartitionWriter.tryStart(options, index, () => wake());
        if (writer) {
          owned.set(index, writer);
          options.log(`${name}: writing partition ${index} of ${partitions}`);
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.rebalanceMs);
        function done() {
          clearTimeout(timer);
          wake = () => undefined;
          resolve();
        }
        wake = done;
        if (signal.aborted || [...owned.values()].some((w) => w.finished)) done();
      });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all([...owned.values()].map((w) => w.stop()));
    await member.end().catch(() => undefined);
  }
}

async function liveStatus(sql: Client, projection: string, generation: number): Promise<string | undefined> {
  const result = await sql.query<{ status: string }>(
    `SELECT status FROM projection_generations WHERE projection = $1 AND generation = $2`,
    [projection, generation],
  );
  return result.rows[0]?.status;
}

/** One partition's writer on its own session, which holds the partition's lease. */
class PartitionWriter {
  finished = false;
  outcome: WriteOutcome | undefined;
  failure: unknown = undefined;
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;

  private constructor(
    private readonly options: PartitionWritersOptions,
    private readonly index: number,
    private readonly session: Client,
    onFinish: () => void,
  ) {
    this.running = writeGeneration({
      projection: options.projection,
      generation: options.generation,
      expectedStatus: 'live',
      client: session,
      partition: { index, count: options.partitions },
      store: options.store,
      batchSize: options.batchSize,
      untilLevel: false,
      signal: this.stopping.signal,
      idleMs: options.idleMs,
      log: (m) => options.log(m),
    }).then(
      (outcome) => {
        this.outcome = outcome;
      },
      (error: unknown) => {
        this.failure = error ?? new Error('partition writer failed');
      },
    ).finally(() => {
      this.finished = true;
      onFinish();
    });
  }

  /** A writer for `index`, or null when another session holds its lease. */
  static async tryStart(options: PartitionWritersOptions, index: number, onFinish: () => void): Promise<PartitionWriter | null> {
    const session = await options.openSession();
    try {
      if (await tryLeasePartition(session, options.projection.name, options.generation, index)) {
        return new PartitionWriter(options, index, session, onFinish);
      }
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    await session.end().catch(() => undefined);
    return null;
  }

  /** Lets the batch in flight commit (or roll back), then gives the lease back and closes the session. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await releasePartition(this.session, this.options.projection.name, this.options.generation, this.index).catch(() => undefined);
    await this.session.end().catch(() => undefined);
  }
}
