import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { DEAL_STAGE_CHANGED_OUTBOUND, STAGE_CHANGE_OWN_ATTRIBUTES } from '../contract/deal-stage-changed.outbound';
import { WebhookWorker } from './webhook-worker';

/** Runs the webhook delivery worker in the projector process. */
@Injectable()
export class WebhookWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly worker: WebhookWorker;

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FUNNEL_RUNTIME) runtime: FunnelRuntime,
  ) {
    const c = runtime.config;
    this.worker = new WebhookWorker({
      pool,
      store,
      contracts: [DEAL_STAGE_CHANGED_OUTBOUND],
      ownAttributes: STAGE_CHANGE_OWN_ATTRIBUTES,
      allowPrivateTargets: c.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: c.WEBHOOK_RETRY_MAX_MS,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      log: (message, error) => (error ? this.logger.error(`${message}: ${error instanceof Error ? error.message : String(error)}`) : this.logger.log(message)),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
