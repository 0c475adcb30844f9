import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { OUTBOUND_CONTRACTS } from '../contract/outbound-contracts';
import { JetStreamPublisher } from './jetstream-publisher';

/**
 * Runs the JetStream publishers in the projector process when NATS_URL is set: one per public
 * contract, each with its own stream and checkpoint (stage changes in NATS_STREAM, account phase
 * changes in NATS_STREAM_ACCOUNT_PHASES), so one contract's backlog never delays the other.
 */
@Injectable()
export class NatsPublisherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NatsPublisher');
  private readonly publishers: JetStreamPublisher[];

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FUNNEL_RUNTIME) runtime: FunnelRuntime,
  ) {
    const { NATS_URL, NATS_STREAM } = runtime.config;
    this.publishers = NATS_URL
      ? OUTBOUND_CONTRACTS.map(
          (contract, i) =>
            new JetStreamPublisher({
              servers: NATS_URL,
              stream: i === 0 ? NATS_STREAM : `${NATS_STREAM}_${streamSuffix(contract.subject)}`,
              store,
              pool,
              contract,
              log: (message, error) => (error ? this.logger.error(`${message}: ${describe(error)}`) : this.logger.log(message)),
            }),
        )
      : [];
  }

  onApplicationBootstrap(): void {
    for (const publisher of this.publishers) {
      publisher.start();
      this.logger.log(`publishing to JetStream stream ${publisher.consumer.slice('nats:'.length)} (${publisher.subjects})`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.publishers.map((p) => p.stop()));
  }
}

/** `funnel.account.phase-changed` → `ACCOUNT_PHASE_CHANGED`. */
function streamSuffix(subject: string): string {
  return subject.replace(/^funnel\./, '').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
