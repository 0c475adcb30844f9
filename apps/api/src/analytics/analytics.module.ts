import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { AnomaliesQuery } from '@funnel/read-models/analytics/anomalies.query';
import { ConversionQuery } from '@funnel/read-models/analytics/conversion.query';
import { CycleTimeQuery } from '@funnel/read-models/analytics/cycle-time.query';
import { DwellTimesQuery } from '@funnel/read-models/analytics/dwell-times.query';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { DealIndex } from '@funnel/read-models/analytics/deal-index';
import { AnalyticsController } from './analytics.controller';
import { ANALYTICS_READ_PROVIDERS, AnalyticsReadPoolCloser, PrimaryReadModelPoolModule } from './analytics-read-pool';

/**
 * The analysts' questions (docs/metrics.md), answered from the `rm` read-model views — on the
 * replica READ_MODEL_REPLICA_URL names, when set (see analytics-read-pool.ts).
 */
@Module({
  imports: [ReadModelsModule, PrimaryReadModelPoolModule],
  controllers: [AnalyticsController],
  providers: [...ANALYTICS_READ_PROVIDERS, AnalyticsReadPoolCloser, DwellTimesQuery, ConversionQuery, CycleTimeQuery, RepPerformanceQuery, AnomaliesQuery],
})
export class AnalyticsModule implements OnApplicationBootstrap {
  constructor(
    private readonly stays: StayIndex,
    private readonly deals: DealIndex,
  ) {}

  /** The stays and the deals' attributes are loaded into memory at start, not by the first analyst who asks. */
  onApplicationBootstrap(): void {
    this.stays.warmUp();
    this.deals.warmUp();
  }
}
