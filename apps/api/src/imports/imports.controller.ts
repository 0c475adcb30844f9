import { BadRequestException, Controller, HttpCode, Inject, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { ImportFileError } from '@funnel/importers/csv/csv-rows';
import { ImportMappingError, resolveMapping } from '@funnel/importers/mapping/import-mapping';
import { importHistoryFile, ImportSummary } from '@funnel/importers/run/import-history-file';
import { ApiRequest } from '../auth/api-request';
import { AcceptsMediaTypes } from '../http/accepts-media-types.decorator';
import { discardUnread, streamedBody } from '../http/streamed-body';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { ImportQuery } from './import.query';

/**
 * `POST /v1/imports`: another CRM's history, uploaded as a CSV body and parsed as it streams in
 * (never held whole), within IMPORT_BODY_LIMIT_BYTES — its own limit, larger than the JSON
 * bodies' — and decompressed as it comes when it has a Content-Encoding. A body over the limit is
 * a 413 and appends nothing: the importer reads the whole file before it appends. A thin adapter
 * over libs/importers, answering the same summary as `npm run funnel -- import`.
 */
@ApiTags('imports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs the role manager.' })
@Controller('v1/imports')
export class ImportsController {
  private readonly maxBytes: number;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    config: ConfigService<FunnelConfig, true>,
  ) {
    this.maxBytes = config.get('IMPORT_BODY_LIMIT_BYTES', { infer: true });
  }

  @Post()
  @HttpCode(200)
  @Roles('manager')
  @AcceptsMediaTypes('text/csv')
  @ApiOperation({
    summary: 'Import another CRM’s history (CSV body)',
    description:
      'Imported history is recorded as DealImported / StageChangeImported events with their source (system, file, line, external id, importer), never judged by gates and never an override. Idempotent: the same file again appends nothing; a later export appends only the new changes. Bad rows are listed with line and reason; the good ones are imported. salesforce-history needs its Opportunity export beside it: use the CLI.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'The CSV file, as is.', schema: { type: 'string' } })
  @ApiOkResponse({ description: '{ format, file, dryRun, rowsRead, deals, eventsAppended, skipped, refused, problems: [{file, line, reason}], position }' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad query, an unusable mapping, a file whose header lacks a column, or a body that is not what its Content-Encoding says.' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'The body is larger than IMPORT_BODY_LIMIT_BYTES (also after decompression); nothing is appended.' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'The body is not text/csv, or its Content-Encoding is not gzip, deflate or br.' })
  async import(@Query() query: ImportQuery, @Req() request: ApiRequest & Readable): Promise<ImportSummary> {
    const type = (request.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv') throw new UnsupportedMediaTypeException(`the body must be text/csv, got ${type || 'none'}`);
    if (query.format === 'salesforce-history') {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', message: ['format: salesforce-history needs its Opportunity export too; use npm run funnel -- import'] });
    }
    try {
      const mapping = resolveMapping(query.format, query.mapping ? JSON.parse(query.mapping) : {});
      const actor = request.actor!;
      return await importHistoryFile(this.store, {
        format: query.format,
        // The HTTP layer leaves a CSV body unread: it is parsed here as it arrives.
        source: { name: query.file ?? 'upload.csv', open: () => streamedBody(request, this.maxBytes) },
        mapping,
        actor: { id: actor.id, name: actor.name, roles: actor.roles },
        dryRun: query.dryRun === 'true',
        correlationId: request.correlationId!,
        concurrency: 4,
      });
    } catch (error) {
      if (error instanceof ImportMappingError) {
        throw new BadRequestException({ code: 'VALIDATION_FAILED', message: error.problems.map((p) => `mapping: ${p}`) });
      }
      if (error instanceof ImportFileError) throw new BadRequestException({ code: 'VALIDATION_FAILED', message: [`body: ${error.message}`] });
      throw error;
    } finally {
      // A body refused half-way (a bad header, a broken quote) is read to its end, so the client gets the answer.
      discardUnread(request);
    }
  }
}
