import { EVENT_STORE_MIGRATIONS } from '@funnel/event-store/postgres/event-store.migrations';
import { startEmbeddedDatabase } from '@funnel/event-store/postgres/embedded-database';
import { migrateDatabase } from '@funnel/event-store/postgres/migrate-database';
import { MigrationInterface } from 'typeorm';
import { READ_MODEL_MIGRATIONS } from '@funnel/read-models/read-model.migrations';
import { INTEGRATION_MIGRATIONS } from '@funnel/integration/integration.migrations';
import { FunnelConfig } from './funnel-config';

export interface OpenedDatabase {
  url: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR (shared with a running
 * `npm start` through its port file). Brings the schema up to date either way.
 */
export async function openDatabase(
  config: FunnelConfig,
  log: (message: string) => void,
  /** An app's own tables (the api's idempotency keys), migrated with the shared ones. */
  appMigrations: (new () => MigrationInterface)[] = [],
): Promise<OpenedDatabase> {
  const database = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedDatabase(config.DATA_DIR, log);
  try {
    const ran = await migrateDatabase(database.url, [
      ...EVENT_STORE_MIGRATIONS,
      ...READ_MODEL_MIGRATIONS,
      ...INTEGRATION_MIGRATIONS,
      ...appMigrations,
    ]);
    if (ran.length) log(`migrations applied: ${ran.join(', ')}`);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
