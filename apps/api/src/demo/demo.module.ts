import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventStoreModule } from '@funnel/event-store/event-store.module';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { DealAccessPolicy } from '../auth/deal-access.policy';
import { DealCommandExecutor } from '../deals/deal-command.executor';
import { DealStreamReader } from '../deals/deal-stream.reader';
import { FOLDED_DEAL_CACHE_PROVIDER } from '../deals/folded-deal.cache';
import { ApiMetrics } from '../metrics/api-metrics';

/**
 * What `funnel demo` needs of the api and no more: the DealCommandExecutor every HTTP command
 * goes through, with the same providers it gets in DealsModule (stream reader, access policy under
 * the same settings, metrics, the folded-deal cache) over the same event store. The routes, read models and projector
 * that AppModule adds are left out: loading them was most of the demo's start-up.
 */
@Module({})
export class DemoModule {
  static register(runtime: FunnelRuntime): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...runtime.config })] }),
        EventStoreModule.forRoot(runtime),
      ],
      providers: [ApiMetrics, DealAccessPolicy, DealStreamReader, DealCommandExecutor, FOLDED_DEAL_CACHE_PROVIDER],
      exports: [DealCommandExecutor],
    };
  }
}
