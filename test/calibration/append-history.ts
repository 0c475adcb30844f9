/** Appends a fixed history (one stream per deal) to the event store of a running test app. */
import { DealEvent, dealStreamId, DEAL_EVENT_SCHEMA_VERSION } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { comparePositions, formatPosition, GlobalPosition } from '@funnel/event-store/global-position';
import { TestApp } from '../support/test-app';

/** Returns the feed position of the last event appended, for `?waitFor=`. */
export async function appendDeals(t: TestApp, deals: Record<string, string>, history: Record<string, DealEvent[]>): Promise<string> {
  const store = t.app.get<EventStore>(EVENT_STORE);
  let last: GlobalPosition | undefined;
  for (const key of Object.keys(history)) {
    const result = await store.appendToStream(
      dealStreamId(deals[key]),
      history[key].map((event) => ({
        type: event.type,
        data: event.data,
        metadata: { actor: { id: 'test-seeder', roles: ['manager'] }, command: 'SeedForecastHistory', schemaVersion: DEAL_EVENT_SCHEMA_VERSION[event.type] },
      })),
      { expectedRevision: 'no_stream' },
    );
    if (!last || comparePositions(result.position, last) > 0) last = result.position;
  }
  return formatPosition(last as GlobalPosition);
}
