import { DynamicModule, Module, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { RuntimeModule } from '@funnel/runtime/runtime.module';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  /** Also run the projections in this process (`npm start`); `npm run start:api` does not. */
  withProjector: boolean;
}

/** The HTTP application: commands, queries, health and OpenAPI. */
@Module({})
export class AppModule {
  static register(runtime: FunnelRuntime, options: AppModuleOptions): DynamicModule {
    const features: Type[] = [HealthModule];
    return {
      module: AppModule,
      imports: [RuntimeModule.forRoot(runtime), CqrsModule.forRoot(), ...features, ...projector(options)],
    };
  }
}

function projector(options: AppModuleOptions): Type[] {
  if (!options.withProjector) return [];
  return [];
}
