import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '../contract/deal-stage-changed.outbound';
import { JetStreamPublisher } from './jetstream-publisher';

/** Runs the JetStream publisher in the projector process when NATS_URL is set. */
@Injectable()
export class NatsPublisherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NatsPublisher');
  private readonly publisher: JetStreamPublisher | null;

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FUNNEL_RUNTIME) runtime: FunnelRuntime,
  ) {
    const { NATS_URL, NATS_STREAM } = runtime.config;
    this.publisher = NATS_URL
      ? new JetStreamPublisher({
          servers: NATS_URL,
          stream: NATS_STREAM,
          store,
          pool,
          contract: DEAL_STAGE_CHANGED_OUTBOUND,
          log: (message, error) => (error ? this.logger.error(`${message}: ${describe(error)}`) : this.logger.log(message)),
        })
      : null;
  }

  onApplicationBootstrap(): void {
    if (!this.publisher) return;
    this.publisher.start();
    this.logger.log(`publishing stage changes to JetStream stream ${this.publisher.consumer.slice('nats:'.length)} (${this.publisher.subjects})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
