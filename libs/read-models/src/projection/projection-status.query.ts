import { Pool } from 'pg';
import { checkpointText, lowestCheckpoint, parseCheckpoint } from './checkpoint';
import { FeedLag, FeedLagMeter } from './feed-lag';
import { partitionLeaseHeldSql } from './partition-lease';
import { writerLockHeldSql } from './writer-lock';

export interface ProjectionFailure {
  since: string;
  attempts: number;
  lastError: string;
}

/** One partition's checkpoint (a generation of one partition has just partition 0). */
export interface PartitionStatus {
  partition: number;
  /** 'start' or "<commit>:<prepare>" of the last feed event this partition has passed. */
  position: string;
  /** Events of this partition it has projected (a rebuild counts them all in partition 0). */
  eventsProcessed: number;
  /** True while a process holds the partition's lease (the writer lock, for one partition). */
  writing: boolean;
  updatedAt: string;
  failing: ProjectionFailure | null;
}

export interface ProjectionStatus {
  name: string;
  /**
   * live: queries read it; building: a rebuild in progress beside the live generation;
   * abandoned: a rebuild whose process died (no writer holds it): the next start or rebuild drops it.
   */
  status: 'live' | 'building' | 'abandoned';
  generation: number;
  /** The projection's live generation (the same as `generation` when status is live). */
  liveGeneration: number | null;
  /** Code version that built the generation. */
  version: number;
  /**
   * 'start' or "<commit>:<prepare>" of the last event projected — by every partition: the
   * lowest of the partitions' positions.
   */
  position: string;
  /** Events projected, all partitions together. */
  eventsProcessed: number;
  /** How far `position` (the partition furthest behind) is behind the feed. */
  lag: FeedLag;
  /** When the checkpoint furthest behind last moved. */
  updatedAt: string;
  liveSince: string | null;
  /** Set while batches keep failing (the projection retries from its checkpoint); null when healthy. */
  failing: ProjectionFailure | null;
  /** Each partition's checkpoint, by partition number. */
  partitions: PartitionStatus[];
}

interface StatusRow {
  projection: string;
  generation: number;
  status: 'live' | 'building' | 'abandoned';
  version: number;
  live_since: Date | null;
  partition: number;
  position: string;
  events_processed: string;
  updated_at: Date;
  live_generation: number | null;
  last_error: string | null;
  failing_since: Date | null;
  consecutive_failures: number;
  writing: boolean;
}

/** Every live and building generation with its checkpoints and lag (`GET /v1/projections`, `funnel projections list`). */
export class ProjectionStatusQuery {
  constructor(
    private readonly pool: Pool,
    private readonly lag: FeedLagMeter,
  ) {}

  async list(): Promise<ProjectionStatus[]> {
    const result = await this.pool.query<StatusRow>(
      `SELECT g.projection, g.generation, g.version, g.live_since,
              CASE WHEN g.status = 'building' AND NOT ${writerLockHeldSql('g.projection', 'g.generation')}
                   THEN 'abandoned' ELSE g.status END AS status,
              c.partition, c.position, c.events_processed, c.updated_at,
              c.last_error, c.failing_since, c.consecutive_failures,
              CASE WHEN g.partitions = 1 OR g.status = 'building' THEN ${writerLockHeldSql('g.projection', 'g.generation')}
                   ELSE ${partitionLeaseHeldSql('g.projection', 'g.generation', 'c.partition')} END AS writing,
              (SELECT l.generation FROM projection_generations l
                WHERE l.projection = g.projection AND l.status = 'live') AS live_generation
         FROM projection_generations g
         JOIN projection_checkpoints c USING (projection, generation)
        WHERE g.status IN ('live', 'building')
        ORDER BY g.projection, g.generation, c.partition`,
    );
    const generations = new Map<string, StatusRow[]>();
    for (const row of result.rows) {
      const key = `${row.projection}/${row.generation}`;
      generations.set(key, [...(generations.get(key) ?? []), row]);
    }
    const now = new Date();
    return Promise.all([...generations.values()].map((rows) => this.generationStatus(rows, now)));
  }

  private async generationStatus(rows: StatusRow[], now: Date): Promise<ProjectionStatus> {
    const first = rows[0];
    const partitions = rows.map(partitionStatus);
    const position = lowestCheckpoint(rows.map((r) => parseCheckpoint(r.position)));
    const stalest = rows.reduce((a, b) => (b.updated_at < a.updated_at ? b : a));
    const failing = partitions.map((p) => p.failing).find((f) => f !== null) ?? null;
    return {
      name: first.projection,
      status: first.status,
      generation: first.generation,
      liveGeneration: first.live_generation,
      version: first.version,
      position: checkpointText(position),
      eventsProcessed: rows.reduce((sum, r) => sum + Number(r.events_processed), 0),
      lag: await this.lag.measure(position, now),
      updatedAt: stalest.updated_at.toISOString(),
      liveSince: first.live_since ? first.live_since.toISOString() : null,
      failing,
      partitions,
    };
  }
}

function partitionStatus(row: StatusRow): PartitionStatus {
  return {
    partition: row.partition,
    position: row.position,
    eventsProcessed: Number(row.events_processed),
    writing: row.writing,
    updatedAt: row.updated_at.toISOString(),
    failing:
      row.failing_since && row.last_error !== null
        ? { since: row.failing_since.toISOString(), attempts: row.consecutive_failures, lastError: row.last_error }
        : null,
  };
}
