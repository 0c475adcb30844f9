/**
 * `npm run funnel -- <command>`: operations on a running (or stopped) Funnel.
 *
 *   projections list                          every projection: generation, checkpoint, lag
 *   projections rebuild <name> [--batch-size N]   blue/green rebuild with a progress bar
 *   projections rebuild --all [--batch-size N]    every projection from one read of the feed
 *   audit                                     verify every stream's hash chain and head (exit 3 if tampered)
 *   accounts migrate                          give deals older than accounts their accounts, then rebuild the account read models
 *   audit anchor                              record a Merkle root over every stream head and print it
 *   audit verify --anchor <root> [--position <p>]   prove nothing covered by that root changed (exit 3 if it did)
 *   import <file> --format <f> [--mapping <json>] [--dry-run]   bring another CRM's history in
 *   demo [--deals N] [--seed S]               a believable year of pipeline through the real command path
 *   export [--format jsonl|csv|ocel2|xes] [--from] [--to] [--deal] [--out]   the events, streamed
 *
 * Reaches the same database as `npm start`: DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR (reused while `npm start` runs, started and stopped here otherwise).
 */
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { EventStoreDbEventStore } from '@funnel/event-store/eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { openDatabase } from '@funnel/runtime/open-database';
// Each command's module is loaded when it runs: under ts-node, transpiling the others' code
// was a good part of every command's start-up.

const USAGE = `usage:
  npm run funnel -- projections list
  npm run funnel -- projections rebuild <name> [--batch-size N]
  npm run funnel -- projections rebuild --all [--batch-size N]
  npm run funnel -- audit
  npm run funnel -- accounts migrate
  npm run funnel -- audit anchor
  npm run funnel -- audit verify --anchor <root> [--position <commit:prepare>]
  npm run funnel -- import <file> --format maven|salesforce-history|stage-changes [--mapping <json>] [--dry-run] [--as <actor>]
  npm run funnel -- demo [--deals N] [--seed S]
  npm run funnel -- export [--format jsonl|csv|ocel2|xes] [--from <date>] [--to <date>] [--deal <id>] [--out <file>]`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'batch-size': { type: 'string' },
      format: { type: 'string' },
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean' },
      as: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      deal: { type: 'string' },
      out: { type: 'string' },
      deals: { type: 'string' },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      position: { type: 'string' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const [group, command, name] = positionals;
  const known =
    group === 'audit'
      ? command === undefined || command === 'anchor' || (command === 'verify' && /^[0-9a-fA-F]{64}$/.test(values.anchor ?? ''))
      : group === 'accounts'
        ? command === 'migrate'
        : group === 'import'
          ? name === undefined
          : group === 'export' || group === 'demo'
            ? command === undefined
            : group === 'projections' && (command === 'list' || command === 'rebuild');
  if (values.help || !known) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadFunnelConfig();
  const batchSize = values['batch-size'] ? Number(values['batch-size']) : config.PROJECTOR_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    process.stderr.write(`--batch-size must be a whole number from 1 to 50000\n`);
    return 2;
  }
  const database = await openDatabase(config, (m) => process.stderr.write(`[funnel] ${m}\n`));
  // `projections rebuild --all` holds one connection per projection for the whole rebuild (each new
  // generation's writer lock and transactions): with fewer, it waited for a connection forever.
  const pool = new Pool({ connectionString: database.url, max: 10 });
  pool.on('error', () => undefined);
  const store: EventStore = config.EVENTSTORE_CONNECTION_STRING
    ? EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_CONNECTION_STRING)
    : PostgresEventStore.fromConnectionString(database.url, 4);
  const cancel = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncancelling…\n');
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ctx = {
      pool,
      store,
      eventsDatabase: config.EVENTSTORE_CONNECTION_STRING ? null : pool,
      batchSize,
      partitions: config.PROJECTOR_PARTITIONS,
      out: (line: string) => process.stdout.write(`${line}\n`),
    };
    if (group === 'audit' && command === 'anchor') return await (await import('./audit.command')).anchorCommand(ctx);
    if (group === 'audit' && command === 'verify') return await (await import('./audit.command')).verifyAnchorCommand(ctx, values.anchor!, values.position);
    if (group === 'audit') return await (await import('./audit.command')).auditCommand(ctx);
    if (group === 'import') {
      const options = { file: command, format: values.format, mapping: values.mapping, dryRun: values['dry-run'] ?? false, as: values.as };
      return await (await import('./import.command')).importCommand(store, options, ctx.out);
    }
    if (group === 'demo') return await (await import('./demo.command')).demoCommand({ config, databaseUrl: database.url }, { deals: values.deals, seed: values.seed }, ctx.out);
    if (group === 'export') {
      // The export goes to stdout unless --out: messages go to stderr.
      const options = { format: values.format, from: values.from, to: values.to, deal: values.deal, out: values.out };
      return await (await import('./export.command')).exportCommand(store, options, (line) => process.stderr.write(`${line}\n`));
    }
    if (group === 'accounts') {
      await (await import('./accounts.command')).migrateAccounts(ctx, cancel.signal);
      return cancel.signal.aborted ? 130 : 0;
    }
    const { listProjections, rebuild } = await import('./projections.commands');
    return command === 'list' ? await listProjections(ctx) : await rebuild(ctx, values.all ? '--all' : name, cancel.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[funnel] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
