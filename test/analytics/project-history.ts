/**
 * Appends the fixed history to the event store of a running test app, one stream per deal, as
 * the domain's events: the projector (startTestApp({ withProjector: true })) takes it from there.
 */
import { dealStreamId, DEAL_EVENT_SCHEMA_VERSION } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { comparePositions, formatPosition, GlobalPosition } from '@funnel/event-store/global-position';
import { TestApp } from '../support/test-app';
import { DEAL, HISTORY } from './analytics-history';

/** Returns the feed position of the last event appended, for `?waitFor=`. */
export async function appendHistory(t: TestApp): Promise<string> {
  const store = t.app.get<EventStore>(EVENT_STORE);
  let last: GlobalPosition | undefined;
  for (const key of Object.keys(HISTORY) as (keyof typeof HISTORY)[]) {
    const result = await store.appendToStream(
      dealStreamId(DEAL[key]),
      HISTORY[key].map((event) => ({
        type: event.type,
        data: event.data,
        metadata: {
          actor: { id: 'test-seeder', roles: ['manager'] },
          command: 'SeedAnalyticsHistory',
          schemaVersion: DEAL_EVENT_SCHEMA_VERSION[event.type],
        },
      })),
      { expectedRevision: 'no_stream' },
    );
    if (!last || comparePositions(result.position, last) > 0) last = result.position;
  }
  return formatPosition(last as GlobalPosition);
}
