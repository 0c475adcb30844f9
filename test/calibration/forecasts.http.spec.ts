/**
 * The forecast endpoints over HTTP on the fixed history of forecast-history.ts (read it first):
 * every expected number below is worked by hand from that table.
 */
import request from 'supertest';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { appendDeals } from './append-history';
import { FORECAST_DEALS, FORECAST_HISTORY } from './forecast-history';

describe('forecasts held to account, over HTTP', () => {
  let t: TestApp;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
  const AS_OF = '2024-06-01T00:00:00.000Z';

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    const position = await appendDeals(t, FORECAST_DEALS, FORECAST_HISTORY);
    const res = await get(`/v1/analytics/calibration/forecasts?waitFor=${position}`).expect(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /v1/analytics/calibration/forecasts', () => {
    it('latest: W1 90 % won, W2 40 % lost, W3 80 % won too late, W4 20 % won → Brier (0.01 + 0.16 + 0.64 + 0.64)/4 = 0.3625', async () => {
      const res = await get(`/v1/analytics/calibration/forecasts?asOf=${AS_OF}`).expect(200);
      expect(res.body).toMatchObject({ metricDefinitionVersion: 'forecast-calibration/1', selection: 'latest', groupBy: 'all', cutoff: AS_OF });
      const [all] = res.body.groups;
      // W5's close date (09-30) has not passed: not scored.
      expect(all).toMatchObject({ key: null, n: 4, won: 2, baseRate: 0.5, brier: 0.3625 });
      expect(all.bins.filter((b: { n: number }) => b.n > 0)).toEqual([
        { lower: 0.2, upper: 0.3, n: 1, meanPredicted: 0.2, observedRate: 1 },
        { lower: 0.4, upper: 0.5, n: 1, meanPredicted: 0.4, observedRate: 0 },
        { lower: 0.8, upper: 0.9, n: 1, meanPredicted: 0.8, observedRate: 0 },
        { lower: 0.9, upper: 1, n: 1, meanPredicted: 0.9, observedRate: 1 },
      ]);
      // One forecast per bin: REL = Brier = 0.3625, RES = UNC = 0.25, no within-bin terms.
      expect(all.decomposition).toEqual({ reliability: 0.3625, resolution: 0.25, uncertainty: 0.25, withinBinVariance: 0, withinBinCovariance: 0 });
    });

    it('every forecast counts with selection=every; a cut-off keeps the earlier ones', async () => {
      const every = await get(`/v1/analytics/calibration/forecasts?asOf=${AS_OF}&selection=every`).expect(200);
      // W1's 70 % adds (0.3)²: 1.54 / 5.
      expect(every.body.groups[0]).toMatchObject({ n: 5, brier: 0.308 });
      const early = await get(`/v1/analytics/calibration/forecasts?asOf=${AS_OF}&cutoff=2024-01-20`).expect(200);
      // W1's latest before 01-20 is its 70 %: (0.09 + 0.16 + 0.64 + 0.64)/4.
      expect(early.body.groups[0]).toMatchObject({ n: 4, brier: 0.3825 });
    });

    it('per rep, and only close dates in [from, to)', async () => {
      const byOwner = await get(`/v1/analytics/calibration/forecasts?asOf=${AS_OF}&groupBy=owner`).expect(200);
      expect(byOwner.body.groups.map((g: { key: string; brier: number }) => [g.key, g.brier])).toEqual([
        ['ann', 0.085],
        ['bob', 0.64],
      ]);
      const march = await get(`/v1/analytics/calibration/forecasts?asOf=${AS_OF}&from=2024-03-01&to=2024-04-01`).expect(200);
      expect(march.body.groups[0]).toMatchObject({ n: 2, won: 1 });
    });

    it('400 lists every bad field', async () => {
      const res = await get('/v1/analytics/calibration/forecasts?selection=some&cutoff=soon&groupBy=deal').expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cutoff', 'groupBy', 'selection']);
    });
  });

  describe('GET /v1/forecast', () => {
    const url = `/v1/forecast?asOf=2024-03-01T00:00:00Z&horizon=90&seed=7&runs=2000`;

    it('beside the simulation: weighted pipeline 0.8·80 000 + 0.2·20 000 and the reps’ call of 80 000', async () => {
      const res = await get(url).expect(200);
      expect(res.body).toMatchObject({
        metricDefinitionVersion: 'pipeline-forecast/1',
        asOf: '2024-03-01T00:00:00.000Z',
        horizon: { days: 90, label: '90', to: '2024-05-30T00:00:00.000Z' },
        settings: { runs: 2000, seed: 7, lookbackDays: 365, commitAbove: 0.5 },
        // W3, W4 and W5 (opened at asOf) are open; W1 (40 days to WON) and W2 (49 days to LOST) are the TARGET stays learnt from.
        openDeals: 3,
        model: { completedStays: { TARGET: 2 }, arrivals: { windowDays: 60, perCurrency: [{ currency: 'EUR', opened: 5 }] } },
      });
      const [eur] = res.body.currencies;
      expect(eur).toMatchObject({ currency: 'EUR', openDeals: 3, weightedPipeline: 68000, repForecast: 80000 });
      // W3 and W4 have waited longer than any stay seen: history says nothing, so they count 0;
      // W5 (age 0) goes like W1 (won after 40 days) or W2 (lost): expected 60 000 / 2.
      expect(eur.simulation.fromOpenDeals / 30000).toBeCloseTo(1, 1);
      expect(eur.simulation.p10).toBeLessThanOrEqual(eur.simulation.p50);
      expect(eur.simulation.p50).toBeLessThanOrEqual(eur.simulation.p90);
    });

    it('gives the same answer for the same seed', async () => {
      const [a, b] = [await get(url).expect(200), await get(url).expect(200)];
      expect(a.body.currencies).toEqual(b.body.currencies);
      const other = await get(url.replace('seed=7', 'seed=8')).expect(200);
      expect(other.body.currencies[0].simulation).not.toEqual(a.body.currencies[0].simulation);
    });

    it('to the end of the quarter; 400 lists every bad field; roles as analytics', async () => {
      const q = await get('/v1/forecast?asOf=2024-03-01T00:00:00Z&horizon=quarter').expect(200);
      expect(q.body.horizon).toMatchObject({ days: 31, label: 'quarter', to: '2024-04-01T00:00:00.000Z' });
      const bad = await get('/v1/forecast?horizon=45&runs=5&seed=-1&lookbackDays=x&asOf=now').expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'horizon', 'lookbackDays', 'runs', 'seed']);
      await request(t.url).get('/v1/forecast').set('Authorization', bearer(ACTORS.rep)).expect(403);
      await request(t.url).get('/v1/forecast').set('Authorization', bearer(ACTORS.manager)).expect(200);
    });
  });

  describe('GET /v1/forecast/backtest', () => {
    const url = '/v1/forecast/backtest?from=2024-01-01&to=2024-04-01&every=month&leadTimes=30&runs=100';

    it('monthly cut-offs, 30 days ahead: the weighted pipeline and the reps’ call against what then closed', async () => {
      const res = await get(`${url}&knownBy=occurred`).expect(200);
      expect(res.body).toMatchObject({ metricDefinitionVersion: 'forecast-backtest/1', knownBy: 'occurred', every: 'month', leadTimesDays: [30] });
      expect(res.body.cutoffs).toEqual(['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
      const points = res.body.points.map((p: Record<string, unknown>) => [p.cutoff, p.actual, p.weightedPipeline, p.repForecast]);
      expect(points).toEqual([
        // Nothing won in January; no forecast yet on 01-01.
        ['2024-01-01T00:00:00.000Z', 0, 0, 0],
        // Won 02-10: W1. Forecasts closing before 03-02: W1 90 %, W2 40 %, W3 80 % → 90 000 + 20 000 + 64 000; call W1 + W3.
        ['2024-02-01T00:00:00.000Z', 100000, 174000, 180000],
        // Won: W3 03-10, W4 03-20. Open with a close before 03-31: W3 (80 %) only — W4 closes on 03-31 itself.
        ['2024-03-01T00:00:00.000Z', 100000, 64000, 80000],
      ]);
      const accuracy = (method: string) => res.body.accuracy.find((a: { method: string }) => a.method === method);
      // MAPE over the cut-offs with something won: (0.74 + 0.36)/2; bias (74 000 − 36 000)/200 000.
      expect(accuracy('weightedPipeline')).toMatchObject({ leadTimeDays: 30, currency: 'EUR', n: 3, zeroActual: 1, mape: 0.55, bias: 0.19 });
      expect(accuracy('repForecast')).toMatchObject({ n: 3, zeroActual: 1, mape: 0.5, bias: 0.3 });
      expect(accuracy('simulation')).toMatchObject({ n: 3, zeroActual: 1 });
    });

    it('knownBy=recorded: at the 2024 cut-offs nothing of this history had been recorded yet', async () => {
      const res = await get(url).expect(200);
      expect(res.body.knownBy).toBe('recorded');
      expect(res.body.points.map((p: Record<string, unknown>) => [p.actual, p.simulation, p.weightedPipeline])).toEqual([
        [0, 0, 0],
        [100000, 0, 0],
        [100000, 0, 0],
      ]);
    });

    it('400 lists every bad field, and refuses more than 104 cut-offs', async () => {
      const res = await get('/v1/forecast/backtest?every=day&leadTimes=30,45&knownBy=never&to=2024-13-01').expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['every', 'knownBy', 'leadTimes', 'to']);
      const long = await get('/v1/forecast/backtest?from=2020-01-01&to=2024-01-01&every=week').expect(400);
      expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
    });
  });
});
