import { Pool, PoolClient } from 'pg';
import { DEAL_STREAM_PREFIX } from '@funnel/domain/deal/deal.events';
import { EventStore } from '@funnel/event-store/event-store.port';
import { comparePositions, GlobalPosition } from '@funnel/event-store/global-position';
import { CheckpointPosition, highestCheckpoint, lowestCheckpoint, parseCheckpoint } from '../projection/checkpoint';
import { Sql } from '../projection/projection';

const FEED_PAGE = 5_000;

/**
 * The deals with events in the feed between two positions, (from, to] — what an index held in
 * memory must read again to be level with a read model that moved from `from` to `to` — or
 * undefined when more than `max` deals moved (loading everything again is cheaper then).
 */
export async function dealsTouchedBetween(
  store: Pick<EventStore, 'readAll'>,
  from: GlobalPosition,
  to: GlobalPosition,
  max: number,
): Promise<Set<string> | undefined> {
  const deals = new Set<string>();
  let after: GlobalPosition = from;
  for (;;) {
    const page = await store.readAll({ after, maxCount: FEED_PAGE, filter: { streamPrefixes: [DEAL_STREAM_PREFIX] } });
    for (const event of page) {
      if (comparePositions(event.position, to) > 0) return deals;
      deals.add(event.streamId.slice(DEAL_STREAM_PREFIX.length));
      if (deals.size > max) return undefined;
    }
    if (page.length < FEED_PAGE) return deals;
    after = page[page.length - 1].position;
  }
}

/**
 * Where a projection's live generation stands, for an index that follows it. Split into
 * partitions, the read model is level with the lowest partition's position (`position`, the
 * snapshot's) and holds nothing after the highest (`newest`): the deals that may differ from an
 * older snapshot are those with events after its position and up to the newest.
 */
export interface LiveCheckpoint {
  generation: number;
  position: CheckpointPosition;
  newest: CheckpointPosition;
}

const LIVE_CHECKPOINTS = `
  SELECT c.generation, c.position FROM projection_checkpoints c
    JOIN projection_generations g USING (projection, generation)
   WHERE g.status = 'live' AND c.projection = $1`;

export async function liveCheckpointOf(sql: Sql, projection: string): Promise<LiveCheckpoint | undefined> {
  const result = await sql.query<{ generation: number; position: string }>(LIVE_CHECKPOINTS, [projection]);
  if (result.rows.length === 0) return undefined;
  const positions = result.rows.map((r) => parseCheckpoint(r.position));
  return { generation: Number(result.rows[0].generation), position: lowestCheckpoint(positions), newest: highestCheckpoint(positions) };
}

/** What a snapshot held in memory knows of the read model it follows. */
export interface FollowedPosition {
  /** The live generation and the (lowest partition's) checkpoint the snapshot is level with; -1 / 'start' when there was none. */
  readonly generation: number;
  readonly position: CheckpointPosition;
}

/** How an index makes its snapshots: all from the read model, or an older one patched with the deals touched since. */
export interface SnapshotSource<S extends FollowedPosition> {
  /** No live generation yet. */
  empty(): S;
  load(client: PoolClient, generation: number, position: CheckpointPosition): Promise<S>;
  patch(have: S, client: PoolClient, touched: Set<string>, generation: number, position: CheckpointPosition): Promise<S>;
}

/**
 * Keeps one snapshot of a projection's read model in memory, level with its live generation:
 * one refresh at a time (requests arriving meanwhile wait for it and look again), each read in
 * one REPEATABLE READ transaction together with the checkpoint it belongs to; within the same
 * generation only the deals with feed events since the snapshot's position are read again
 * (beyond `maxTouched` of them, or after a rebuild, everything is loaded again).
 */
export class ReadModelFollower<S extends FollowedPosition> {
  private snapshot?: S;
  private pending?: Promise<S>;

  constructor(
    private readonly pool: Pool,
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly projection: string,
    private readonly source: SnapshotSource<S>,
    private readonly maxTouched: number,
  ) {}

  /** The snapshot level with the live generation as it stands now. */
  async current(): Promise<S> {
    for (;;) {
      if (this.pending) {
        await this.pending.catch(() => undefined);
        continue;
      }
      const live = await liveCheckpointOf(this.pool, this.projection);
      if (this.pending) continue;
      const have = this.snapshot;
      if (have && live && have.generation === live.generation && samePosition(have.position, live.position)) return have;
      this.pending = this.refresh(have).finally(() => (this.pending = undefined));
      return this.pending;
    }
  }

  private async refresh(have: S | undefined): Promise<S> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const live = await liveCheckpointOf(client, this.projection);
      let next: S;
      if (!live) next = this.source.empty();
      else {
        const touched =
          have && have.generation === live.generation && have.position !== 'start' && live.position !== 'start' && live.newest !== 'start'
            ? await dealsTouchedBetween(this.store, have.position, live.newest, this.maxTouched)
            : undefined;
        next = have && touched
          ? await this.source.patch(have, client, touched, live.generation, live.position)
          : await this.source.load(client, live.generation, live.position);
      }
      await client.query('COMMIT');
      this.snapshot = next;
      return next;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

export function samePosition(a: CheckpointPosition, b: CheckpointPosition): boolean {
  if (a === 'start' || b === 'start') return a === b;
  return comparePositions(a, b) === 0;
}
