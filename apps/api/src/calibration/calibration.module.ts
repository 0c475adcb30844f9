import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { StageCalibrationQuery } from '@funnel/read-models/analytics/stage-calibration.query';
import { CalibrationController } from './calibration.controller';

/** Calibration of the playbook's promises, gate effectiveness and the reps' forecasts. */
@Module({
  imports: [ReadModelsModule],
  controllers: [CalibrationController],
  providers: [StageCalibrationQuery],
})
export class CalibrationModule {}
