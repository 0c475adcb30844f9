import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http/configure-http';
import { IDEMPOTENCY_MIGRATIONS } from '../../apps/api/src/idempotency/idempotency.migrations';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { openDatabase } from '@funnel/runtime/open-database';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server, for supertest: request(testApp.url). */
  url: string;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application over HTTP, on a fresh database: the same module graph and HTTP
 * pipeline as `npm start`, listening on a random port.
 */
export async function startTestApp(
  options: {
    withProjector?: boolean;
    withAccountReactor?: boolean;
    /** More settings (as environment variables), e.g. OWNERSHIP_POLICY or JWT_ISSUER. */
    env?: Record<string, string>;
    /** Another app's database: a second api on the same data (closing it leaves the database). */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const config = loadFunnelConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...options.env });
  await openDatabase(config, () => undefined, IDEMPOTENCY_MIGRATIONS);
  const moduleRef = await Test.createTestingModule({
    imports: [
      // The account reactor appends account events of its own: only tests about accounts want them.
      AppModule.register({ config, databaseUrl: db.url }, { withProjector: options.withProjector ?? false, withAccountReactor: options.withAccountReactor ?? false }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    db,
    close: async () => {
      await app.close();
      if (!options.database) await db.drop();
    },
  };
}
