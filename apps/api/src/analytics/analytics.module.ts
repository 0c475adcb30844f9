import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { AnomaliesQuery } from '@funnel/read-models/analytics/anomalies.query';
import { ConversionQuery } from '@funnel/read-models/analytics/conversion.query';
import { CycleTimeQuery } from '@funnel/read-models/analytics/cycle-time.query';
import { DwellTimesQuery } from '@funnel/read-models/analytics/dwell-times.query';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { AnalyticsController } from './analytics.controller';

/** The analysts' questions (docs/metrics.md), answered from the `rm` read-model views. */
@Module({
  imports: [ReadModelsModule],
  controllers: [AnalyticsController],
  providers: [DwellTimesQuery, ConversionQuery, CycleTimeQuery, RepPerformanceQuery, AnomaliesQuery],
})
export class AnalyticsModule implements OnApplicationBootstrap {
  constructor(private readonly stays: StayIndex) {}

  /** The stays are loaded into memory at start, not by the first analyst who asks. */
  onApplicationBootstrap(): void {
    this.stays.warmUp();
  }
}
