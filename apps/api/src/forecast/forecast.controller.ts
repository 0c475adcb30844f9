import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { backtestCutoffs } from '@funnel/domain/metrics/forecast-backtest';
import { horizonDays } from '@funnel/domain/metrics/pipeline-forecast';
import { promiseOf } from '@funnel/domain/metrics/stage-calibration';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { BacktestReport, PipelineForecastQuery, PipelineForecastReport, SimulationSettings } from '@funnel/read-models/analytics/pipeline-forecast.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { Roles } from '../auth/roles.decorator';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { DEFAULT_BACKTEST_RUNS, DEFAULT_FORECAST_RUNS, ForecastBacktestQueryDto, PipelineForecastQueryDto } from './dto/forecast.queries';

const BAD_QUERY = { description: 'A query parameter is malformed; the body lists every bad one.' };
const DEFINITIONS = 'Definitions: docs/metrics.md. Amounts per currency, never added across currencies.';
const MS_PER_DAY = 86_400_000;

function settingsOf(query: { runs?: number; seed?: number; lookbackDays?: number }, defaultRuns: number): SimulationSettings {
  return {
    runs: query.runs ?? defaultRuns,
    seed: query.seed ?? 1,
    lookbackDays: query.lookbackDays ?? 365,
    // The reps' call: deals they give more than the APPROVED gate's probability (the playbook's "likely").
    commitAbove: promiseOf(DEFAULT_PLAYBOOK).probabilityAbove,
  };
}

const filtersOf = (q: { owner?: string; team?: string; region?: string; industry?: string }) => ({ owner: q.owner, team: q.team, region: q.region, industry: q.industry });

/** The pipeline forecast and its track record (docs/metrics.md). */
@ApiTags('forecast')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/forecast')
export class ForecastController {
  constructor(private readonly pipeline: PipelineForecastQuery) {}

  @Get()
  @WaitForProjections('deal_timeline')
  @ApiOperation({
    summary: 'Expected WON amount within a horizon, with P10/P50/P90, beside the weighted pipeline and the reps’ call (pipeline-forecast/1)',
    description:
      'A seeded Monte Carlo over the completed stage stays before asOf (how long each lasted, where it went) for the open deals, plus deals not ' +
      'yet opened arriving at the rate history shows; beside Σ amount × probability and Σ amount of the deals the reps give more than 50 %, ' +
      'both over the open deals whose latest forecast closes within the horizon. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, horizon, filters, settings, openDeals, model, currencies: [{ currency, simulation: { expected, p10, p50, p90, fromOpenDeals, fromNewDeals }, weightedPipeline, repForecast, openDeals }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  forecast(@Query() query: PipelineForecastQueryDto): Promise<PipelineForecastReport> {
    const asOf = query.asOf ? parseInstant(query.asOf) : new Date();
    const label = query.horizon ?? '90';
    return this.pipeline.forecast(filtersOf(query), asOf, { days: horizonDays(label, asOf), label }, settingsOf(query, DEFAULT_FORECAST_RUNS));
  }

  @Get('backtest')
  @WaitForProjections('deal_timeline')
  @ApiOperation({
    summary: 'The forecast as it would have been made at each past week or month, against what then closed (forecast-backtest/1)',
    description:
      'At each cut-off only the events recorded by then (knownBy=recorded; knownBy=occurred for history imported after the fact) are used; ' +
      'each method’s forecast for the next 30/90/180 days is set against the WON amount that then closed. MAPE and bias per method, lead time ' +
      'and currency. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, knownBy, every, leadTimesDays, cutoffs, filters, settings, accuracy: [{ method, leadTimeDays, currency, n, mape, zeroActual, bias, meanError }], points }' })
  @ApiBadRequestResponse(BAD_QUERY)
  backtest(@Query() query: ForecastBacktestQueryDto): Promise<BacktestReport> {
    const now = new Date();
    const to = query.to ? parseInstant(query.to) : now;
    const from = query.from ? parseInstant(query.from) : new Date(to.getTime() - 365 * MS_PER_DAY);
    const every = query.every ?? 'month';
    const leadTimesDays = [...new Set((query.leadTimes ?? ['30', '90', '180']).map(Number))].sort((a, b) => a - b);
    const cutoffs = backtestCutoffs(from, to, every);
    return this.pipeline.backtest(filtersOf(query), now, { cutoffs, every, leadTimesDays, knownBy: query.knownBy ?? 'recorded' }, settingsOf(query, DEFAULT_BACKTEST_RUNS));
  }
}
