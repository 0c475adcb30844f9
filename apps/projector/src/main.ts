import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { openDatabase } from '@funnel/runtime/open-database';
import { stopOnSignal } from '@funnel/runtime/stop-on-signal';
import { ProjectorAppModule } from './projector-app.module';

/**
 * `npm run start:projector`: the projections without the HTTP api, for running them apart from
 * (or beside) `npm start`. Several may run: one writes each projection, the others stand by.
 */
async function bootstrap(): Promise<void> {
  const config = loadFunnelConfig();
  const say = (message: string) => process.stdout.write(`[funnel-projector] ${message}\n`);
  const database = await openDatabase(config, say);
  const app = await NestFactory.createApplicationContext(
    ProjectorAppModule.register({ config, databaseUrl: database.url }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  say('projector running (Ctrl-C to stop)');

  stopOnSignal([app, { close: () => database.stop() }], say, 'stopping after the batches in flight');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`[funnel-projector] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
