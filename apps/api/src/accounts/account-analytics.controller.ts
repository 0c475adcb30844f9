import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { accountPhaseMetrics } from '@funnel/domain/account/phase-metrics';
import { AccountPhasesQuery } from '@funnel/read-models/accounts/account-phases.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { AccountPhasesQueryDto } from './dto/account-queries.dto';

@ApiTags('analytics')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/analytics/account-phases')
export class AccountAnalyticsController {
  constructor(@Inject(AccountPhasesQuery) private readonly stays: AccountPhasesQuery) {}

  @Get()
  @WaitForProjections('account_summary')
  @ApiOperation({
    summary: 'Relationship phase dwell times and transitions (account-phases/1)',
    description: 'Definitions: docs/metrics.md. Business time; durations in days.',
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, filters, dwell: [...], transitions: [...] }' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async phases(@Query() q: AccountPhasesQueryDto) {
    const asOf = q.asOf ? parseInstant(q.asOf) : new Date();
    const filters = { region: q.region, industry: q.industry, keyAccount: q.keyAccount };
    const metrics = accountPhaseMetrics(await this.stays.stays(asOf, filters), asOf);
    return { ...metrics, filters: { region: q.region ?? null, industry: q.industry ?? null, keyAccount: q.keyAccount ?? null } };
  }
}
