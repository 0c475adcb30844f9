import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { ApiRequest } from '../auth/api-request';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { CreateWebhookDto, DeliveriesQuery, RedeliverDto, UpdateWebhookDto } from './dto/webhook-requests.dto';
import { WebhookService, WebhookView } from './webhook.service';
import { WebhookDelivery } from '@funnel/integration/webhooks/webhook-subscriptions';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('service', 'manager')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Needs the role service (its own subscriptions) or manager (all).' })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to stage changes (funnel.deal.stage-changed/1)',
    description:
      'Each matching change is POSTed as JSON with `Funnel-Event-Id` (de-duplicate on it) and `Funnel-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` keyed by the `secret`, which is shown only in this answer. See docs/integration.md.',
  })
  @ApiCreatedResponse({ description: 'The subscription and its secret (shown once).' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad url, filter or position: every problem is listed.' })
  create(@Body() body: CreateWebhookDto, @Req() request: ApiRequest): Promise<WebhookView & { secret: string }> {
    return this.webhooks.create(actorOf(request), body);
  }

  @Get()
  @ApiOperation({ summary: 'Your subscriptions (a manager sees all)' })
  @ApiOkResponse({ description: '{ webhooks: [...] } without secrets' })
  async list(@Req() request: ApiRequest): Promise<{ webhooks: WebhookView[] }> {
    return { webhooks: await this.webhooks.list(actorOf(request)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription: status, why it paused, checkpoint' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@Param('id', new ParseUUIDPipe()) id: string, @Req() request: ApiRequest): Promise<WebhookView> {
    return this.webhooks.find(actorOf(request), id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Pause or resume a subscription' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateWebhookDto, @Req() request: ApiRequest): Promise<WebhookView> {
    return this.webhooks.setStatus(actorOf(request), id, body.status);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe (its deliveries are forgotten)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @Req() request: ApiRequest): Promise<void> {
    await this.webhooks.remove(actorOf(request), id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Deliveries, newest first, with every attempt: when, status code, response time, error' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeliveriesQuery,
    @Req() request: ApiRequest,
  ): Promise<{ deliveries: WebhookDelivery[] }> {
    return { deliveries: await this.webhooks.deliveries(actorOf(request), id, query) };
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Replay: one delivery again ({deliveryId}), every matching change after a position ({after}), or the dead letters ({deadLetters: true})',
    description: 'Replays go out while the subscription is active (resume it first if it paused). Receivers see the same Funnel-Event-Id again.',
  })
  @ApiAcceptedResponse({ description: '{ delivery }, { position } (the checkpoint the subscription now reads from) or { requeued }' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such subscription, or no such delivery of it.' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'Not exactly one of deliveryId, after and deadLetters.' })
  redeliver(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RedeliverDto, @Req() request: ApiRequest): Promise<object> {
    if ([body.deliveryId, body.after, body.deadLetters].filter((x) => x !== undefined).length !== 1) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        code: 'UNPROCESSABLE',
        message: 'name exactly one of deliveryId (one delivery), after (a position to replay from) or deadLetters: true',
        unmet: [],
      });
    }
    return this.webhooks.redeliver(actorOf(request), id, body);
  }
}

function actorOf(request: ApiRequest): Actor {
  if (!request.actor) throw new NotFoundException();
  return request.actor;
}
