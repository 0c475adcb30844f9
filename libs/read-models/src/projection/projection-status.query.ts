import { Pool } from 'pg';
import { parseCheckpoint } from './checkpoint';
import { FeedLag, FeedLagMeter } from './feed-lag';
import { writerLockHeldSql } from './writer-lock';

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
  /** 'start' or "<commit>:<prepare>" of the last event projected. */
  position: string;
  eventsProcessed: number;
  lag: FeedLag;
  updatedAt: string;
  liveSince: string | null;
  /** Set while batches keep failing (the projection retries from its checkpoint); null when healthy. */
  failing: { since: string; attempts: number; lastError: string } | null;
}

interface StatusRow {
  projection: string;
  generation: number;
  status: 'live' | 'building' | 'abandoned';
  version: number;
  live_since: Date | null;
  position: string;
  events_processed: string;
  updated_at: Date;
  live_generation: number | null;
  last_error: string | null;
  failing_since: Date | null;
  consecutive_failures: number;
}

/** Every live and building generation with its checkpoint and lag (`GET /v1/projections`, `funnel projections list`). */
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
              c.position, c.events_processed, c.updated_at,
              c.last_error, c.failing_since, c.consecutive_failures,
              (SELECT l.generation FROM projection_generations l
                WHERE l.projection = g.projection AND l.status = 'live') AS live_generation
         FROM projection_generations g
         JOIN projection_checkpoints c USING (projection, generation)
        WHERE g.status IN ('live', 'building')
        ORDER BY g.projection, g.generation`,
    );
    const now = new Date();
    return Promise.all(
      result.rows.map(async (row) => ({
        name: row.projection,
        status: row.status,
        generation: row.generation,
        liveGeneration: row.live_generation,
        version: row.version,
        position: row.position,
        eventsProcessed: Number(row.events_processed),
        lag: await this.lag.measure(parseCheckpoint(row.position), now),
        updatedAt: row.updated_at.toISOString(),
        liveSince: row.live_since ? row.live_since.toISOString() : null,
        failing:
          row.failing_since && row.last_error !== null
            ? { since: row.failing_since.toISOString(), attempts: row.consecutive_failures, lastError: row.last_error }
            : null,
      })),
    );
  }
}
