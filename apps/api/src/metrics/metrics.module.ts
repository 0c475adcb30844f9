import { Global, Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** GET /metrics, and the ApiMetrics the command handler and the feeds count into. */
@Global()
@Module({
  imports: [ReadModelsModule],
  controllers: [MetricsController],
  providers: [ApiMetrics],
  exports: [ApiMetrics],
})
export class MetricsModule {}
