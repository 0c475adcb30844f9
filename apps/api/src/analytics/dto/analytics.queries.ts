/** The query strings of the analytics endpoints, each the common filters plus its own options. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { ANOMALY_KINDS, AnomalyKind } from '@funnel/domain/metrics/anomaly-findings';
import { SKIP_POLICIES, SkipPolicy } from '@funnel/domain/metrics/stage-passes';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DEFAULT_INACTIVE_DAYS } from '@funnel/domain/metrics/stall-limits';
import { decodeAnomalyCursor } from '@funnel/read-models/analytics/anomaly-cursor';
import { ANOMALY_PAGE_SIZE } from '@funnel/read-models/analytics/anomalies.query';
import { RepGrouping } from '@funnel/read-models/analytics/rep-performance.query';
import { AnalyticsFiltersQuery } from './analytics-filters.query';
import { IsBeforeNowWithout, IsInstant, isInstant, parseInstant } from './is-instant.validator';

export class DwellTimesQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({
    description: 'The instant the stays are looked at: later stays are unknown, later exits still open (censored at asOf). Default: now.',
    example: '2024-06-01',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class ConversionQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({
    enum: SKIP_POLICIES,
    default: 'strict',
    description: 'strict: a deal that jumped over a stage never entered it; any: the jump counts as passing it.',
  })
  @IsOptional()
  @IsIn(SKIP_POLICIES)
  skipPolicy?: SkipPolicy;
}

export class CycleTimeQueryDto extends ConversionQueryDto {
  @ApiPropertyOptional({ enum: OPEN_STAGES, description: 'Measure from the first entry into this stage instead of from opening.' })
  @IsOptional()
  @IsIn(OPEN_STAGES)
  fromStage?: OpenStage;
}

export const REP_GROUPINGS: readonly RepGrouping[] = ['owner', 'team'];

export class RepPerformanceQueryDto extends AnalyticsFiltersQuery {
  // `to` defaults to now here (and `from` to 84 days before it), so a lone `from` must be past.
  // class-validator 0.14 drops every inherited rule of a property a subclass decorates again,
  // so the re-declaration repeats them (test/hardening/dto-inheritance.spec.ts keeps watch).
  @ApiPropertyOptional({
    description: 'Start of the period, inclusive, in business time: YYYY-MM-DD (00:00 UTC) or an ISO instant with zone. Default: 84 days before `to`.',
    example: '2024-01-01',
  })
  @IsOptional()
  @IsInstant()
  @IsBeforeNowWithout('to')
  declare from?: string;

  @ApiPropertyOptional({ enum: REP_GROUPINGS, default: 'owner', description: 'One row per salesperson or per team.' })
  @IsOptional()
  @IsIn(REP_GROUPINGS)
  groupBy?: RepGrouping;
}

export class AnomaliesQueryDto extends AnalyticsFiltersQuery {
  @ApiPropertyOptional({ description: 'Flag open deals with no activity for at least this many days.', default: DEFAULT_INACTIVE_DAYS, minimum: 1, maximum: 3650 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  inactiveDays?: number;

  @ApiPropertyOptional({ enum: ANOMALY_KINDS, description: 'Only this kind of anomaly.' })
  @IsOptional()
  @IsIn(ANOMALY_KINDS)
  kind?: AnomalyKind;

  @ApiPropertyOptional({ description: 'The instant ages are measured at (default: now).', example: '2024-06-01' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Items per page (the order is since, dealId, kind).',
    default: ANOMALY_PAGE_SIZE.default,
    minimum: 1,
    maximum: ANOMALY_PAGE_SIZE.max,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ANOMALY_PAGE_SIZE.max)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's `next`: continues after its last item, at its asOf." })
  @IsOptional()
  @ValidateBy({
    name: 'isAnomalyCursor',
    validator: {
      // A cursor continues the pages of one asOf: ages measured at another instant would not line up.
      validate: (value: unknown, args) => {
        const cursor = typeof value === 'string' ? decodeAnomalyCursor(value) : undefined;
        const asOf = (args?.object as { asOf?: unknown }).asOf;
        return cursor !== undefined && (!isInstant(asOf) || parseInstant(asOf).getTime() === cursor.asOf.getTime());
      },
      defaultMessage: () => "cursor must be a previous page's next (with the same asOf, or none)",
    },
  })
  cursor?: string;
}
