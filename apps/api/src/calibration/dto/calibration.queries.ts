/** The query strings of the calibration endpoints: the analytics filters plus their own options. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
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
