import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA } from '@funnel/contracts/account-phase-changed.v1';
import { parsePosition } from '@funnel/event-store/global-position';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { AccountPhaseFeedService, AccountPhasePage } from './account-phase-feed.service';
import { StageChangeFeedQuery } from './stage-change-feed.query';

@ApiTags('feeds')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs one of the roles service, analyst, auditor, manager.' })
@Controller('v1/feeds/account-phase-changes')
export class AccountPhaseFeedController {
  constructor(private readonly feed: AccountPhaseFeedService) {}

  @Get()
  @Roles('service', 'analyst', 'auditor', 'manager')
  @ApiOperation({
    summary: 'Account phase changes (funnel.account.phase-changed/1), in feed order, from a position',
    description:
      'Keep `next` as your checkpoint and pass it back as `after`: the feed is gap-free, so a consumer that resumes from its checkpoint misses nothing. De-duplicate on `eventId`. `waitSeconds` turns the call into a long poll.',
  })
  @ApiOkResponse({ description: '{ schema, changes: AccountPhaseChangedV1[], next }' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A malformed `after`, `limit` or `waitSeconds`: every bad one is listed.' })
  page(@Query() query: StageChangeFeedQuery): Promise<AccountPhasePage> {
    return this.feed.page(query.after ? parsePosition(query.after) : 'start', query.limit, query.waitSeconds);
  }

  @Get('schema')
  @Roles('service', 'analyst', 'auditor', 'manager')
  @ApiOperation({ summary: 'JSON Schema (2020-12) of funnel.account.phase-changed/1' })
  schema(): typeof ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA {
    return ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA;
  }
}
