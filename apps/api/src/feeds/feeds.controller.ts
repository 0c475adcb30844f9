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
import { DEAL_STAGE_CHANGED_V1_JSON_SCHEMA } from '@funnel/contracts/deal-stage-changed.v1';
import { parsePosition } from '@funnel/event-store/global-position';
import { Roles } from '../auth/roles.decorator';
import { ApiMetrics } from '../metrics/api-metrics';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { StageChangeFeedQuery } from './stage-change-feed.query';
import { StageChangeFeedService, StageChangePage } from './stage-change-feed.service';

@ApiTags('feeds')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs one of the roles service, analyst, auditor, manager.' })
@Controller('v1/feeds/stage-changes')
export class FeedsController {
  constructor(
    private readonly feed: StageChangeFeedService,
    private readonly metrics: ApiMetrics,
  ) {}

  @Get()
  @Roles('service', 'analyst', 'auditor', 'manager')
  @ApiOperation({
    summary: 'Deal stage changes (funnel.deal.stage-changed/1), in feed order, from a position',
    description:
      'Keep `next` as your checkpoint and pass it back as `after`: the feed is gap-free, so a consumer that resumes from its checkpoint after a crash misses nothing. De-duplicate on `eventId`. `waitSeconds` turns the call into a long poll.',
  })
  @ApiOkResponse({ description: '{ schema, changes: DealStageChangedV1[], next }' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A malformed `after`, `limit` or `waitSeconds`: every bad one is listed.' })
  async page(@Query() query: StageChangeFeedQuery): Promise<StageChangePage> {
    const consumers = this.metrics.feedConsumers.labels({ feed: 'stage-changes' });
    consumers.inc();
    try {
      return await this.feed.page(query.after ? parsePosition(query.after) : 'start', query.limit, query.waitSeconds);
    } finally {
      consumers.dec();
    }
  }

  @Get('schema')
  @Roles('service', 'analyst', 'auditor', 'manager')
  @ApiOperation({ summary: 'JSON Schema (2020-12) of funnel.deal.stage-changed/1' })
  schema(): typeof DEAL_STAGE_CHANGED_V1_JSON_SCHEMA {
    return DEAL_STAGE_CHANGED_V1_JSON_SCHEMA;
  }
}
