import { DEAL_STREAM_PREFIX } from '@funnel/domain/deal/deal.events';
import { EventStore } from '@funnel/event-store/event-store.port';
import { comparePositions, GlobalPosition } from '@funnel/event-store/global-position';

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
