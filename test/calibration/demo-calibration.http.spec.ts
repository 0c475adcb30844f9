/**
 * The five calibration and forecast endpoints on the demo pipeline (100 deals through the real
 * command path, a fixed seed and a fixed `now`), each answer set against the same events
 * folded independently in a few lines below: entries per stage and what became of them, gate
 * passages and overrides, the reps' forecasts and their outcomes, the open pipeline, the WON
 * amounts of each backtest window. Nothing below is copied from an answer.
 */
import { Client } from 'pg';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { DealCommandExecutor } from '../../apps/api/src/deals/deal-command.executor';
import { DemoSummary, runDemo } from '../../apps/api/src/demo/demo-pipeline';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
// Far enough in the past that every backtest window below has closed by the time the test runs.
const NOW = '2025-06-01T00:00:00.000Z';
const OPEN = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION'];

// ── The independent fold: each deal's stage entries and forecasts, from the raw events. ──
interface Move {
  to: string;
  at: number;
  revision: number;
}
interface Deal {
  amount: number;
  currency: string;
  moves: Move[];
  forecasts: { p: number; close: string; at: number; revision: number }[];
  advances: { to: string; skipped: string[]; unmet: string[] }[];
}

/** Straight from the events table (every event committed, in stream order). */
async function foldDeals(databaseUrl: string): Promise<Map<string, Deal>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client
    .query<{ stream_id: string; revision: string; type: string; data: Record<string, unknown> & { occurredAt: string } }>(
      `SELECT stream_id, stream_revision AS revision, event_type AS type, data FROM events WHERE stream_id LIKE 'deal-%' ORDER BY stream_id, stream_revision`,
    )
    .finally(() => client.end());
  const deals = new Map<string, Deal>();
  for (const { stream_id: streamId, type, data, ...e } of rows) {
    const at = Date.parse(data.occurredAt);
    // The deals as they stood at NOW, the asOf every question below is asked at.
    if (at > Date.parse(NOW)) continue;
    const revision = Number(e.revision);
    if (type === 'DealOpened') deals.set(streamId, { amount: data.amount as number, currency: data.currency as string, moves: [], forecasts: [], advances: [] });
    const deal = deals.get(streamId) as Deal;
    const to = { DealOpened: 'TARGET', StageAdvanced: data.to, StageRegressed: data.to, DealLost: 'LOST', DealReopened: data.to }[type];
    if (to) deal.moves.push({ to: to as string, at, revision });
    if (type === 'StageAdvanced') {
      const override = data.override as { unmetAtOverride: { code: string }[] } | undefined;
      deal.advances.push({ to: data.to as string, skipped: data.skipped as string[], unmet: override?.unmetAtOverride.map((u) => u.code) ?? [] });
    }
    if (type === 'ForecastUpdated') deal.forecasts.push({ p: data.probability as number, close: data.expectedCloseDate as string, at, revision });
  }
  for (const d of deals.values()) {
    d.moves.sort((a, b) => a.at - b.at || a.revision - b.revision);
    d.forecasts.sort((a, b) => a.at - b.at || a.revision - b.revision);
  }
  return deals;
}

/** The first WON or LOST after instant `after`, if any. */
const outcomeAfter = (deal: Deal, index: number) => deal.moves.slice(index + 1).find((m) => m.to === 'WON' || m.to === 'LOST');
const lastMove = (deal: Deal) => deal.moves[deal.moves.length - 1];
const latestForecast = (deal: Deal, asOf: number) => deal.forecasts.filter((f) => f.at <= asOf).pop();

describe('calibration and forecasts on the demo pipeline', () => {
  let t: TestApp;
  let summary: DemoSummary;
  let deals: Map<string, Deal>;
  const asOf = Date.parse(NOW);
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    const store = t.app.get<EventStore>(EVENT_STORE);
    summary = await runDemo(t.app.get(DealCommandExecutor), store, { deals: 100, seed: 12, now: new Date(NOW) });
    expect(summary.refused).toEqual([]);
    deals = await foldDeals(t.db.url);
    // Every read model the questions read level with the demo's last event before any is asked:
    // deal_timeline (gates, forecasts, backtest) and stage_history (stage calibration).
    for (const path of ['/v1/analytics/gates', '/v1/analytics/calibration/stages']) {
      let behind = true;
      for (let i = 0; i < 60 && behind; i++) {
        const res = await get(`${path}?asOf=${NOW}&waitFor=${summary.position}`).expect(200);
        behind = res.headers['x-projection-behind'] !== undefined;
      }
      expect({ path, behind }).toEqual({ path, behind: false });
    }
  }, 900_000);
  afterAll(async () => {
    await t?.close();
  });

  it('stage calibration: entries, outcomes and the at-risk counts are those the events give, stage by stage', async () => {
    const res = await get(`/v1/analytics/calibration/stages?asOf=${NOW}`).expect(200);
    const [all] = res.body.groups;
    expect(all.stages.map((s: { stage: string }) => s.stage)).toEqual(OPEN);
    for (const stage of OPEN) {
      // Each deal's first entry into the stage, and the time to its outcome (or to asOf, still open).
      const entries = [...deals.values()].flatMap((d) => {
        const i = d.moves.findIndex((m) => m.to === stage);
        if (i < 0) return [];
        const outcome = outcomeAfter(d, i);
        return [{ outcome: outcome?.to ?? 'open', days: ((outcome?.at ?? asOf) - d.moves[i].at) / DAY }];
      });
      const got = all.stages.find((s: { stage: string }) => s.stage === stage);
      expect({ stage, ...got }).toMatchObject({
        stage,
        entered: entries.length,
        won: entries.filter((e) => e.outcome === 'WON').length,
        lost: entries.filter((e) => e.outcome === 'LOST').length,
        open: entries.filter((e) => e.outcome === 'open').length,
      });
      expect(got.wonWithin.map((w: { days: number; atRisk: number }) => [w.days, w.atRisk])).toEqual([30, 90, 180].map((h) => [h, entries.filter((e) => e.days >= h).length]));
      for (const w of got.wonWithin) if (w.incidence !== null) expect(w.lower <= w.incidence && w.incidence <= w.upper).toBe(true);
    }
    // The verdict follows from the interval, as defined.
    const { promise } = all.stages.find((s: { stage: string }) => s.stage === 'APPROVED');
    const { lower, upper } = promise.estimate;
    expect(promise.verdict).toBe(lower > 0.5 ? 'kept' : upper <= 0.5 ? 'broken' : 'undecided');
  });

  it('gates: per criterion, met and overridden add up to the forward moves through its stage; overridden ones are those the overrides name', async () => {
    const res = await get(`/v1/analytics/gates?asOf=${NOW}`).expect(200);
    const advances = [...deals.values()].flatMap((d) => d.advances);
    expect(res.body.criteria.length).toBeGreaterThan(0);
    let overridden = 0;
    for (const c of res.body.criteria) {
      const through = advances.filter((a) => a.to === c.stage || a.skipped.includes(c.stage));
      expect({ code: c.code, n: c.met.n + c.overridden.n }).toEqual({ code: c.code, n: through.length });
      expect({ code: c.code, overridden: c.overridden.n }).toEqual({ code: c.code, overridden: through.filter((a) => a.unmet.includes(c.code)).length });
      for (const group of [c.met, c.overridden]) expect(group.won + group.lost + group.open).toBe(group.n);
      overridden += c.overridden.n;
    }
    // The demo's managers did override some criteria, and each unmet code is counted under its criterion.
    expect(overridden).toBe(advances.reduce((n, a) => n + a.unmet.length, 0));
    expect(overridden).toBeGreaterThan(0);
  });

  it('forecast calibration: the scored forecasts, their outcomes and the Brier score computed from the events', async () => {
    const res = await get(`/v1/analytics/calibration/forecasts?asOf=${NOW}`).expect(200);
    const scored = [...deals.values()].flatMap((d) => {
      const f = d.forecasts.filter((x) => x.at < asOf).pop();
      if (!f) return [];
      const endOfDay = Date.parse(`${f.close}T00:00:00Z`) + DAY;
      if (endOfDay > asOf) return [];
      const won = d.moves.find((m) => m.to === 'WON');
      return [{ p: f.p / 100, o: won && won.at < endOfDay ? 1 : 0 }];
    });
    expect(scored.length).toBeGreaterThan(10);
    const [all] = res.body.groups;
    const brier = scored.reduce((s, x) => s + (x.p - x.o) ** 2, 0) / scored.length;
    expect(all).toMatchObject({ n: scored.length, won: scored.filter((x) => x.o === 1).length });
    expect(all.brier).toBeCloseTo(brier, 6);
    const d = all.decomposition;
    expect(d.reliability - d.resolution + d.uncertainty + d.withinBinVariance - d.withinBinCovariance).toBeCloseTo(brier, 5);
    expect(all.bins.reduce((n: number, b: { n: number }) => n + b.n, 0)).toBe(scored.length);
  });

  it('forecast: the open deals, the weighted pipeline and the reps’ call as the events give them; the same seed, the same answer', async () => {
    const path = `/v1/forecast?asOf=${NOW}&horizon=90&seed=7`;
    const res = await get(path).expect(200);
    const windowEnd = asOf + 90 * DAY;
    const open = [...deals.values()].filter((d) => OPEN.includes(lastMove(d).to));
    expect(res.body.openDeals).toBe(open.length);
    expect(open.length).toBe(summary.open);
    const stays = (stage: string) => [...deals.values()].reduce((n, d) => n + d.moves.slice(0, -1).filter((m) => m.to === stage).length, 0);
    expect(res.body.model.completedStays).toEqual(Object.fromEntries(OPEN.map((s) => [s, stays(s)])));
    const currencies = [...new Set([...deals.values()].map((d) => d.currency))].sort();
    expect(res.body.currencies.map((c: { currency: string }) => c.currency)).toEqual(currencies);
    for (const c of res.body.currencies) {
      const mine = open.filter((d) => d.currency === c.currency);
      const called = mine.map((d) => ({ d, f: latestForecast(d, asOf) })).filter(({ f }) => f && Date.parse(`${f.close}T00:00:00Z`) < windowEnd);
      const weighted = called.reduce((s, { d, f }) => s + (d.amount * (f?.p ?? 0)) / 100, 0);
      const likely = called.filter(({ f }) => (f?.p ?? 0) > 50).reduce((s, { d }) => s + d.amount, 0);
      expect(c.openDeals).toBe(mine.length);
      expect(c.weightedPipeline).toBeCloseTo(weighted, 2);
      expect(c.repForecast).toBeCloseTo(likely, 2);
      const { simulation: s } = c;
      expect(s.p10 <= s.p50 && s.p50 <= s.p90).toBe(true);
      expect(s.expected).toBeCloseTo(s.fromOpenDeals + s.fromNewDeals, 1);
      // No run can win more of the open pipeline than all of it.
      expect(s.fromOpenDeals).toBeLessThanOrEqual(mine.reduce((sum, d) => sum + d.amount, 0));
      // Every demo deal opened within the year before asOf: each counts for the arrival rate.
      const arrivals = res.body.model.arrivals.perCurrency.find((a: { currency: string }) => a.currency === c.currency);
      expect(arrivals.opened).toBe([...deals.values()].filter((d) => d.currency === c.currency).length);
    }
    expect(res.body.currencies.some((c: { simulation: { expected: number } }) => c.simulation.expected > 0)).toBe(true);
    expect((await get(path).expect(200)).body).toEqual(res.body);
  });

  it('backtest: a point per cut-off, lead time and currency, whose actual is the WON amount the events give for its window', async () => {
    const res = await get(`/v1/forecast/backtest?from=2024-12-01&to=${NOW}&every=month&knownBy=occurred&seed=3`).expect(200);
    expect(res.body.cutoffs).toHaveLength(6);
    const currencies = [...new Set([...deals.values()].map((d) => d.currency))].sort();
    expect(res.body.points).toHaveLength(6 * 3 * currencies.length);
    for (const p of res.body.points) {
      const from = Date.parse(p.cutoff);
      const to = from + p.leadTimeDays * DAY;
      const won = [...deals.values()].filter((d) => d.currency === p.currency && d.moves.some((m) => m.to === 'WON' && m.at > from && m.at <= to));
      expect(p.actual).toBeCloseTo(won.reduce((s, d) => s + d.amount, 0), 2);
    }
    for (const lead of [30, 90, 180]) {
      for (const method of ['simulation', 'weightedPipeline', 'repForecast']) {
        expect(res.body.accuracy.filter((a: { leadTimeDays: number; method: string }) => a.leadTimeDays === lead && a.method === method)).toHaveLength(currencies.length);
      }
    }
    const again = await get(`/v1/forecast/backtest?from=2024-12-01&to=${NOW}&every=month&knownBy=occurred&seed=3`).expect(200);
    expect(again.body.points).toEqual(res.body.points);
  });
});
