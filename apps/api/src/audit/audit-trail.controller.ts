import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { parsePosition } from '@funnel/event-store/global-position';
import { AuditTrailPage, AuditTrailQuery } from '@funnel/read-models/audit-trail/audit-trail.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { Roles } from '../auth/roles.decorator';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { ActorEventsQuery, AuditTrailPageQuery, TRAIL_PAGE_DEFAULT } from './dto/audit-trail.query';
import { AuditTrailParam } from './audit-trail.param';

class AuditTrailEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'deal-6f1c1f3e-8d7a-4b7e-9a51-0c5d2f9b1e21' }) streamId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) dealId!: string | null;
  @ApiProperty() revision!: number;
  @ApiProperty({ example: 'StageAdvanced' }) type!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time.' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Recorded time.' }) recordedAt!: string;
  @ApiProperty({ type: Object, example: { id: 'alice', name: 'Alice' } }) actor!: { id: string; name: string | null };
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) command!: string | null;
  @ApiProperty({ example: '812:37' }) position!: string;
}

class AuditTrailPageDto implements AuditTrailPage {
  @ApiProperty({ type: [AuditTrailEventDto] }) events!: AuditTrailEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' }) next!: string | null;
}

/** Auditors' cross-deal questions, from rm.audit_events (the audit_trail projection). Roles: auditor, manager. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'manager')
@Controller('v1')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailQuery) {}

  @Get('correlations/:correlationId')
  @WaitForProjections('audit_trail')
  @ApiOperation({
    summary: 'Everything one request or workflow caused, across deals, in feed order',
    description: 'Every event recorded with this correlation id (the X-Correlation-Id of the request that caused it).',
  })
  @ApiParam({ name: 'correlationId' })
  @ApiOkResponse({ type: AuditTrailPageDto })
  @ApiBadRequestResponse({ description: 'A malformed id, limit, after or waitFor.' })
  async correlation(@Param('correlationId', AuditTrailParam) correlationId: string, @Query() query: AuditTrailPageQuery) {
    return { correlationId, ...(await this.trail.byCorrelation(correlationId, page(query))) };
  }

  @Get('audit/actors/:actorId/events')
  @WaitForProjections('audit_trail')
  @ApiOperation({
    summary: 'What one person (or service) did: every event they caused, by recorded time',
    description: '`from`/`to` bound the recorded time, [from, to); the actor id is the token subject.',
  })
  @ApiParam({ name: 'actorId' })
  @ApiOkResponse({ type: AuditTrailPageDto })
  @ApiBadRequestResponse({ description: 'A malformed id, period, limit, after or waitFor.' })
  async actorEvents(@Param('actorId', AuditTrailParam) actorId: string, @Query() query: ActorEventsQuery) {
    const period = { from: query.from ? parseInstant(query.from) : undefined, to: query.to ? parseInstant(query.to) : undefined };
    return {
      actorId,
      period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null, axis: 'recorded' },
      ...(await this.trail.byActor(actorId, period, page(query))),
    };
  }
}

function page(query: AuditTrailPageQuery) {
  return { limit: query.limit ?? TRAIL_PAGE_DEFAULT, after: query.after ? parsePosition(query.after) : undefined };
}
