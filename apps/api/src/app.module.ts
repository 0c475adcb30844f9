import { DynamicModule, Module, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { RuntimeModule } from '@funnel/runtime/runtime.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { FeedsModule } from './feeds/feeds.module';
import { AuthModule } from './auth/auth.module';
import { DealsModule } from './deals/deals.module';
import { HealthModule } from './health/health.module';
import { ExportsModule } from './exports/exports.module';
import { ImportsModule } from './imports/imports.module';
import { PlaybookModule } from './playbook/playbook.module';
import { FunnelModule } from './funnel/funnel.module';
import { ProjectionsModule } from './projections/projections.module';
import { ProjectorModule } from '@funnel/read-models/projection/projector.module';

export interface AppModuleOptions {
  /** Also run the projections in this process (`npm start`); `npm run start:api` does not. */
  withProjector: boolean;
}

/** The HTTP application: commands, queries, health and OpenAPI. */
@Module({})
export class AppModule {
  static register(runtime: FunnelRuntime, options: AppModuleOptions): DynamicModule {
    const features: Type[] = [HealthModule, FeedsModule, AnalyticsModule, AuthModule, PlaybookModule, DealsModule, ProjectionsModule, FunnelModule, ImportsModule, ExportsModule];
    return {
      module: AppModule,
      imports: [RuntimeModule.forRoot(runtime), CqrsModule.forRoot(), ...features, ...projector(options)],
    };
  }
}

function projector(options: AppModuleOptions): Type[] {
  if (!options.withProjector) return [];
  return [ProjectorModule];
}
