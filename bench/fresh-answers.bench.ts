/**
 * Analytics right after a write: what an analyst's dashboard sees while reps keep working. The
 * api and the projector (`npm start`, one child process) run over an existing benchmark database;
 * each round opens a new deal over HTTP, waits until every projection has projected it (the
 * command's feed position, as `?waitFor=` would), then asks every analytics endpoint once. Each
 * of those answers is the first after the read models moved: a position-cached answer cannot be
 * reused, and the in-memory indexes (stays, deals) must first be brought level. Prints, per
 * endpoint, p50/p99 over the rounds, and the write-to-visible lag.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5435/postgres npm run bench:fresh -- --database funnel_bench_10000x10 --rounds 20
 *
 * The database is written to (one deal per round): use a copy you can spare. `--cpu-prof DIR`
 * has the app write a V8 profile (summarise it with bench/support/cpu-profile-summary.ts).
 */
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { ProjectionPositions } from '@funnel/read-models/projection/projection-positions';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { mintToken } from '../apps/api/src/auth/mint-token';
import { peakRssMb, startApi } from './support/bench-api';
import { databaseUrl, say } from './support/bench-history';
import { BenchFigure, option, percentile, recordFigures, timed } from './support/bench-figures';

const ENDPOINTS: [string, string][] = [
  ['dwell-times', '/v1/analytics/dwell-times'],
  ['conversion strict', '/v1/analytics/conversion'],
  ['conversion any', '/v1/analytics/conversion?skipPolicy=any'],
  ['cycle-time', '/v1/analytics/cycle-time'],
  ['funnel', '/v1/funnel'],
  ['anomalies (page)', '/v1/anomalies'],
  ['reps', '/v1/analytics/reps'],
];

async function main(): Promise<void> {
  const argv = process.argv;
  const name = argv.includes('--database') ? argv[argv.indexOf('--database') + 1] : undefined;
  if (!name) throw new Error('--database NAME: an existing benchmark database (it is written to)');
  const rounds = option('rounds', 20);
  const url = databaseUrl(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres', name);
  const profile = argv.includes('--cpu-prof') ? argv[argv.indexOf('--cpu-prof') + 1] : undefined;
  const app = await startApi(url, option('port', 31915), { projector: true, cpuProfDir: profile });
  const config = loadFunnelConfig({ NODE_ENV: 'development' });
  const analyst = `Bearer ${mintToken(config, { sub: 'bench-analyst', name: 'Bench Analyst', roles: ['analyst'] })}`;
  const rep = `Bearer ${mintToken(config, { sub: 'bench-rep', name: 'Bench Rep', roles: ['rep'] })}`;
  const pool = new Pool({ connectionString: url, max: 2 });
  const positions = new ProjectionPositions(pool, 5);
  const get = async (path: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { Authorization: analyst } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
  };
  const store = PostgresEventStore.fromConnectionString(url, 1);
  try {
    // A generated history has no account events: on its first `npm start` the account reactor
    // migrates every deal, appending for minutes, and the projectors follow. Measured then, the
    // lag would be that backlog's. Wait until the feed has been still for 3 s and every
    // projection has reached its head (a copy of a database that has settled once starts so).
    const settling = Date.now();
    const text = (position: GlobalPosition | null) => (position ? formatPosition(position) : 'empty');
    for (let head = text(await store.headPosition()), still = 0, seconds = 0; still < 3; seconds++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await store.headPosition();
      const level = now === null || (await positions.reached(now, ALL_PROJECTIONS.map((p) => p.name)));
      still = level && text(now) === head ? still + 1 : 0;
      head = text(now);
      if (seconds % 30 === 29) say(`settling: feed head ${head}…`);
    }
    say(`settled in ${((Date.now() - settling) / 1000).toFixed(0)} s (the account reactor's migration and the projectors' catch-up)`);
    // The first answers load the indexes and fill the caches: not what this bench measures.
    for (const [, path] of ENDPOINTS) await get(path);
    const times = new Map<string, number[]>(ENDPOINTS.map(([label]) => [label, []]));
    const lags: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const written = await timed(async () => {
        const res = await fetch(`${app.url}/v1/deals`, {
          method: 'POST',
          headers: { Authorization: rep, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            account: { name: `Fresh Answers ${round}`, industry: 'manufacturing', region: 'East China' },
            owner: 'bench-rep', team: 'bench', amount: 10_000 + round, currency: 'EUR',
          }),
        });
        const answer = (await res.json()) as { position: string };
        if (res.status !== 201) throw new Error(`open: ${res.status} ${JSON.stringify(answer)}`);
        const visible = await positions.waitFor(parsePosition(answer.position), 30_000, ALL_PROJECTIONS.map((p) => p.name));
        if (!visible) throw new Error('the projections did not reach the new deal within 30 s');
      });
      lags.push(written.ms);
      for (const [label, path] of ENDPOINTS) times.get(label)!.push((await timed(() => get(path))).ms);
    }
    const load = loadavg().map((l) => Number(l.toFixed(2)));
    say(`\n${rounds} rounds on ${name}, load average ${load.join(' ')}`);
    say(`${'first answer after a write'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    const figures: BenchFigure[] = [];
    const line = (label: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
      say(`${label.padEnd(28)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}`);
      figures.push({ measure: label, p50Ms: p50, p99Ms: p99 });
    };
    line('command → visible in every read model', lags);
    for (const [label] of ENDPOINTS) line(`GET ${label}`, times.get(label)!);
    figures.push({ measure: 'api+projector peak RSS MB', value: peakRssMb(app.pid) });
    say(`api+projector peak RSS ${peakRssMb(app.pid).toFixed(0)} MB`);
    say(`figures written to ${recordFigures('freshAnswers', { database: name, rounds, load }, figures)}`);
  } finally {
    await store.close();
    await pool.end();
    await app.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
