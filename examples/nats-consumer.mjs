// NATS JetStream: a durable consumer on the stream the projector publishes to (NATS_STREAM,
// default FUNNEL). JetStream keeps the consumer's position (its checkpoint) on the server; ack
// each message after handling it; an unacked message is redelivered, so de-duplicate on the
// Funnel-Event-Id header (also the message id JetStream de-duplicated publishing on). Run:
//   NATS_URL=nats://127.0.0.1:4222 node examples/nats-consumer.mjs
// Only some stages: FILTER_SUBJECT='funnel.deal.stage-changed.WON'.
import { connect } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { openCheckpoint } from './checkpoint-file.mjs';

const stream = process.env.NATS_STREAM ?? 'FUNNEL';
const durable = process.env.CONSUMER ?? 'billing';
const seen = openCheckpoint(process.env.CHECKPOINT_FILE ?? '.nats-seen.json');

const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc);
await jsm.consumers.add(stream, {
  durable_name: durable,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All, // a new consumer starts with the whole history
  filter_subject: process.env.FILTER_SUBJECT ?? 'funnel.deal.stage-changed.>',
}).catch((error) => {
  if (!/already in use|exists/.test(error.message)) throw error; // it exists: it resumes where it was
});
const consumer = await jetstream(nc).consumers.get(stream, durable);
console.log(`consuming ${stream} as ${durable}`);
for await (const message of await consumer.consume()) {
  const eventId = message.headers?.get('Funnel-Event-Id');
  if (message.headers?.get('Funnel-Schema') !== 'funnel.deal.stage-changed/1') {
    message.term(); // a contract version this consumer does not know
    continue;
  }
  const change = message.json();
  if (!seen.seen(eventId)) console.log(`deal ${change.dealId}: ${change.from ?? '∅'} → ${change.to} (${change.kind})`);
  seen.save(eventId);
  message.ack();
}
