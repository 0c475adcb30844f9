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
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealId } from './deal-route.decorators';
import { DealReader } from './deal.reader';
import { Roles } from '../auth/roles.decorator';
import { DealAsOfQuery } from './dto/deal-as-of.query';
import { DealHistoryQuery, HISTORY_PAGE_DEFAULT } from './dto/deal-history.query';
import { DealProofQuery } from './dto/deal-proof.query';
import { DealHistoryPageDto, DealIntegrityDto, DealProofDto, DealViewDto, ErrorResponseDto } from './dto/responses.dto';

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
    summary: 'The deal now, as it stood in the world at `asOf`, as the system knew it at `knownAt`, or both',
    description:
      'Folded from its events; `nextGate` lists what the next stage still needs. `asOf` is business time (occurredAt), ' +
      '`knownAt` recorded time; `time.axis` says which the answer used (docs/audit.md).',
  })
  @ApiOkResponse({ type: DealViewDto, headers: ETAG })
  deal(@CurrentActor() actor: Actor, @DealId() dealId: string, @Query() query: DealAsOfQuery) {
    return this.deals.deal(actor, dealId, axesOf(query));
  }

  @Get('history')
  @Roles('rep', 'manager', 'auditor')
  @ApiOperation({
    summary: "The deal's events, oldest first, with actor, correlation, causation and hash chain; filtered and paged",
    description: 'Roles: auditor, manager, and a rep for their own deals. `asOf`/`knownAt` as on the deal; periods are [from, to). Next page: `after=page.next`.',
  })
  @ApiOkResponse({ type: DealHistoryPageDto, headers: ETAG })
  history(@CurrentActor() actor: Actor, @DealId() dealId: string, @Query() query: DealHistoryQuery) {
    return this.deals.history(actor, dealId, axesOf(query), {
      types: query.type,
      occurredFrom: instant(query.occurredFrom),
      occurredTo: instant(query.occurredTo),
      recordedFrom: instant(query.recordedFrom),
      recordedTo: instant(query.recordedTo),
      actor: query.actor,
      after: query.after,
      limit: query.limit ?? HISTORY_PAGE_DEFAULT,
    });
  }

  @Get('proof')
  @Roles('auditor', 'manager')
  @ApiOperation({
    summary: "The Merkle path from the deal's anchored head to a published anchor root",
    description:
      'Roles: auditor, manager. Verify it without the database: examples/verify-deal-proof.mjs and docs/audit.md. ' +
      '404 ANCHOR_NOT_FOUND for an unknown root, DEAL_NOT_ANCHORED for a deal opened after the anchor.',
  })
  @ApiOkResponse({ type: DealProofDto, headers: ETAG })
  proof(@CurrentActor() actor: Actor, @DealId() dealId: string, @Query() query: DealProofQuery) {
    return this.deals.proof(actor, dealId, query.anchor);
  }

  @Get('integrity')
  @Roles('manager', 'auditor')
  @ApiOperation({ summary: "Recompute the deal's hash chain: valid, or every break" })
  @ApiOkResponse({ type: DealIntegrityDto, headers: ETAG })
  integrity(@CurrentActor() actor: Actor, @DealId() dealId: string) {
    return this.deals.integrity(actor, dealId);
  }
}

function instant(text: string | undefined): Date | undefined {
  return text === undefined ? undefined : new Date(text);
}

function axesOf(query: DealAsOfQuery): { asOf?: Date; knownAt?: Date } {
  return { asOf: instant(query.asOf), knownAt: instant(query.knownAt) };
}
