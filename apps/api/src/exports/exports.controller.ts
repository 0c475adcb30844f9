import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { EXPORT_CONTENT_TYPES, EXPORT_EXTENSIONS, exportChunks } from '@funnel/exports/export-events';
import { ApiResponse } from '../auth/api-request';
import { Roles } from '../auth/roles.decorator';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { ExportEventsQuery } from './export-events.query';

/**
 * `GET /v1/exports/events`: the event store, out, for auditors and analysts' own tools — streamed
 * page by page with backpressure, so memory stays flat however many events there are.
 */
@ApiTags('exports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs the role auditor or manager.' })
@Controller('v1/exports')
export class ExportsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @Roles('auditor', 'manager')
  @ApiOperation({
    summary: 'Every event with its envelope, or a process-mining log (OCEL 2.0, XES)',
    description: 'Filter by business-time period (from inclusive, to exclusive) and by deal. See docs/exports.md.',
  })
  @ApiProduces(...Object.values(EXPORT_CONTENT_TYPES))
  @ApiOkResponse({ description: 'The export, streamed.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad from, to, dealId or format: every bad one is listed.' })
  async events(@Query() query: ExportEventsQuery, @Res() response: ApiResponse & Writable): Promise<void> {
    const format = query.format ?? 'jsonl';
    const chunks = exportChunks(this.store, format, {
      from: query.from ? parseInstant(query.from) : undefined,
      to: query.to ? parseInstant(query.to) : undefined,
      dealId: query.dealId,
    });
    response.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    response.setHeader('Content-Disposition', `attachment; filename="funnel-events.${EXPORT_EXTENSIONS[format]}"`);
    // A failure after the first byte can only cut the response short: the client sees a broken
    // transfer (no terminating chunk), never a truncated file that looks whole.
    await pipeline(Readable.from(chunks), response).catch(() => response.destroy());
  }
}
