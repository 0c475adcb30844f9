import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { promiseOf } from '@funnel/domain/metrics/stage-calibration';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { ForecastCalibrationQuery, ForecastCalibrationReport } from '@funnel/read-models/analytics/forecast-calibration.query';
import { GateEffectivenessQuery, GateEffectivenessReport } from '@funnel/read-models/analytics/gate-effectiveness.query';
import { StageCalibrationQuery, StageCalibrationReport } from '@funnel/read-models/analytics/stage-calibration.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { Roles } from '../auth/roles.decorator';
import { dealFilters, period } from '../analytics/dto/analytics-filters.query';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { ForecastCalibrationQueryDto, GateEffectivenessQueryDto, StageCalibrationQueryDto } from './dto/calibration.queries';

/** The playbooks this service knows, by version: gate criteria are read from the one a move was decided under. */
const PLAYBOOKS = new Map([[DEFAULT_PLAYBOOK.version, DEFAULT_PLAYBOOK]]);

const BAD_QUERY = { description: 'A query parameter is malformed; the body lists every bad one.' };
const DEFINITIONS = 'Definitions: docs/metrics.md. Times are business time (occurredAt); durations in days.';

/** Does the playbook keep its promises, and do the reps' forecasts? (docs/metrics.md) */
@ApiTags('calibration')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/analytics')
export class CalibrationController {
  constructor(
    private readonly stages: StageCalibrationQuery,
    private readonly forecasts: ForecastCalibrationQuery,
    private readonly gates: GateEffectivenessQuery,
  ) {}

  @Get('calibration/stages')
  @WaitForProjections('stage_history')
  @ApiOperation({
    summary: 'Share of deals WON within 30/90/180 days of entering each stage, and the APPROVED promise checked (stage-calibration/1)',
    description:
      'Of the deals whose first entry into a stage lies in [from, to): the Aalen–Johansen cumulative incidence of WON within 30, 90 and 180 days, ' +
      'LOST a competing risk, deals still open at asOf censored; 95 % interval (delta-method variance, log(−log) scale); for APPROVED a verdict ' +
      "against the playbook's promise (probability above its APPROVED gate's threshold of closing within its day limit). " + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, filters, groupBy, unit, promise, groups: [{ key, stages: [{ stage, entered, won, lost, open, wonWithin, promise? }] }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  stageCalibration(@Query() query: StageCalibrationQueryDto): Promise<StageCalibrationReport> {
    const asOf = query.asOf ? parseInstant(query.asOf) : new Date();
    return this.stages.answer(dealFilters(query), period(query), asOf, query.groupBy ?? 'all', promiseOf(DEFAULT_PLAYBOOK));
  }

  @Get('calibration/forecasts')
  @WaitForProjections('deal_timeline')
  @ApiOperation({
    summary: "The reps' forecasts scored once their close date has passed: reliability table, Brier score and its decomposition (forecast-calibration/1)",
    description:
      'Each ForecastUpdated made before cutoff (latest per deal, or every one) whose expected close date lies in [from, to) and has passed by asOf ' +
      'predicts "WON by the end of that day". Ten-bin reliability table (mean predicted vs observed, counts), Brier score, and its Murphy ' +
      'decomposition with the two within-bin terms that make it exact. Per owner or team when the forecast was made. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, cutoff, selection, groupBy, filters, groups: [{ key, n, won, baseRate, brier, decomposition, bins }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  forecastCalibration(@Query() query: ForecastCalibrationQueryDto): Promise<ForecastCalibrationReport> {
    const asOf = query.asOf ? parseInstant(query.asOf) : new Date();
    const cutoff = query.cutoff ? parseInstant(query.cutoff) : asOf;
    return this.forecasts.answer(dealFilters(query), period(query), { asOf, cutoff, selection: query.selection ?? 'latest', groupBy: query.groupBy ?? 'all' });
  }

  @Get('gates')
  @WaitForProjections('deal_timeline')
  @ApiOperation({
    summary: 'Per gate criterion: deals that entered with it met vs by a manager override of it, and what became of them (gate-effectiveness/1)',
    description:
      'Every forward stage change in [from, to) passes the gates of the stage entered and of any stage jumped over; each criterion was met or ' +
      'overridden (recorded unmet on the override). Per playbook version and criterion, each group: entries, won, lost, open, win rate of the ' +
      'closed, median days to WON and to close. ' + DEFINITIONS,
  })
  @ApiOkResponse({ description: '{ metricDefinitionVersion, asOf, filters, unit, playbookVersions, criteria: [{ playbookVersion, stage, code, met, overridden }] }' })
  @ApiBadRequestResponse(BAD_QUERY)
  gateEffectiveness(@Query() query: GateEffectivenessQueryDto): Promise<GateEffectivenessReport> {
    const asOf = query.asOf ? parseInstant(query.asOf) : new Date();
    return this.gates.answer(dealFilters(query), period(query), asOf, PLAYBOOKS, DEFAULT_PLAYBOOK);
  }
}
