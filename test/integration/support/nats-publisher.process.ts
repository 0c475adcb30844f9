/**
 * The NATS publisher alone in a process, so that a test can kill it with SIGKILL mid-stream.
 * Env: DATABASE_URL, NATS_URL, NATS_STREAM, SUBJECT_PREFIX, CHECKPOINT_EVERY_MS.
 */
import { Pool } from 'pg';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '@funnel/integration/contract/deal-stage-changed.outbound';
import { JetStreamPublisher } from '@funnel/integration/nats/jetstream-publisher';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 4 });
const store = PostgresEventStore.fromConnectionString(env('DATABASE_URL'), 4);
const publisher = new JetStreamPublisher({
  servers: env('NATS_URL'),
  stream: env('NATS_STREAM'),
  subjectPrefix: process.env.SUBJECT_PREFIX ?? '',
  store,
  pool,
  contract: DEAL_STAGE_CHANGED_OUTBOUND,
  checkpointEveryMs: Number(process.env.CHECKPOINT_EVERY_MS ?? 500),
  log: (message, error) => process.stderr.write(`${message}${error ? `: ${String(error)}` : ''}\n`),
});
publisher.start();
process.stdout.write('publishing\n');
