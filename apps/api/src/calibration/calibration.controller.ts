import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { promiseOf } from '@funnel/domain/metrics/stage-calibration';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { StageCalibrationQuery, StageCalibrationReport } from '@funnel/read-models/analytics/stage-calibration.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { Roles } from '../auth/roles.decorator';
import { dealFilters, period } from '../analytics/dto/analytics-filters.query';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { StageCalibrationQueryDto } from './dto/calibration.queries';

const BAD_QUERY = { description: 'A query parameter is malformed; the body lists every bad one.' };
const DEFINITIONS = 'Definitions: docs/metrics.md. Times are business time (occurredAt); durations in days.';

/** Does the playbook keep its promises, and do the reps' forecasts? (docs/metrics.md) */
@ApiTags('calibration')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/analytics')
export class CalibrationController {
  constructor(private readonly stages: StageCalibrationQuery) {}

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
}
