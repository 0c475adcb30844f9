import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { openDatabase } from '@funnel/runtime/open-database';
import { stopOnSignal } from '@funnel/runtime/stop-on-signal';
import { AppModule } from './app.module';
import { mintToken } from './auth/mint-token';
import { configureHttp } from './http/configure-http';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency/idempotency.migrations';

/**
 * `npm start`: api and projector in one process, on the embedded PostgreSQL unless
 * DATABASE_URL is set. `npm run start:api` (`--api-only`): the HTTP api alone.
 */
async function bootstrap(): Promise<void> {
  const config = loadFunnelConfig();
  const say = (message: string) => process.stdout.write(`[funnel] ${message}\n`);
  const database = await openDatabase(config, say, IDEMPOTENCY_MIGRATIONS);

  const withProjector = !process.argv.includes('--api-only');
  const app = await NestFactory.create(
    AppModule.register({ config, databaseUrl: database.url }, { withProjector }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.listen(config.PORT);
  say(`listening on http://localhost:${config.PORT} (OpenAPI at /docs)${withProjector ? ' with the projector' : ''}`);
  if (!config.DATABASE_URL) {
    // The embedded default is a local demo: hand out a manager token so /docs can be tried at once.
    const token = mintToken(config, { sub: 'demo-manager', name: 'Demo Manager', roles: ['rep', 'manager'], teams: ['*'] });
    say(`demo manager token (8h): ${token}`);
    say(`dashboard, signed in with it: http://localhost:${config.PORT}/#token=${token}`);
    say('more tokens: npm run token -- --sub alice --name "Alice" --roles rep,manager --teams north');
  }

  stopOnSignal([app, { close: () => database.stop() }], say);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`[funnel] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
