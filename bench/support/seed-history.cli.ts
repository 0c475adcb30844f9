/** `ts-node bench/support/seed-history.cli.ts <database> <deals>`: prepares a benchmark history once. */
import { ensureBenchHistory, say } from './bench-history';

async function main(): Promise<void> {
  const [name = 'funnel_bench_100k', deals = '100000'] = process.argv.slice(2);
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const started = Date.now();
  const result = await ensureBenchHistory(server, name, Number(deals));
  say(`${result.reused ? 'reused' : 'made'} ${name}: ${result.events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
