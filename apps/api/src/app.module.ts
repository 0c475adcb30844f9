import { DynamicModule, Module, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { RuntimeModule } from '@funnel/runtime/runtime.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { CalibrationModule } from './calibration/calibration.module';
import { ForecastModule } from './forecast/forecast.module';
import { AuditTrailModule } from './audit/audit-trail.module';
import { FeedsModule } from './feeds/feeds.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AuthModule } from './auth/auth.module';
import { DealsModule } from './deals/deals.module';
import { HealthModule } from './health/health.module';
import { ExportsModule } from './exports/exports.module';
import { ImportsModule } from './imports/imports.module';
import { MetricsModule } from './metrics/metrics.module';
import { HttpHardeningModule } from './http/http-hardening.module';
import { PlaybookModule } from './playbook/playbook.module';
import { FunnelModule } from './funnel/funnel.module';
import { ProjectionsModule } from './projections/projections.module';
import { WebModule } from './web/web.module';
import { ProjectorModule } from '@funnel/read-models/projection/projector.module';
import { AccountReactorModule } from '@funnel/read-models/accounts/account-reactor.module';
import { AccountsModule } from './accounts/accounts.module';
import { AnchorScheduleModule } from '@funnel/event-store/audit/anchor/anchor-schedule';
import { IntegrationModule } from '@funnel/integration/integration.module';

export interface AppModuleOptions {
  /** Also run the projections in this process (`npm start`); `npm run start:api` does not. */
  withProjector: boolean;
  /** Also run the account reactor (deal facts → account events); defaults to withProjector. */
  withAccountReactor?: boolean;
}

/** The HTTP application: commands, queries, health, OpenAPI and the dashboard page. */
@Module({})
export class AppModule {
  static register(runtime: FunnelRuntime, options: AppModuleOptions): DynamicModule {
    // One feature module a line, so that a new feature adds one line.
    const features: Type[] = [
      MetricsModule,
      HealthModule,
      FeedsModule,
      WebhooksModule,
      AnalyticsModule,
      AuthModule,
      HttpHardeningModule,
      PlaybookModule,
      DealsModule,
      ProjectionsModule,
      FunnelModule,
      AccountsModule,
      WebModule,
      CalibrationModule,
      ForecastModule,
      AuditTrailModule,
      ImportsModule,
      ExportsModule,
    ];
    return {
      module: AppModule,
      imports: [RuntimeModule.forRoot(runtime), CqrsModule.forRoot(), ...features, ...projector(options), ...accountReactor(options)],
    };
  }
}

function accountReactor(options: AppModuleOptions): Type[] {
  return (options.withAccountReactor ?? options.withProjector) ? [AccountReactorModule] : [];
}

function projector(options: AppModuleOptions): Type[] {
  if (!options.withProjector) return [];
  return [ProjectorModule, AnchorScheduleModule, IntegrationModule];
}
