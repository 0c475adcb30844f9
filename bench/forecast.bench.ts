/**
 * Pipeline forecast benchmark, two modes.
 *
 * The math alone (default): the computation behind GET /v1/forecast (learning transitions and
 * arrivals, the seeded Monte Carlo, the weighted pipeline and the reps' call) on a generated
 * history with N open deals, in this process, no database. Prints the median and the slowest of
 * a few repetitions.
 *
 *   npm run bench:forecast -- --open 10000 --closed 20000 --runs 1000
 *
 * End to end (--http): the api (`start:api`, a child process) over a database holding
 * --open deals still open and --closed deals won or lost (the analytics generator's real event
 * shapes, every projection live), GET /v1/forecast asked --requests times over HTTP as of the
 * end of that history (its basis read for every request) and as of the newest instant in it (the
 * dashboard's "now": the basis kept between requests): p50/p99 wall time, and the api process's
 * CPU time per request.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:forecast -- --http --open 10000 --closed 20000
 *
 * Options (--http): --requests R (default 20), --runs (default: the endpoint's, 500), --database
 * NAME (default funnel_forecast_<open>_<closed>; reused when it already holds the history).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DealEvent } from '@funnel/domain/deal/deal.events';
import { forecastPipeline } from '@funnel/domain/metrics/pipeline-forecast';
import { RepForecast } from '@funnel/domain/metrics/rep-forecast';
import { seededRandom } from '@funnel/domain/metrics/seeded-random';
import { StageMove } from '@funnel/domain/metrics/stage-move';
import { DealStatusStage, STAGES } from '@funnel/domain/playbook/stage';
import { GeneratedDeal, generateDealHistories } from '@funnel/read-models/testing/deal-history.generator';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { mintToken } from '../apps/api/src/auth/mint-token';
import { cpuMs, peakRssMb, startApi } from './support/bench-api';
import { ensureBenchHistory, say } from './support/bench-history';
import { BenchFigure, flag, option, percentile, recordFigures, timed } from './support/bench-figures';
const DAY = 86_400_000;
const AS_OF = new Date('2025-01-01T00:00:00Z');

/** A deal's moves: opened, then forward a stage at a time (sometimes back), ending WON, LOST or still open. */
function history(open: number, closed: number): { moves: StageMove[]; forecasts: RepForecast[] } {
  const random = seededRandom(2025);
  const moves: StageMove[] = [];
  const forecasts: RepForecast[] = [];
  const currencies = ['EUR', 'USD', 'CNY'];
  for (let i = 0; i < open + closed; i++) {
    const stillOpen = i < open;
    const dealId = randomUUID();
    const currency = currencies[i % 3];
    const amount = 10_000 + Math.floor(random() * 190_000);
    const attrs = { owner: `rep-${i % 40}`, team: `team-${i % 5}`, region: 'EMEA', industry: 'manufacturing', amount, currency, playbookVersion: '2026.1', skipped: [], unmet: null, imported: false };
    let at = AS_OF.getTime() - (stillOpen ? 200 : 700) * DAY * random() - (stillOpen ? 0 : 200 * DAY);
    let stage = 0;
    let revision = 0;
    const push = (kind: StageMove['kind'], from: DealStatusStage | null, to: DealStatusStage) =>
      moves.push({ dealId, revision: revision++, kind, occurredAt: new Date(at), recordedAt: new Date(at), from, to, ...attrs });
    push('opened', null, 'TARGET');
    const target = stillOpen ? Math.floor(random() * 6) : 6;
    while (stage < target) {
      at += (2 + random() * 40) * DAY;
      if (!stillOpen && random() < 0.12) {
        push('lost', STAGES[stage], 'LOST');
        break;
      }
      push('advanced', STAGES[stage], STAGES[stage + 1]);
      stage += 1;
    }
    if (stage >= 3) forecasts.push({ dealId, revision: revision++, occurredAt: new Date(at), recordedAt: new Date(at), probability: 10 + Math.floor(random() * 85), expectedCloseDate: new Date(at + 60 * DAY).toISOString().slice(0, 10), ...attrs });
  }
  return { moves, forecasts };
}

function mathOnly(): void {
  const open = option('open', 10_000);
  const closed = option('closed', 20_000);
  const runs = option('runs', 1000);
  const repeat = option('repeat', 5);
  const { moves, forecasts } = history(open, closed);
  say(`forecast bench: ${open} open deals, ${closed} closed, ${moves.length} stage moves, ${forecasts.length} forecasts, ${runs} runs, horizon 90 days`);
  const wall: number[] = [];
  const cpu: number[] = [];
  let openDeals = 0;
  for (let r = 0; r < repeat; r++) {
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    const result = forecastPipeline({ moves, forecasts, asOf: AS_OF, horizonsDays: [90], runs, seed: 1, lookbackDays: 365, commitAbove: 0.5 });
    const used = process.cpuUsage(cpuStarted);
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    // CPU time (user + system) says what the machine's load does not: wall time on a shared machine includes waiting for a core.
    cpu.push((used.user + used.system) / 1000);
    openDeals = result.openDeals;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  say(`open deals forecast: ${openDeals}`);
  say(`forecastPipeline: wall median ${median(wall).toFixed(0)} ms (slowest ${Math.max(...wall).toFixed(0)} ms), CPU median ${median(cpu).toFixed(0)} ms, ${repeat} repetitions`);
}

/** Whether a generated deal is still open at the end of its history (not WON, not LOST since its last reopening). */
function stillOpen(events: readonly DealEvent[]): boolean {
  let open = true;
  for (const e of events) {
    if (e.type === 'DealLost') open = false;
    else if (e.type === 'DealReopened') open = true;
    else if (e.type === 'StageAdvanced' && e.data.to === 'WON') open = false;
  }
  return open;
}

// The generator's history: deals opened over 540 days from HISTORY_FROM, nothing after HISTORY_END.
const HISTORY_FROM = new Date('2024-01-01T00:00:00Z');
const HISTORY_END = new Date(HISTORY_FROM.getTime() + 660 * DAY);

/**
 * `closed` deals won or lost, from the generator's usual 540 days of openings; then `open` deals
 * still open at the end, from deals opened in its last 180 days (most deals of the first stream
 * are closed by then). Two seeds, so no deal id repeats.
 */
function* openAndClosedDeals(open: number, closed: number): Generator<GeneratedDeal> {
  let kept = 0;
  for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed: 42, from: HISTORY_FROM, spanDays: 540, until: HISTORY_END })) {
    if (kept === closed) break;
    if (stillOpen(deal.events)) continue;
    kept++;
    yield deal;
  }
  kept = 0;
  const recent = new Date(HISTORY_END.getTime() - 180 * DAY);
  for (const deal of generateDealHistories({ deals: Number.MAX_SAFE_INTEGER, seed: 4242, from: recent, spanDays: 180, until: HISTORY_END })) {
    if (kept === open) break;
    if (!stillOpen(deal.events)) continue;
    kept++;
    yield deal;
  }
}

async function endToEnd(): Promise<void> {
  const open = option('open', 10_000);
  const closed = option('closed', 20_000);
  const requests = option('requests', 20);
  const runs = process.argv.includes('--runs') ? `&runs=${option('runs', 500)}` : '';
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
  const name = process.argv.includes('--database') ? process.argv[process.argv.indexOf('--database') + 1] : `funnel_forecast_${open}_${closed}`;
  const history = await ensureBenchHistory(server, name, open + closed, 42, () => openAndClosedDeals(open, closed));
  say(`history: ${open.toLocaleString('en')} open + ${closed.toLocaleString('en')} closed deals, ${history.events.toLocaleString('en')} events in ${name}${history.reused ? ' (reused)' : ''}`);

  // The newest business time in the read model: asked as of then, the forecast is the dashboard's
  // question ("now", with nothing later recorded), whose basis the api keeps between requests.
  const pool = new Pool({ connectionString: history.url, max: 1 });
  const newest = await pool
    .query<{ at: Date }>('SELECT greatest((SELECT max(occurred_at) FROM rm.stage_moves), (SELECT max(occurred_at) FROM rm.forecast_updates)) AS at')
    .finally(() => pool.end());
  const api = await startApi(history.url, option('port', 31914));
  const token = `Bearer ${mintToken(loadFunnelConfig({ NODE_ENV: 'development' }), { sub: 'bench-analyst', name: 'Bench Analyst', roles: ['analyst'] })}`;
  const figures: BenchFigure[] = [];
  try {
    for (const [label, asOf] of [
      ['end of history, basis read per request', HISTORY_END],
      ['newest instant, basis kept', newest.rows[0].at],
    ] as const) {
      const path = `/v1/forecast?asOf=${asOf.toISOString()}&horizon=90${runs}`;
      const get = async () => {
        const cpuBefore = cpuMs(api.pid);
        const res = await fetch(`${api.url}${path}`, { headers: { Authorization: token } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
        return { body, cpu: cpuMs(api.pid) - cpuBefore };
      };
      const cold = await timed(get);
      const answer = JSON.parse(cold.result.body) as { openDeals: number; settings: { runs: number } };
      say(`\n${label}: GET ${path}: ${answer.openDeals.toLocaleString('en')} open deals forecast, ${answer.settings.runs} runs, ${cold.result.body.length} bytes`);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < requests; i++) {
        const { result, ms } = await timed(get);
        // The same seed must give the same answer, request after request.
        if (result.body !== cold.result.body) throw new Error('two answers for the same seed differ');
        wall.push(ms);
        cpu.push(result.cpu);
      }
      wall.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      figures.push(
        { measure: `GET /v1/forecast (${label}) wall ms`, coldMs: cold.ms, p50Ms: percentile(wall, 0.5), p99Ms: percentile(wall, 0.99) },
        { measure: `GET /v1/forecast (${label}) api CPU ms`, coldMs: cold.result.cpu, p50Ms: percentile(cpu, 0.5), p99Ms: percentile(cpu, 0.99) },
      );
      say(`wall: cold ${cold.ms.toFixed(0)} ms, p50 ${percentile(wall, 0.5).toFixed(0)} ms, p99 ${percentile(wall, 0.99).toFixed(0)} ms over ${requests} requests (identical answers)`);
      say(`api CPU: cold ${cold.result.cpu} ms, p50 ${percentile(cpu, 0.5).toFixed(0)} ms, p99 ${percentile(cpu, 0.99).toFixed(0)} ms (the database's own CPU not included)`);
    }
    figures.push({ measure: 'api peak RSS MB', value: peakRssMb(api.pid) });
    say(`\napi peak RSS ${peakRssMb(api.pid).toFixed(0)} MB`);
    recordFigures('forecast', { open, closed, events: history.events, requests }, figures);
  } finally {
    await api.stop();
  }
}

if (flag('http')) {
  endToEnd().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  mathOnly();
}
