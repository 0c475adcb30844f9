import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { FunnelController } from './funnel.controller';
import { GetFunnelHandler } from './get-funnel.query';

@Module({
  imports: [ReadModelsModule],
  controllers: [FunnelController],
  providers: [GetFunnelHandler],
})
export class FunnelModule {}
