import { DataSource, MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/**
 * Runs the given TypeORM migrations (event store and read models share one migrations table),
 * each in its own transaction. Safe to call at every start: done migrations are skipped.
 */
export async function migrateDatabase(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    logging: false,
  });
  await dataSource.initialize();
  try {
    // Two processes starting at once (api and projector) must not run the same migration twice.
    await dataSource.query(`SELECT pg_advisory_lock(727001)`);
    const ran = await dataSource.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await dataSource.query(`SELECT pg_advisory_unlock(727001)`).catch(() => undefined);
    await dataSource.destroy();
  }
}
