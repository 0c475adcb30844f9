import { EventStore } from '@funnel/event-store/event-store.port';
import { GlobalPosition, comparePositions } from '@funnel/event-store/global-position';

/**
 * Waits until the feed shows `position`. The test server is shared: a transaction left open by
 * another test holds the PostgreSQL feed back for a while (events are delayed, never lost), and
 * an anchor covers only what the feed shows.
 */
export async function feedShows(store: EventStore, position: GlobalPosition, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await store.headPosition();
    if (head && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline) throw new Error('the feed did not reach the position in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
