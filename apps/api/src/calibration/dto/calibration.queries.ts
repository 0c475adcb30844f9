/** The query strings of the calibration and gate endpoints: the analytics filters plus their own options. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FORECAST_SELECTIONS, ForecastSelection } from '@funnel/domain/metrics/forecast-scoring';
import { CalibrationGrouping } from '@funnel/read-models/analytics/stage-calibration.query';
import { AnalyticsFiltersQuery } from '../../analytics/dto/analytics-filters.query';
import { IsInstant } from '../../analytics/dto/is-instant.validator';

export const CALIBRATION_GROUPINGS: readonly CalibrationGrouping[] = ['all', 'owner', 'team'];

export class StageCalibrationQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({
    description: 'The instant the history is looked at: later stays are unknown, deals still open then are censored at it. Default: now.',
    example: '2024-06-01',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ enum: CALIBRATION_GROUPINGS, default: 'all', description: 'One curve for all, or per owner / team at the first entry into the stage.' })
  @IsOptional()
  @IsIn(CALIBRATION_GROUPINGS)
  groupBy?: CalibrationGrouping;
}

export class ForecastCalibrationQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({ description: 'Forecasts are scored once their whole expected close date lies before asOf. Default: now.', example: '2024-06-01' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Only forecasts made before this instant. Default: asOf.', example: '2024-04-01' })
  @IsOptional()
  @IsInstant()
  cutoff?: string;

  @ApiPropertyOptional({ enum: FORECAST_SELECTIONS, default: 'latest', description: "latest: each deal's last forecast before the cut-off; every: each forecast." })
  @IsOptional()
  @IsIn(FORECAST_SELECTIONS)
  selection?: ForecastSelection;

  @ApiPropertyOptional({ enum: CALIBRATION_GROUPINGS, default: 'all', description: 'One table for all, or per owner / team when the forecast was made.' })
  @IsOptional()
  @IsIn(CALIBRATION_GROUPINGS)
  groupBy?: CalibrationGrouping;
}

export class GateEffectivenessQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({ description: 'Outcomes as they stood at this instant (deals open then are open). Default: now.', example: '2024-06-01' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}
