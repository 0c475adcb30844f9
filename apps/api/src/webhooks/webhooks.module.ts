import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { WebhookService } from './webhook.service';
import { WebhooksController } from './webhooks.controller';

/** Webhook subscriptions (`/v1/webhooks`); the delivery worker runs in the projector (libs/integration). */
@Module({
  imports: [ReadModelsModule],
  controllers: [WebhooksController],
  providers: [WebhookService],
})
export class WebhooksModule {}
