import { EventStoreDbEventStore } from '@funnel/event-store/eventstoredb/eventstoredb-event-store';
import { eventStoreContract } from './event-store.contract';

/**
 * EventStoreDB cannot run on our CI machines (no Docker engine). The same contract runs
 * against it whenever EVENTSTORE_CONNECTION_STRING is set, e.g. after
 * `docker compose up -d eventstore`.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract('EventStoreDB', async () => {
    const store = EventStoreDbEventStore.fromConnectionString(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  process.stdout.write('skipped: no EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run its contract suite)\n');
  describe('EventStore contract: EventStoreDB', () => {
    it.skip('skipped: no EventStoreDB (EVENTSTORE_CONNECTION_STRING is not set)', () => undefined);
  });
}
