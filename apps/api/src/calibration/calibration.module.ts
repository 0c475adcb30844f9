import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { ForecastCalibrationQuery } from '@funnel/read-models/analytics/forecast-calibration.query';
import { GateEffectivenessQuery } from '@funnel/read-models/analytics/gate-effectiveness.query';
import { StageCalibrationQuery } from '@funnel/read-models/analytics/stage-calibration.query';
import { CalibrationController } from './calibration.controller';

/** Calibration of the playbook's promises, gate effectiveness and the reps' forecasts. */
@Module({
  imports: [ReadModelsModule],
  controllers: [CalibrationController],
  providers: [StageCalibrationQuery, ForecastCalibrationQuery, GateEffectivenessQuery],
})
export class CalibrationModule {}
