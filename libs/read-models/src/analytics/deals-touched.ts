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
