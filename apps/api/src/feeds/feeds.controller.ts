import { BadRequestException, Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DEAL_STAGE_CHANGED_V1_JSON_SCHEMA } from '@funnel/contracts/deal-stage-changed.v1';
import { GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { MessageFilter } from '@funnel/integration/contract/message-filter';
import { ApiRequest } from '../auth/api-request';
import { Roles } from '../auth/roles.decorator';
import { ApiMetrics } from '../metrics/api-metrics';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { isStorablePosition, StageChangeFeedQuery } from './stage-change-feed.query';
import { StageChangeFeedService } from './stage-change-feed.service';
import { StageChangeSseService } from './stage-change-sse.service';
import { SseResponse } from '@funnel/integration/sse/sse-session';

interface FeedResponse extends SseResponse {
  json(body: unknown): unknown;
}

@ApiTags('feeds')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs one of the roles service, analyst, auditor, manager (SSE: service or analyst).' })
@Controller('v1/feeds/stage-changes')
export class FeedsController {
  constructor(
    private readonly feed: StageChangeFeedService,
    private readonly sse: StageChangeSseService,
    private readonly metrics: ApiMetrics,
  ) {}

  @Get()
  @Roles('service', 'analyst', 'auditor', 'manager')
  @ApiOperation({
    summary: 'Deal stage changes (funnel.deal.stage-changed/1), in feed order, from a position: JSON pages or Server-Sent Events',
    description:
      'JSON: keep `next` as your checkpoint and pass it back as `after`: the feed is gap-free, so a consumer that resumes from its checkpoint after a crash misses nothing. De-duplicate on `eventId`. `waitSeconds` turns the call into a long poll.\n\n' +
      'With `Accept: text/event-stream` the answer is an endless Server-Sent Events stream (roles service, analyst): each message\'s `id:` is its feed position and its `data:` one change; reconnect with `Last-Event-ID` (EventSource does) to get exactly what you missed. Comment lines (`: heartbeat`) keep idle streams open. See docs/integration.md.',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'SSE: resume strictly after this position (wins over `after`).' })
  @ApiOkResponse({ description: '{ schema, changes: DealStageChangedV1[], next }, or an SSE stream of DealStageChangedV1' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A malformed `after`, `Last-Event-ID`, `limit`, `waitSeconds` or filter: every bad one is listed.' })
  async page(
    @Query() query: StageChangeFeedQuery,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: ApiRequest,
    @Res() response: FeedResponse,
  ): Promise<void> {
    const filter: MessageFilter = { team: query.team ?? [], owner: query.owner ?? [], to: query.toStage ?? [] };
    const consumers = this.metrics.feedConsumers.labels({ feed: 'stage-changes' });
    consumers.inc();
    try {
      if (!wantsEventStream(accept)) {
        response.json(await this.feed.page(toStart(query.after), query.limit, query.waitSeconds, filter));
        return;
      }
      this.sse.assertMayStream(request.actor);
      if (lastEventId !== undefined && lastEventId.trim() !== '' && !isStorablePosition(lastEventId.trim())) {
        throw new BadRequestException({ statusCode: 400, message: ['Last-Event-ID must be a feed position "<commit>:<prepare>" or 0'] });
      }
      const resumeAt = lastEventId?.trim() ? lastEventId.trim() : query.after;
      await this.sse.stream(response, toStart(resumeAt), filter);
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

function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.trim().toLowerCase().startsWith('text/event-stream'));
}

function toStart(after: string | undefined): GlobalPosition | 'start' {
  return after === undefined || after === '0' ? 'start' : parsePosition(after);
}
