import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { ListProjectionsHandler } from './list-projections.query';
import { ProjectionsController } from './projections.controller';

@Module({
  imports: [ReadModelsModule],
  controllers: [ProjectionsController],
  providers: [ListProjectionsHandler],
})
export class ProjectionsModule {}
