/**
 * Commands per second over HTTP, beside the database's raw limit. The app runs in a child
 * process on a fresh database — `start:api` (the api alone), or `npm start`'s api with the
 * projector in the same process with `--projector` — and 1 and 16 clients send a realistic
 * mix: each client opens a deal and takes it through TARGET → INTENT (open, visit, visit
 * review, profile, stage move, assessment, problem, interest, stage move, assessment), then
 * the next. Beside them, on the same server: durable single-row insert transactions through
 * `pg` from as many clients (what `bench:raw` measures), and the ratio.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:commands -- --seconds 10
 *
 * Options: --seconds S per client count (default 10), --raw-seconds S (default 5),
 * --clients 1,16, --projector (api + projector in one process), --cpu-prof DIR (the app
 * writes a V8 CPU profile there when it stops). Rate limiting is raised out of the way (one
 * client would exceed the default 3,000 requests a minute); everything else runs as configured
 * by default, request logging at `info` included.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { mintToken } from '../apps/api/src/auth/mint-token';
import * as facts from '../test/api/deals/deal-facts';
import { databaseUrl, dropBenchDatabase, say, withAdmin } from './support/bench-history';
import { BenchFigure, flag, option, percentile, recordFigures } from './support/bench-figures';
import { RAW_EVENTS_TABLE, durableInserts } from './support/raw-inserts';

interface App {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU used so far by the app and by the PostgreSQL backends serving its database. */
async function cpuNow(app: App, admin: Pool, database: string): Promise<{ app: number; db: number }> {
  const backends = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  return { app: cpuMs(app.pid), db: backends.rows.reduce((sum, r) => sum + cpuMs(r.pid), 0) };
}

function textOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function startApp(url: string, port: number, withProjector: boolean, cpuProfDir: string | undefined): Promise<App> {
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register',
      'apps/api/src/main.ts',
      ...(withProjector ? [] : ['--api-only']),
    ],
    {
      env: { ...process.env, DATABASE_URL: url, PORT: String(port), NODE_ENV: 'development', RATE_LIMIT_REQUESTS: '100000000' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) {
      return { url: base, pid: child.pid as number, stop: async () => void (child.kill('SIGTERM'), await exited) };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill('SIGKILL');
  throw new Error('the app did not start');
}

/** One deal's commands, TARGET → INTENT: [path under /v1/deals/<id>/ or '' for open, body]. */
function dealScript(client: number, deal: number): [string, object][] {
  const visit = { ...facts.visit, visitId: `visit-${client}-${deal}` };
  return [
    ['', {
      account: { name: `Bench Account ${(client * 7919 + deal) % 200}`, industry: 'manufacturing', region: 'East China' },
      owner: 'bench-rep', team: 'bench', amount: 50_000 + deal, currency: 'EUR',
    }],
    ['visits', visit],
    [`visits/${visit.visitId}/review`, facts.visitReview],
    ['profile', { ...facts.profile, accountOwner: 'bench-rep' }],
    ['stage', { to: 'POTENTIAL' }],
    ['assessments', facts.assessment('REAL', 4)],
    ['problems', facts.problem],
    ['interest', facts.interest],
    ['stage', { to: 'INTENT' }],
    ['assessments', facts.assessment('WORTH', 3)],
  ];
}

/** `clients` clients sending the mix for `seconds`; latencies of every accepted command. */
async function commandsFor(app: App, tokens: string[], seconds: number): Promise<{ perSecond: number; p50: number; p99: number; count: number }> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    tokens.map(async (token, client) => {
      for (let deal = 0; Date.now() < deadline; deal++) {
        let dealId = '';
        for (const [path, body] of dealScript(client, deal)) {
          if (Date.now() >= deadline) break;
          const started = process.hrtime.bigint();
          const res = await fetch(`${app.url}/v1/deals${path ? `/${dealId}/${path}` : ''}`, {
            method: 'POST',
            headers: { Authorization: token, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
          const answer = (await res.json()) as { dealId: string };
          if (res.status !== 201) throw new Error(`${path || 'open'}: ${res.status} ${JSON.stringify(answer)}`);
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          dealId = answer.dealId;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), count: latencies.length };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const rawSeconds = option('raw-seconds', 5);
  const clientCounts = (textOption('clients') ?? '1,16').split(',').map(Number);
  const withProjector = flag('projector');
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
  const name = `funnel_cmd_${randomBytes(3).toString('hex')}`;
  await withAdmin(server, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(server, name);
  const figures: BenchFigure[] = [];
  const mode = withProjector ? 'npm start (api + projector in one process)' : 'start:api (api alone)';
  const config = loadFunnelConfig({ NODE_ENV: 'development' });
  let app: App | undefined;
  let admin: Pool | undefined;
  try {
    const pool = new Pool({ connectionString: url, max: Math.max(...clientCounts) });
    const raw = new Map<number, number>();
    try {
      await pool.query(RAW_EVENTS_TABLE);
      for (const clients of clientCounts) {
        const r = await durableInserts(pool, clients, rawSeconds);
        raw.set(clients, r.tps);
        say(`raw: durable single-row insert transactions, ${String(clients).padStart(2)} client(s): ${Math.round(r.tps).toLocaleString('en')} TPS, p50 ${r.p50.toFixed(2)} ms`);
      }
      await pool.query('DROP TABLE raw_events');
    } finally {
      await pool.end();
    }

    app = await startApp(url, option('port', 31914), withProjector, textOption('cpu-prof'));
    admin = new Pool({ connectionString: server, max: 1 });
    say(`commands over HTTP against ${mode}, ${seconds} s per client count`);
    const tokenFor = (client: number) =>
      `Bearer ${mintToken(config, { sub: 'bench-rep', name: `Bench Rep ${client}`, roles: ['rep'] })}`;
    // Warm-up: the first requests compile routes and fill connection pools.
    await commandsFor(app, [tokenFor(0), tokenFor(1)], 2);
    for (const clients of clientCounts) {
      const tokens = Array.from({ length: clients }, (_, c) => tokenFor(c));
      const before = await cpuNow(app, admin, name);
      const r = await commandsFor(app, tokens, seconds);
      const after = await cpuNow(app, admin, name);
      // Backends that came or went during the window are counted only in part: a lower bound.
      const appCpu = (after.app - before.app) / r.count;
      const dbCpu = Math.max(0, after.db - before.db) / r.count;
      const rawTps = raw.get(clients) as number;
      const measure = `commands over HTTP, ${clients} client${clients > 1 ? 's' : ''}, ${withProjector ? 'api + projector' : 'api alone'}`;
      figures.push({
        measure, perSecond: r.perSecond, p50Ms: r.p50, p99Ms: r.p99, commands: r.count, rawTps, ratioToRaw: r.perSecond / rawTps,
        appCpuMsPerCommand: appCpu, dbCpuMsPerCommand: dbCpu,
      });
      say(
        `${String(clients).padStart(2)} client(s): ${Math.round(r.perSecond).toLocaleString('en')} commands/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms ` +
          `(${r.count} commands) — raw ${Math.round(rawTps).toLocaleString('en')} TPS, ratio ${(r.perSecond / rawTps).toFixed(2)}×; ` +
          `CPU per command: app ${appCpu.toFixed(2)} ms, PostgreSQL backends ${dbCpu.toFixed(2)} ms`,
      );
    }
    recordFigures(withProjector ? 'commands-with-projector' : 'commands', { seconds, rawSeconds, clients: clientCounts, mode }, figures);
  } finally {
    await app?.stop();
    await admin?.end();
    await dropBenchDatabase(server, name);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
