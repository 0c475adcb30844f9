import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isFeedPosition } from '@funnel/event-store/global-position';
import { ProjectionConsistencyQuery } from '@funnel/read-models/projection/wait-for-projections';
import { IsInstant, IsLaterThan } from '../../analytics/dto/is-instant.validator';

export const TRAIL_PAGE_DEFAULT = 200;
export const TRAIL_PAGE_MAX = 1000;

/** A page of the audit trail (and `?waitFor=`, for read-your-writes). */
export class AuditTrailPageQuery extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({ description: `Events per page, 1–${TRAIL_PAGE_MAX}.`, default: TRAIL_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TRAIL_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: only events after this feed position (the `next` of the previous page).', example: '1042:1310' })
  @IsOptional()
  @Matches(/^\d{1,20}:\d{1,20}$/, { message: 'after must be a feed position "<commit>:<prepare>"' })
  @ValidateBy({ name: 'isStorablePosition', validator: { validate: isFeedPosition, defaultMessage: () => 'after is beyond any feed position' } })
  after?: string;
}

/** What one actor did in a recorded-time period [from, to). */
export class ActorEventsQuery extends AuditTrailPageQuery {
  @ApiPropertyOptional({ description: 'Recorded-time period start, inclusive: YYYY-MM-DD (UTC) or an ISO instant with zone.', example: '2026-01-01' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded-time period end, exclusive; later than `from`.', example: '2026-02-01' })
  @IsOptional()
  @IsInstant()
  @IsLaterThan('from')
  to?: string;
}
