import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@funnel/event-store/event-store.module';
import { FUNNEL_RUNTIME, FunnelRuntime } from './funnel-runtime';
import { Params } from 'nestjs-pino';
import { pino } from 'pino';
import { logTransport } from './log-transport';

/**
 * What every Funnel process shares: the runtime (config + database), pino logging, the
 * read-model connection (TypeORM) and the event store.
 */
@Module({})
export class RuntimeModule {
  static forRoot(runtime: FunnelRuntime): DynamicModule {
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        // The settings main.ts validated (loadFunnelConfig) before Nest started — it had to, to
        // choose the database — served to providers as a typed ConfigService<FunnelConfig>.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...runtime.config })],
        }),
        LoggerModule.forRoot({ pinoHttp: logOptions(runtime) }),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: runtime.databaseUrl,
          autoLoadEntities: true,
          synchronize: false,
          migrationsRun: false,
          // The schema is owned by migrations (openDatabase), never synchronised.
        }),
        EventStoreModule.forRoot(runtime),
      ],
      providers: [{ provide: FUNNEL_RUNTIME, useValue: runtime }],
      exports: [FUNNEL_RUNTIME],
    };
  }
}

/**
 * pino-http's settings. JSON lines go to stdout asynchronously: a line is handed to a write in
 * flight instead of a synchronous write per request on the request path (issue 13 measured
 * the per-request write), and what is pending is flushed when the process exits.
 */
function logOptions(runtime: FunnelRuntime): Params['pinoHttp'] {
  const options = {
    level: runtime.config.LOG_LEVEL,
    autoLogging: runtime.config.NODE_ENV !== 'test',
    redact: ['req.headers.authorization'],
  };
  const transport = logTransport(runtime.config);
  return transport ? { ...options, transport } : [options, pino.destination({ dest: 1, sync: false })];
}
