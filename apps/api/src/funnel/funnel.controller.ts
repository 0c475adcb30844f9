import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { FunnelQueryDto } from './funnel-query.dto';
import { FunnelViewDto } from './funnel-view.dto';
import { GetFunnel } from './get-funnel.query';
import { Roles } from '../auth/roles.decorator';
import { parseInstant } from '../analytics/dto/is-instant.validator';

@ApiTags('funnel')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/funnel')
export class FunnelController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @WaitForProjections('deal_summary', 'stage_history')
  @ApiOperation({
    summary: 'Deals, amount and weighted amount per stage, now or as of any past instant',
    description:
      'Without asOf: the current funnel from rm.deal_summary. With asOf: the funnel exactly as it stood then, ' +
      'from rm.stage_intervals (a deal is in stage s at t when it entered s at or before t and left after t). ' +
      'With knownAt: only stage changes recorded by then count (recorded time); `time.axis` says which axis was used.',
  })
  @ApiOkResponse({ type: FunnelViewDto })
  @ApiBadRequestResponse({ description: 'A bad filter, asOf or waitFor.' })
  get(@Query() query: FunnelQueryDto): Promise<FunnelViewDto> {
    const filters = {
      owner: query.owner ?? null,
      team: query.team ?? null,
      region: query.region ?? null,
      industry: query.industry ?? null,
    };
    return this.queries.execute(
      new GetFunnel(filters, query.asOf ? parseInstant(query.asOf) : null, query.knownAt ? parseInstant(query.knownAt) : null),
    );
  }
}
