import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DealFilters } from '@funnel/read-models/analytics/analytics-filters';
import { Period } from '@funnel/domain/metrics/period';
import { ProjectionConsistencyQuery } from '@funnel/read-models/projection/wait-for-projections';
import { IsInstant, IsLaterThan, parseInstant } from './is-instant.validator';

/**
 * Which deals a question is about (and `?waitFor=`, for read-your-writes): the analytics filters
 * and the pipeline forecast's. Each endpoint's description says at which moment a deal's owner,
 * team, region and industry count.
 */
export class DealFiltersQuery extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({ description: "Salesperson: the deal's owner (for stay metrics, when the stay began; for the forecast, at the deal's latest move).", example: 'rep-ann' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'Sales team.', example: 'north' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({ description: "The account's region.", example: 'EMEA' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional({ description: "The account's industry.", example: 'manufacturing' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  industry?: string;
}

/** The filters every analytics endpoint takes: the deal filters and a period. */
export class AnalyticsFiltersQuery extends DealFiltersQuery {
  @ApiPropertyOptional({
    description: 'Start of the period, inclusive, in business time: YYYY-MM-DD (00:00 UTC) or an ISO instant with zone.',
    example: '2024-01-01',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive; must be later than `from`.', example: '2024-04-01' })
  @IsOptional()
  @IsInstant()
  @IsLaterThan('from')
  to?: string;
}

export function dealFilters(query: DealFiltersQuery): DealFilters {
  return { owner: query.owner, team: query.team, region: query.region, industry: query.industry };
}

export function period(query: AnalyticsFiltersQuery): Period {
  return {
    from: query.from === undefined ? undefined : parseInstant(query.from),
    to: query.to === undefined ? undefined : parseInstant(query.to),
  };
}
