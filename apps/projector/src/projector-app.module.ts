import { DynamicModule, Module } from '@nestjs/common';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { RuntimeModule } from '@funnel/runtime/runtime.module';
import { ProjectorModule } from '@funnel/read-models/projection/projector.module';
import { AccountReactorModule } from '@funnel/read-models/accounts/account-reactor.module';
import { AnchorScheduleModule } from '@funnel/event-store/audit/anchor/anchor-schedule';

/** The standalone worker: the runtime (config, database, event store, logging), the projector, the account reactor and the anchor schedule. */
@Module({})
export class ProjectorAppModule {
  static register(runtime: FunnelRuntime): DynamicModule {
    return { module: ProjectorAppModule, imports: [RuntimeModule.forRoot(runtime), ProjectorModule, AccountReactorModule, AnchorScheduleModule] };
  }
}
