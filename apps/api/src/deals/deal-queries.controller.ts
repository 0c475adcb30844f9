import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealId } from './deal-route.decorators';
import { DealReader } from './deal.reader';
import { DealAsOfQuery } from './dto/deal-as-of.query';
import { DealHistoryEventDto, DealIntegrityDto, DealViewDto, ErrorResponseDto } from './dto/responses.dto';

const ETAG = { ETag: { description: 'Revision of the last event shown, e.g. "3".', schema: { type: 'string' } } };

/** One deal from its event stream. Any authenticated role may read. */
@ApiTags('deals: queries')
@ApiBearerAuth()
@ApiParam({ name: 'dealId', format: 'uuid' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The token has no known role.' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deal with this id (code DEAL_NOT_FOUND).' })
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('v1/deals/:dealId')
@UseInterceptors(DealResponseInterceptor)
export class DealQueriesController {
  constructor(private readonly deals: DealReader) {}

  @Get()
  @ApiOperation({
    summary: 'The deal now, or as it stood at `asOf`',
    description: 'Folded from its events; `nextGate` lists what the next stage still needs.',
  })
  @ApiOkResponse({ type: DealViewDto, headers: ETAG })
  deal(@DealId() dealId: string, @Query() query: DealAsOfQuery) {
    return this.deals.deal(dealId, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get('history')
  @ApiOperation({ summary: "The deal's events, oldest first, with actor, correlation, causation and hash chain" })
  @ApiOkResponse({ type: DealHistoryEventDto, isArray: true, headers: ETAG })
  history(@DealId() dealId: string) {
    return this.deals.history(dealId);
  }

  @Get('integrity')
  @ApiOperation({ summary: "Recompute the deal's hash chain: valid, or every break" })
  @ApiOkResponse({ type: DealIntegrityDto, headers: ETAG })
  integrity(@DealId() dealId: string) {
    return this.deals.integrity(dealId);
  }
}
