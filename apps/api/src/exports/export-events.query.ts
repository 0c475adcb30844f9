import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { EXPORT_FORMATS, ExportFormat } from '@funnel/exports/export-events';
import { IsInstant, IsLaterThan } from '../analytics/dto/is-instant.validator';

export class ExportEventsQuery {
  @ApiPropertyOptional({ description: 'Events whose business time (occurredAt) is at or after this: YYYY-MM-DD (00:00 UTC) or an instant with zone.', example: '2024-01-01' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Events whose business time is before this (exclusive).', example: '2025-01-01' })
  @IsOptional()
  @IsInstant()
  @IsLaterThan('from')
  to?: string;

  @ApiPropertyOptional({ description: 'Only this deal’s events.' })
  @IsOptional()
  @IsUUID()
  dealId?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'jsonl', description: 'jsonl and csv: every event with its envelope; ocel2: OCEL 2.0 JSON; xes: IEEE XES.' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}
