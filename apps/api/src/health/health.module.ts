import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { EventStoreHealthIndicator } from './event-store.health';
import { HealthController } from './health.controller';
import { ProjectionLagHealthIndicator } from './projection-lag.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadModelsModule],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ProjectionLagHealthIndicator],
})
export class HealthModule {}
