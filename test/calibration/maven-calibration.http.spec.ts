/**
 * The five calibration and forecast endpoints on the imported Maven CRM sample (8,800
 * opportunities: engage_date enters POTENTIAL, close_date WON or LOST; no forecasts, no gates),
 * each answer set against what a few lines over the CSV give: entries per stage, WON within
 * 30/90/180 days of engagement, open deals and completed stays at a past instant, the WON
 * amount of each backtest window. Nothing below is copied from an answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { resolveMapping } from '@funnel/importers/mapping/import-mapping';
import { importHistoryFile, ImportSummary } from '@funnel/importers/run/import-history-file';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { fileSource, MAVEN_DIR } from '../importers/support/files';

const DAY = 86_400_000;
// ── Independent code over the CSV (no quoted fields in the sample; dates are days, 00:00 UTC). ──
const rows = readFileSync(join(MAVEN_DIR, 'sales_pipeline.csv'), 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => l.split(','))
  .map(([, , , , stage, engage, close, value]) => ({
    stage,
    engaged: engage ? Date.parse(`${engage}T00:00:00Z`) : null,
    closed: close ? Date.parse(`${close}T00:00:00Z`) : null,
    value: Number(value || 0),
  }));
const engaged = rows.filter((r) => r.engaged !== null) as { stage: string; engaged: number; closed: number | null; value: number }[];
const won = engaged.filter((r) => r.stage === 'Won') as { engaged: number; closed: number; value: number }[];

describe('calibration and forecasts on the imported Maven CRM sample', () => {
  let t: TestApp;
  let imported: ImportSummary;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    imported = await importHistoryFile(t.app.get<EventStore>(EVENT_STORE), {
      format: 'maven',
      source: fileSource(join(MAVEN_DIR, 'sales_pipeline.csv')),
      companion: fileSource(join(MAVEN_DIR, 'sales_teams.csv')),
      mapping: resolveMapping('maven'),
      actor: { id: 'mia', name: 'Mia Manager', roles: ['manager'] },
      dryRun: false,
      correlationId: 'c0ffee00-0000-4000-8000-000000000012',
      now: new Date('2026-01-01T00:00:00Z'),
      concurrency: 8,
    });
    expect(imported).toMatchObject({ rowsRead: 8800, refused: 0 });
    // ?waitFor= waits 5 s at most; on a busy machine the projections may need longer for 15,000 events.
    // Both read models the questions read: deal_timeline (gates) and stage_history (stage calibration).
    for (const path of ['/v1/analytics/gates', '/v1/analytics/calibration/stages']) {
      let behind = true;
      for (let i = 0; i < 60 && behind; i++) {
        const res = await get(`${path}?waitFor=${imported.position}`).expect(200);
        behind = res.headers['x-projection-behind'] !== undefined;
      }
      expect({ path, behind }).toEqual({ path, behind: false });
    }
  }, 900_000);
  afterAll(async () => {
    await t?.close();
  });

  it('stage calibration: engagement enters POTENTIAL; WON within 30/90/180 days is the CSV’s share, nobody being censored that early', async () => {
    // A year after the last date of the file: every open deal has been followed for more than 180 days.
    const asOf = Date.parse('2019-01-01T00:00:00Z');
    const res = await get(`/v1/analytics/calibration/stages?asOf=2019-01-01`).expect(200);
    const stage = (name: string) => res.body.groups[0].stages.find((s: { stage: string }) => s.stage === name);
    expect(stage('POTENTIAL')).toMatchObject({
      entered: engaged.length,
      won: won.length,
      lost: engaged.filter((r) => r.stage === 'Lost').length,
      open: engaged.filter((r) => r.stage === 'Engaging').length,
    });
    const days = engaged.map((r) => ((r.closed ?? asOf) - r.engaged) / DAY);
    for (const w of stage('POTENTIAL').wonWithin) {
      expect(w.incidence).toBeCloseTo(won.filter((r) => r.closed - r.engaged <= w.days * DAY).length / engaged.length, 4);
      expect(w.atRisk).toBe(days.filter((d) => d >= w.days).length);
    }
    // Prospecting rows open in TARGET (dated at the file's latest date) and go nowhere.
    const prospecting = rows.filter((r) => r.stage === 'Prospecting').length;
    expect(stage('TARGET')).toMatchObject({ entered: prospecting, won: 0, lost: 0, open: prospecting });
    for (const s of ['INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION']) expect(stage(s).entered).toBe(0);
  });

  it('gates and forecast calibration: imported history passed no gate of ours and holds no forecast', async () => {
    const gates = await get('/v1/analytics/gates').expect(200);
    for (const c of gates.body.criteria) expect(c.met.n + c.overridden.n).toBe(0);
    const forecasts = await get('/v1/analytics/calibration/forecasts').expect(200);
    expect(forecasts.body.groups.reduce((n: number, g: { n: number }) => n + g.n, 0)).toBe(0);
  });

  it('forecast at mid-2017: the open deals and the completed stays the CSV gives; no forecast to weigh', async () => {
    const asOf = Date.parse('2017-06-30T12:00:00Z');
    const path = '/v1/forecast?asOf=2017-06-30T12:00:00Z&horizon=90&seed=4';
    const res = await get(path).expect(200);
    const known = engaged.filter((r) => r.engaged <= asOf);
    const open = known.filter((r) => r.closed === null || r.closed > asOf);
    expect(res.body.openDeals).toBe(open.length);
    expect(res.body.model.completedStays).toMatchObject({ TARGET: 0, POTENTIAL: known.length - open.length, INTENT: 0 });
    // Less than a year of history: the rate is measured since the first engagement.
    const first = Math.min(...known.map((r) => r.engaged));
    const windowDays = (asOf - first) / DAY;
    expect(res.body.model.arrivals.windowDays).toBeCloseTo(windowDays, 2);
    expect(res.body.model.arrivals.perCurrency).toEqual([{ currency: 'USD', perDay: expect.any(Number), opened: known.length }]);
    expect(res.body.model.arrivals.perCurrency[0].perDay).toBeCloseTo(known.length / windowDays, 4);
    const [usd] = res.body.currencies;
    expect(usd).toMatchObject({ currency: 'USD', openDeals: open.length, weightedPipeline: 0, repForecast: 0 });
    // A deal's amount is its close_value (an Engaging row has none): no run wins more of the open
    // deals than all of them.
    expect(usd.simulation.fromOpenDeals).toBeGreaterThan(0);
    expect(usd.simulation.fromOpenDeals).toBeLessThanOrEqual(open.reduce((s, r) => s + r.value, 0));
    // New deals start in TARGET, where no imported deal ever stayed (none completed, see above):
    // history has nothing to say about them, so they win nothing.
    expect(usd.simulation.fromNewDeals).toBe(0);
    expect(usd.simulation.p10 <= usd.simulation.p50 && usd.simulation.p50 <= usd.simulation.p90).toBe(true);
    expect((await get(path).expect(200)).body).toEqual(res.body);
  });

  it('backtest over the first half of 2017: each window’s actual is the close_value of the rows Won in it', async () => {
    const res = await get('/v1/forecast/backtest?from=2017-01-01&to=2017-07-01&every=month&knownBy=occurred').expect(200);
    expect(res.body.cutoffs).toHaveLength(6);
    expect(res.body.points).toHaveLength(6 * 3);
    for (const p of res.body.points) {
      const from = Date.parse(p.cutoff);
      const to = from + p.leadTimeDays * DAY;
      expect(p).toMatchObject({ currency: 'USD', weightedPipeline: 0, repForecast: 0 });
      expect(p.actual).toBeCloseTo(won.filter((r) => r.closed > from && r.closed <= to).reduce((s, r) => s + r.value, 0), 2);
    }
    expect(res.body.accuracy.map((a: { method: string; leadTimeDays: number }) => `${a.method}/${a.leadTimeDays}`).sort()).toEqual(
      ['simulation', 'weightedPipeline', 'repForecast'].flatMap((m) => [30, 90, 180].map((l) => `${m}/${l}`)).sort(),
    );
    // Recorded now, not in 2017: a backtest of what was recorded by each cut-off sees nothing.
    const recorded = await get('/v1/forecast/backtest?from=2017-01-01&to=2017-07-01&every=month').expect(200);
    for (const p of recorded.body.points) expect(p.simulation).toBe(0);
  });
});
