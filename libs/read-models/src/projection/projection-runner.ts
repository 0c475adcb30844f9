/**
 * Keeps one projection's live generation up to date, for as long as the process runs. Several
 * processes may run the same projection (npm start and a standalone projector): for a generation
 * of one partition the writer lock lets one write while the others stand by; a generation split
 * into N partitions is shared among them by partition leases (partition-writers.ts). When a
 * rebuild elsewhere makes a new generation live, the runner's next batch finds its generation
 * retired and it follows the new one.
 */
import { Client, Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { GenerationRegistry, partitionsFor, RebuildInProgressError } from './generation-registry';
import { writeGeneration } from './generation-writer';
import { writePartitions } from './partition-writers';
import { Projection } from './projection';
import { rebuildProjection } from './projection-rebuild';
import { recordFailure } from './checkpoint';
import { borrowClient } from './transaction';
import { tryLockWriter, unlockWriter } from './writer-lock';

export interface ProjectionRunnerOptions {
  pool: Pool;
  store: EventStore;
  batchSize: number;
  log?: (message: string, error?: unknown) => void;
  /** How long a standby runner waits before trying the writer lock again. */
  standbyRetryMs?: number;
  idleMs?: number;
  /**
   * PROJECTOR_PARTITIONS: how many partitions a generation this runner creates is split into
   * (1 when the projection is not partitionable). A live generation keeps the number it was
   * created with; another number applies from the next rebuild.
   */
  partitions?: number;
  /** How often a partitioned runner counts the processes and balances its leases (default 2 s). */
  rebalanceMs?: number;
  /** Opens a session of its own for a partition lease (default: a new connection like the pool's). */
  openSession?: () => Promise<Client>;
}

export class ProjectionRunner {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private readonly registry: GenerationRegistry;
  private readonly partitions: number;
  private reportedPartitions: number | null = null;

  constructor(
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.registry = new GenerationRegistry(options.pool);
    this.partitions = partitionsFor(projection, options.partitions ?? 1);
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Lets the batch in flight commit (or roll back), then returns. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const next = await this.followLive();
        failures = 0;
        if (next === 'standby') await this.sleep(this.options.standbyRetryMs ?? 1000);
      } catch (error) {
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.log(`${this.projection.name}: failed, retrying in ${delay} ms from the stored checkpoint`, error);
        // A partition's failed batch is recorded on its own checkpoint where it happens; losing the
        // member session is this process's trouble, not the projection's.
        if (!(error instanceof MembershipLostError)) {
          await recordFailure(this.options.pool, this.projection.name, error).catch(() => undefined);
        }
        await this.sleep(delay);
      }
    }
  }

  /** One turn: make sure a live generation exists and write it until told otherwise. */
  private async followLive(): Promise<'switch' | 'standby' | 'stopped'> {
    // A rebuild killed mid-way left a building generation nobody writes: clear it on start.
    const abandoned = await this.registry.dropAbandoned(this.projection.name);
    if (abandoned.length) this.log(`${this.projection.name}: dropped generation ${abandoned.join(', ')} of a rebuild that was abandoned`);
    const live = await this.registry.ensureLive(this.projection, this.partitions);
    if (live.version < this.projection.version) return this.rebuildOutdated(live.generation, live.version);
    if (live.version > this.projection.version) {
      this.log(`${this.projection.name}: live generation ${live.generation} is of a newer version (${live.version}); standing by`);
      return 'standby';
    }
    await this.registry.dropRetiredSchemas(this.projection.name);
    // Not rebuilt on a mismatch: two processes configured differently would rebuild in turn forever.
    if (live.partitions !== this.partitions && this.reportedPartitions !== live.generation) {
      this.reportedPartitions = live.generation;
      this.log(
        `${this.projection.name}: live generation ${live.generation} has ${live.partitions} partition(s); ` +
          `PROJECTOR_PARTITIONS=${this.partitions} applies from the next rebuild`,
      );
    }
    if (live.partitions > 1) return this.followPartitions(live.generation, live.partitions);
    const borrowed = await borrowClient(this.options.pool);
    const client = borrowed.client;
    try {
      if (!(await tryLockWriter(client, this.projection.name, live.generation))) return 'standby';
      try {
        const outcome = await writeGeneration({
          projection: this.projection,
          generation: live.generation,
          expectedStatus: 'live',
          client,
          store: this.options.store,
          batchSize: this.options.batchSize,
          untilLevel: false,
          signal: this.stopping.signal,
          idleMs: this.options.idleMs,
          log: (m) => this.log(m),
        });
        if (outcome === 'superseded') {
          this.log(`${this.projection.name}: generation ${live.generation} was retired; following the new live generation`);
        }
        return outcome === 'stopped' ? 'stopped' : 'switch';
      } finally {
        await unlockWriter(client, this.projection.name, live.generation).catch(() => undefined);
      }
    } finally {
      // Destroyed, not pooled: closing the session also frees the writer lock if unlock failed.
      borrowed.release(true);
    }
  }

  /** A partitioned live generation: this process's fair share of its partitions, until it is retired. */
  private async followPartitions(generation: number, partitions: number): Promise<'switch' | 'stopped'> {
    const outcome = await writePartitions({
      projection: this.projection,
      generation,
      partitions,
      store: this.options.store,
      batchSize: this.options.batchSize,
      idleMs: this.options.idleMs,
      rebalanceMs: this.options.rebalanceMs ?? 2000,
      openSession: this.options.openSession ?? (() => openSession(this.options.pool)),
      signal: this.stopping.signal,
      log: (m, e) => this.log(m, e),
    }).catch((error: unknown) => {
      throw new MembershipLostError(error);
    });
    if (outcome === 'superseded') this.log(`${this.projection.name}: generation ${generation} was retired; following the new live generation`);
    return outcome === 'stopped' ? 'stopped' : 'switch';
  }

  /** The code changed the projection: build the new version beside the old one, then swap. */
  private async rebuildOutdated(generation: number, version: number): Promise<'switch' | 'standby' | 'stopped'> {
    this.log(`${this.projection.name}: live generation ${generation} is version ${version}; rebuilding as version ${this.projection.version}`);
    try {
      const result = await rebuildProjection({ pool: this.options.pool, store: this.options.store }, this.projection, {
        batchSize: this.options.batchSize,
        partitions: this.partitions,
        signal: this.stopping.signal,
      });
      this.log(`${this.projection.name}: generation ${result.generation} is live (${result.eventsProcessed} events in ${result.seconds.toFixed(1)} s)`);
      return 'switch';
    } catch (error) {
      if (this.stopping.signal.aborted) return 'stopped';
      if (error instanceof RebuildInProgressError) return 'standby';
      throw error;
    }
  }

  private log(message: string, error?: unknown): void {
    this.options.log?.(message, error);
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}

/** A session apart from the pool, with the pool's settings: a lease must not go back to a pool. */
async function openSession(pool: Pool): Promise<Client> {
  const client = new Client(pool.options);
  // A session the server ends emits 'error'; the failure surfaces as the next query's error.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The partitioned runner lost its member session (or could not open one): it starts over. */
class MembershipLostError extends Error {
  constructor(readonly reason: unknown) {
    super(`lost the projector membership: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'MembershipLostError';
  }
}
