import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MS_PER_DAY } from '@funnel/domain/metrics/business-time';
import { DEFAULT_INACTIVE_DAYS, DEFAULT_STALL_SETTINGS } from '@funnel/domain/metrics/stall-limits';
import { ANOMALY_PAGE_SIZE, AnomaliesAnswer, AnomaliesQuery } from '@funnel/read-models/analytics/anomalies.query';
import { decodeAnomalyCursor } from '@funnel/read-models/analytics/anomaly-cursor';
import { ConversionAnswer, ConversionQuery } from '@funnel/read-models/analytics/conversion.query';
import { CycleTimeAnswer, CycleTimeQuery } from '@funnel/read-models/analytics/cycle-time.query';
import { DwellTimesAnswer, DwellTimesQuery } from '@funnel/read-models/analytics/dwell-times.query';
import { RepPerformanceAnswer, RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { Roles } from '../auth/roles.decorator';
import { dealFilters, period } from './dto/analytics-filters.query';
import {
  AnomaliesQueryDto,
  ConversionQueryDto,
  CycleTimeQueryDto,
  DwellTimesQueryDto,
  RepPerformanceQueryDto,
} from './dto/analytics.queries';
import { parseInstant } from './dto/is-instant.validator';

/** The reps endpoint looks at the last 12 weeks unless told otherwise. */
const DEFAULT_REP_PERIOD_DAYS = 84;

const BAD_QUERY = { description: 'A query parameter is malformed; the body lists every bad one.' };
const DEFINITIONS = 'Definitions: docs/metrics.md. Times are business time (occurredAt); durations in days.';

@ApiTags('analytics')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1')
export class AnalyticsController {
  constructor(
    private readonly dwell: DwellTimesQuery,
    private readonly conversion: ConversionQuery,
    private readonly cycleTime: CycleTimeQuery,
    private readonly reps: RepPerformanceQuery,
    private readonly anomalies: AnomaliesQuery,
  ) {}

  @Get('analytics/dwell-times')
  @WaitForProjections('stage_history')
  @ApiOperation({
    summary: 'Time spent in each stage (dwell-times/1)',
    description:
      'Per stage, over the stays entered in [from, to): n, mean, median, p75, p90 of ended stays (linear interpolation, type 7), ' +
      "the same per deal (a deal's stays summed), and a Kaplan–Meier median of time to advance that censors stays still open at asOf " +
      'or ended by regression or loss. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, filters, unit, stages: [{ stage, perStay, perDeal, openStays, kaplanMeier }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  dwellTimes(@Query() query: DwellTimesQueryDto): Promise<DwellTimesAnswer> {
    const asOf = query.asOf ? parseInstant(query.asOf) : new Date();
    return this.dwell.answer(dealFilters(query), period(query), asOf);
  }

  @Get('analytics/conversion')
  @WaitForProjections('stage_history', 'deal_summary')
  @ApiOperation({
    summary: 'Stage conversion by monthly cohort, and win rate (conversion/1, win-rate/1)',
    description:
      'Of the deals whose first entry into a stage lies in [from, to), how many later reached the next stage and how many were won, ' +
      'by UTC month of that first entry; skipPolicy decides whether a jump over a stage counts as passing it. Win rate: won / (won + lost) ' +
      'of the deals closed in the period, by count and (per currency) by amount. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, filters, stages: [{ stage, next, entered, reachedNext, won, toNextRate, toWonRate, cohorts }], winRate }' })
  @ApiBadRequestResponse(BAD_QUERY)
  conversionByCohort(@Query() query: ConversionQueryDto): Promise<ConversionAnswer> {
    return this.conversion.answer(dealFilters(query), period(query), query.skipPolicy ?? 'strict');
  }

  @Get('analytics/cycle-time')
  @WaitForProjections('stage_history', 'deal_summary')
  @ApiOperation({
    summary: 'Days from opening (or from a stage) to won, and sales velocity (cycle-time/1, sales-velocity/1)',
    description:
      'Over the deals won in [from, to): n, mean, median, p75, p90 of the days from opened (or the first entry into fromStage) to won. ' +
      'Sales velocity per currency = open deals × average won amount × win rate / median opened→won days. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, filters, unit, measuredFrom, cycle, wonWithoutFromStage, salesVelocity }' })
  @ApiBadRequestResponse(BAD_QUERY)
  cycleTimes(@Query() query: CycleTimeQueryDto): Promise<CycleTimeAnswer> {
    return this.cycleTime.answer(dealFilters(query), period(query), query.fromStage, query.skipPolicy ?? 'strict');
  }

  @Get('analytics/reps')
  @WaitForProjections('stage_history', 'deal_summary', 'activity')
  @ApiOperation({
    summary: 'Per salesperson or team: pipeline, results, where deals get stuck (rep-performance/1)',
    description:
      'Open pipeline now (count, amount, weighted, per currency); deals won and lost in the period and the win rate; per stage the share of ' +
      'ended stays that advanced and their median days; visits per week (visits / (period days / 7)). The period defaults to the ' +
      `${DEFAULT_REP_PERIOD_DAYS} days before \`to\` (default now). ` + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, groupBy, filters, period, groups: [{ key, openPipeline, closed, stages, visits }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  repPerformance(@Query() query: RepPerformanceQueryDto): Promise<RepPerformanceAnswer> {
    const given = period(query);
    const to = given.to ?? new Date();
    const from = given.from ?? new Date(to.getTime() - DEFAULT_REP_PERIOD_DAYS * MS_PER_DAY);
    return this.reps.answer(dealFilters(query), { from, to }, query.groupBy ?? 'owner', new Date());
  }

  @Get('anomalies')
  @WaitForProjections('stage_history', 'deal_summary')
  @ApiOperation({
    summary: 'Anomalous opportunities, each with its reason in words (anomalies/2)',
    description:
      'Open deals stalled in their stage (beyond the p90 of completed stays there, or the stage limit), open APPROVED/NEGOTIATION deals past ' +
      'their expected close date, open deals with no activity for inactiveDays; and, in [from, to), stages skipped or gates passed by ' +
      'override, and regressions. Paged: `limit` items (default ' + ANOMALY_PAGE_SIZE.default + ') in the order since, dealId, kind; pass `next` as `cursor` for the next page. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, filters, settings, completedStayP90, count, items: [{ dealId, account, owner, team, stage, status, kind, since, reason }], next }' })
  @ApiBadRequestResponse(BAD_QUERY)
  anomalousDeals(@Query() query: AnomaliesQueryDto): Promise<AnomaliesAnswer> {
    const after = query.cursor ? decodeAnomalyCursor(query.cursor) : undefined;
    const asOf = query.asOf ? parseInstant(query.asOf) : (after?.asOf ?? new Date());
    return this.anomalies.answer(dealFilters(query), period(query), {
      asOf,
      inactiveDays: query.inactiveDays ?? DEFAULT_INACTIVE_DAYS,
      kind: query.kind,
      settings: DEFAULT_STALL_SETTINGS,
      limit: query.limit ?? ANOMALY_PAGE_SIZE.default,
      after,
    });
  }
}
