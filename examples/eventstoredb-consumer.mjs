// EventStoreDB deployments: a catch-up subscription to $all, filtered server-side to the deal
// streams' stage-change events, from a checkpoint (the commit/prepare position of the last event
// handled). This reads the internal domain events (DealOpened, StageAdvanced, StageRegressed,
// DealLost, DealReopened), not the public contract: prefer SSE, webhooks or NATS unless you run
// next to the store and accept following its internal event shapes. Run:
//   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' node examples/eventstoredb-consumer.mjs
import { EventStoreDBClient, eventTypeFilter, START } from '@eventstore/db-client';
import { openCheckpoint } from './checkpoint-file.mjs';

const client = EventStoreDBClient.connectionString(process.env.EVENTSTORE_CONNECTION_STRING ?? 'esdb://localhost:2113?tls=false');
const checkpoint = openCheckpoint(process.env.CHECKPOINT_FILE ?? '.esdb-checkpoint.json');
const STAGE_CHANGES = ['DealOpened', 'StageAdvanced', 'StageRegressed', 'DealLost', 'DealReopened'];

function fromCheckpoint() {
  if (!checkpoint.position) return START;
  const [commit, prepare] = checkpoint.position.split(':').map(BigInt);
  return { commit, prepare };
}

for (;;) {
  const subscription = client.subscribeToAll({
    fromPosition: fromCheckpoint(),
    // server-side filter: only these event types (they exist only in deal-<uuid> streams)
    filter: eventTypeFilter({ regex: `^(${STAGE_CHANGES.join('|')})$` }),
  });
  try {
    for await (const resolved of subscription) {
      const event = resolved.event;
      if (!event || !event.streamId.startsWith('deal-')) continue;
      const position = `${event.position.commit}:${event.position.prepare}`;
      if (!checkpoint.seen(event.id)) console.log(`${position} ${event.streamId} ${event.type}`, event.data);
      checkpoint.save(event.id, position);
    }
  } catch (error) {
    console.error(`subscription dropped (${error.message}); resubscribing from ${checkpoint.position ?? 'the start'}`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}
