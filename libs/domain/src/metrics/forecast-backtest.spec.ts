import { backtest, backtestCutoffs } from './forecast-backtest';
import { forecastPipeline } from './pipeline-forecast';
import { RepForecast } from './rep-forecast';
import { StageMove } from './stage-move';

/**
 * A history whose future is known: ten EUR deals k = 0…9 opened on day 2k of 2024 (day 0 =
 * 01-01), each amount 100·(k+1), each WON exactly 10 days after opening, each with a forecast
 * at opening of 80 % closing on its WON day. One more deal, M (EUR 10 000), opened on day 7 and
 * was LOST on day 12 — but the loss was only recorded on day 20.
 */
const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n));
const isoDay = (n: number) => day(n).toISOString().slice(0, 10);
const id = (k: number | string) => `deal-${k}`;

function move(dealId: string, revision: number, kind: StageMove['kind'], occurred: number, to: StageMove['to'], amount: number, recorded = occurred): StageMove {
  return {
    dealId,
    revision,
    kind,
    occurredAt: day(occurred),
    recordedAt: day(recorded),
    from: kind === 'opened' ? null : 'TARGET',
    to,
    owner: 'ann',
    team: 'north',
    region: 'EMEA',
    industry: 'manufacturing',
    amount,
    currency: 'EUR',
    playbookVersion: '2026.1',
    skipped: [],
    unmet: null,
  };
}

const ks = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const moves: StageMove[] = [
  ...ks.flatMap((k) => [move(id(k), 0, 'opened', 2 * k, 'TARGET', 100 * (k + 1)), move(id(k), 2, 'advanced', 2 * k + 10, 'WON', 100 * (k + 1))]),
  move(id('M'), 0, 'opened', 7, 'TARGET', 10_000),
  move(id('M'), 1, 'lost', 12, 'LOST', 10_000, 20),
];
const forecasts: RepForecast[] = ks.map((k) => ({
  dealId: id(k),
  revision: 1,
  occurredAt: day(2 * k),
  recordedAt: day(2 * k),
  probability: 80,
  expectedCloseDate: isoDay(2 * k + 10),
  owner: 'ann',
  team: 'north',
  region: 'EMEA',
  industry: 'manufacturing',
}));
const common = { moves, forecasts, runs: 200, seed: 7, lookbackDays: 365, commitAbove: 0.5 };

describe('the forecast backtest, on a history whose outcome is known', () => {
  // Cut-off day 14 (01-15), lead 5 days: window (day 14, day 19].
  //   What closed: k=3 (won day 16, 400) and k=4 (day 18, 500) → 900.
  //   Simulation, known at day 14: every TARGET stay seen so far (k = 0, 1, 2) lasted 10 days and
  //   was WON, so each open deal wins 10 days after opening: k=3 (age 8) and k=4 (age 6) inside
  //   the window, k=5…7 after it; new deals need 10 days and cannot. And M: its loss was not
  //   recorded until day 20, so at day 14 it is an open TARGET deal of age 7 → "wins" on day 17.
  //   Simulation = 900 + 10 000 = 10 900, exactly (no chance left in it).
  //   Weighted pipeline: forecasts closing before day 19 ends: k=3, k=4 → 0.8 · 900 = 720.
  //   Reps' call (> 50 %): 900.
  const result = backtest({ ...common, cutoffs: [day(14), day(50)], leadTimesDays: [5], now: day(52) });

  it('remakes the forecast with only what was recorded by the cut-off', () => {
    expect(result.points).toEqual([{ cutoff: day(14).toISOString(), leadTimeDays: 5, currency: 'EUR', actual: 900, simulation: 10_900, weightedPipeline: 720, repForecast: 900 }]);
  });

  it('scores each method: MAPE and bias by lead time (the day-50 cut-off is due only on day 55, after now, and left out)', () => {
    const of = (method: string) => result.accuracy.find((a) => a.method === method);
    expect(of('simulation')).toMatchObject({ leadTimeDays: 5, currency: 'EUR', n: 1, zeroActual: 0, mape: 10_000 / 900, bias: 10_000 / 900, meanError: 10_000 });
    expect(of('weightedPipeline')).toMatchObject({ n: 1, mape: 0.2, bias: -0.2, meanError: -180 });
    expect(of('repForecast')).toMatchObject({ n: 1, mape: 0, bias: 0, meanError: 0 });
  });

  it('knowing the loss (by business time only) the simulation is exact', () => {
    const known = forecastPipeline({ ...common, asOf: day(14), horizonsDays: [5] });
    expect(known.currencies[0].simulation).toMatchObject({ expected: 900, p10: 900, p50: 900, p90: 900, fromOpenDeals: 900, fromNewDeals: 0 });
  });
});

describe('backtest cut-offs', () => {
  it('weekly: every Monday 00:00 UTC in [from, to)', () => {
    // 2024-01-01 is a Monday.
    expect(backtestCutoffs(new Date('2023-12-30T00:00:00Z'), new Date('2024-01-15T00:00:00Z'), 'week').map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2024-01-01',
      '2024-01-08',
    ]);
  });
  it('monthly: every first of the month in [from, to)', () => {
    expect(backtestCutoffs(new Date('2024-01-15T00:00:00Z'), new Date('2024-04-01T00:00:00Z'), 'month').map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2024-02-01',
      '2024-03-01',
    ]);
  });
});
