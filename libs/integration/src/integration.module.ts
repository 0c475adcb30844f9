import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { NatsPublisherService } from './nats/nats-publisher.service';

/**
 * The outbound consumers of the feed that run in the projector process, each from its own
 * checkpoint: the NATS JetStream publisher (when NATS_URL is set).
 */
@Module({
  imports: [ReadModelsModule],
  providers: [NatsPublisherService],
})
export class IntegrationModule {}
