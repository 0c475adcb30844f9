import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DEAL_EVENT_TYPES } from '@funnel/domain/deal/deal.events';
import { Instant } from './field.decorators';
import { DealAsOfQuery } from './deal-as-of.query';

export const HISTORY_PAGE_DEFAULT = 100;
export const HISTORY_PAGE_MAX = 1000;

/**
 * GET /v1/deals/:id/history: the two time axes, filters and a page. Periods are [from, to):
 * `from` inclusive, `to` exclusive.
 */
export class DealHistoryQuery extends DealAsOfQuery {
  @ApiPropertyOptional({ description: 'Only these event types, comma-separated.', example: 'VisitRecorded,StageAdvanced' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((t) => t.trim()) : value))
  @ArrayMaxSize(DEAL_EVENT_TYPES.length)
  @IsIn(DEAL_EVENT_TYPES, { each: true, message: `type must list event types among: ${DEAL_EVENT_TYPES.join(', ')}` })
  type?: string[];

  @Instant({ optional: true, description: 'Business period start (occurredAt), inclusive.' })
  occurredFrom?: string;

  @Instant({ optional: true, description: 'Business period end (occurredAt), exclusive.' })
  occurredTo?: string;

  @Instant({ optional: true, description: 'Recorded period start (recordedAt), inclusive.' })
  recordedFrom?: string;

  @Instant({ optional: true, description: 'Recorded period end (recordedAt), exclusive.' })
  recordedTo?: string;

  @ApiPropertyOptional({ description: 'Only events whose command was issued by this actor id (token subject).', example: 'alice' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: `Events per page, 1–${HISTORY_PAGE_MAX}.`, default: HISTORY_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: only events after this revision (the `page.next` of the previous page).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}
