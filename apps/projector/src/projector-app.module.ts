import { DynamicModule, Module } from '@nestjs/common';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { RuntimeModule } from '@funnel/runtime/runtime.module';
import { ProjectorModule } from '@funnel/read-models/projection/projector.module';
import { AccountReactorModule } from '@funnel/read-models/accounts/account-reactor.module';
import { AnchorScheduleModule } from '@funnel/event-store/audit/anchor/anchor-schedule';
import { IntegrationModule } from '@funnel/integration/integration.module';

/**
 * The standalone worker: the runtime (config, database, event store, logging), the projector, the
 * account reactor, the anchor schedule and the outbound feeds (NATS, webhooks).
 */
@Module({})
export class ProjectorAppModule {
  static register(runtime: FunnelRuntime): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [RuntimeModule.forRoot(runtime), ProjectorModule, AccountReactorModule, AnchorScheduleModule, IntegrationModule],
    };
  }
}
