/**
 * Pipeline forecast benchmark: the whole computation behind GET /v1/forecast (folding the stage
 * moves into stays, learning transitions and arrivals, the seeded Monte Carlo, the weighted
 * pipeline and the reps' call) on a generated history with N open deals. No database: this
 * times the math the endpoint runs after its two reads.
 *
 *   npm run bench:forecast -- --open 10000 --closed 20000 --runs 1000
 *
 * Prints the median and the slowest of a few repetitions.
 */
import { randomUUID } from 'node:crypto';
import { forecastPipeline } from '@funnel/domain/metrics/pipeline-forecast';
import { RepForecast } from '@funnel/domain/metrics/rep-forecast';
import { seededRandom } from '@funnel/domain/metrics/seeded-random';
import { StageMove } from '@funnel/domain/metrics/stage-move';
import { DealStatusStage, STAGES } from '@funnel/domain/playbook/stage';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const say = (message: string) => process.stdout.write(`${message}\n`);
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
    const attrs = { owner: `rep-${i % 40}`, team: `team-${i % 5}`, region: 'EMEA', industry: 'manufacturing', amount, currency, playbookVersion: '2026.1', skipped: [], unmet: null };
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

function main(): void {
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

main();
