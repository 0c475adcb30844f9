import { Module } from '@nestjs/common';
import { PipelineForecastQuery } from '@funnel/read-models/analytics/pipeline-forecast.query';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { ForecastController } from './forecast.controller';

/** The pipeline forecast and its backtest. */
@Module({
  imports: [ReadModelsModule],
  controllers: [ForecastController],
  providers: [PipelineForecastQuery],
})
export class ForecastModule {}
