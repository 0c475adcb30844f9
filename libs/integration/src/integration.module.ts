import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { NatsPublisherService } from './nats/nats-publisher.service';
import { WebhookWorkerService } from './webhooks/webhook-worker.service';

/**
 * The outbound consumers of the feed that run in the projector process, each from its own
 * checkpoint: the webhook delivery worker and the NATS JetStream publisher (when NATS_URL is set).
 */
@Module({
  imports: [ReadModelsModule],
  providers: [WebhookWorkerService, NatsPublisherService],
})
export class IntegrationModule {}
