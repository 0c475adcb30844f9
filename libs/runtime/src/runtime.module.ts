import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@funnel/event-store/event-store.module';
import { FUNNEL_RUNTIME, FunnelRuntime } from './funnel-runtime';
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
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.LOG_LEVEL,
            autoLogging: runtime.config.NODE_ENV !== 'test',
            redact: ['req.headers.authorization'],
            transport: logTransport(runtime.config),
          },
        }),
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
