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
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealId } from './deal-route.decorators';
import { DealReader } from './deal.reader';
import { DealAsOfQuery } from './dto/deal-as-of.query';
import { DealHistoryEventDto, DealIntegrityDto, DealViewDto, ErrorResponseDto } from './dto/responses.dto';

const ETAG = { ETag: { description: 'Revision of the last event shown, e.g. "3".', schema: { type: 'string' } } };

/** One deal from its event stream: reps their own, managers their teams', auditors, analysts and finance any. */
@ApiTags('deals: queries')
@ApiBearerAuth()
@ApiParam({ name: 'dealId', format: 'uuid' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The role may not read this, or the deal is not theirs (the rule is named).' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deal with this id (code DEAL_NOT_FOUND).' })
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('v1/deals/:dealId')
@UseInterceptors(DealResponseInterceptor)
export class DealQueriesController {
  constructor(private readonly deals: DealReader) {}

  @Get()
  @Roles('rep', 'manager', 'finance', 'auditor', 'analyst')
  @ApiOperation({
    summary: 'The deal now, or as it stood at `asOf`',
    description: 'Folded from its events; `nextGate` lists what the next stage still needs.',
  })
  @ApiOkResponse({ type: DealViewDto, headers: ETAG })
  deal(@CurrentActor() actor: Actor, @DealId() dealId: string, @Query() query: DealAsOfQuery) {
    return this.deals.deal(actor, dealId, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get('history')
  @Roles('rep', 'manager', 'auditor')
  @ApiOperation({ summary: "The deal's events, oldest first, with actor, correlation, causation and hash chain" })
  @ApiOkResponse({ type: DealHistoryEventDto, isArray: true, headers: ETAG })
  history(@CurrentActor() actor: Actor, @DealId() dealId: string) {
    return this.deals.history(actor, dealId);
  }

  @Get('integrity')
  @Roles('manager', 'auditor')
  @ApiOperation({ summary: "Recompute the deal's hash chain: valid, or every break" })
  @ApiOkResponse({ type: DealIntegrityDto, headers: ETAG })
  integrity(@CurrentActor() actor: Actor, @DealId() dealId: string) {
    return this.deals.integrity(actor, dealId);
  }
}
