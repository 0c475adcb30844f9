/**
 * The Maven CRM sample imported through the real store and projections, then asked over HTTP:
 * win rate by count (overall, by region, by owner) and cycle time from the stage engage_date
 * maps to, to WON, must equal what a few lines of independent code compute from the CSV.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { resolveMapping } from '@funnel/importers/mapping/import-mapping';
import { importHistoryFile, ImportSummary } from '@funnel/importers/run/import-history-file';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { fileSource, MAVEN_DIR } from './support/files';

// ── Independent code over the CSV: split lines and commas (the sample has no quoted fields). ──
const csv = (name: string) =>
  readFileSync(join(MAVEN_DIR, name), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
const regionOf = new Map(csv('sales_teams.csv').map(([agent, , region]) => [agent, region]));
const pipeline = csv('sales_pipeline.csv').map(([id, agent, , , stage, engage, close]) => ({ id, agent, stage, engage, close, region: regionOf.get(agent) }));
const rate = (rows: typeof pipeline) => {
  const won = rows.filter((r) => r.stage === 'Won').length;
  const lost = rows.filter((r) => r.stage === 'Lost').length;
  return { won, lost, byCount: Math.round((won / (won + lost)) * 10_000) / 10_000 };
};
const cycleDays = pipeline.filter((r) => r.stage === 'Won').map((r) => (Date.parse(r.close) - Date.parse(r.engage)) / 86_400_000).sort((a, b) => a - b);
const quantile = (sorted: number[], p: number) => {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
};
const round2 = (x: number) => Math.round(x * 100) / 100;

describe('importing the Maven CRM sample', () => {
  let t: TestApp;
  let store: EventStore;
  let first: ImportSummary;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
  const run = (dryRun: boolean) =>
    importHistoryFile(store, {
      format: 'maven',
      source: fileSource(join(MAVEN_DIR, 'sales_pipeline.csv')),
      companion: fileSource(join(MAVEN_DIR, 'sales_teams.csv')),
      mapping: resolveMapping('maven'),
      actor: { id: 'mia', name: 'Mia Manager', roles: ['manager'] },
      dryRun,
      correlationId: 'c0ffee00-0000-4000-8000-000000000008',
      now: new Date('2026-01-01T00:00:00Z'),
      concurrency: 8,
    });

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    store = t.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates in a dry run without appending anything', async () => {
    const dry = await run(true);
    expect(dry).toMatchObject({ dryRun: true, rowsRead: 8800, deals: 8800, refused: 0, position: null });
    expect(await store.headPosition()).toBeNull();
  }, 600_000);

  it('imports every row: one opening per deal and one more event per closed deal, none refused', async () => {
    first = await run(false);
    const closed = pipeline.filter((r) => r.close !== '').length;
    expect(first).toMatchObject({ format: 'maven', file: 'sales_pipeline.csv', rowsRead: 8800, deals: 8800, eventsAppended: 8800 + closed, skipped: 0, refused: 0, problems: [] });
    expect(first.position).not.toBeNull();
  }, 600_000);

  it('gives the win rate by count the CSV gives, overall, by region and by owner', async () => {
    // ?waitFor= waits 5 s at most; on a busy machine the projections may need longer for 15,000 events.
    for (let i = 0; i < 60; i++) {
      const res = await get(`/v1/analytics/conversion?waitFor=${first.position}`).expect(200);
      if (res.headers['x-projection-behind'] === undefined) break;
    }
    const overall = await get(`/v1/analytics/conversion?waitFor=${first.position}`).expect(200);
    expect(overall.headers['x-projection-behind']).toBeUndefined();
    expect(overall.body.winRate).toMatchObject(rate(pipeline));
    for (const region of ['Central', 'East', 'West']) {
      const res = await get(`/v1/analytics/conversion?region=${region}`).expect(200);
      expect(res.body.winRate).toMatchObject(rate(pipeline.filter((r) => r.region === region)));
    }
    for (const owner of ['Darcel Schlecht', 'Moses Frase', 'Versie Hillebrand']) {
      const res = await get(`/v1/analytics/conversion?owner=${encodeURIComponent(owner)}`).expect(200);
      expect(res.body.winRate).toMatchObject(rate(pipeline.filter((r) => r.agent === owner)));
    }
  });

  it('gives the cycle time from engagement (POTENTIAL) to WON the CSV gives', async () => {
    const res = await get(`/v1/analytics/cycle-time?fromStage=POTENTIAL&waitFor=${first.position}`).expect(200);
    const mean = cycleDays.reduce((a, b) => a + b, 0) / cycleDays.length;
    expect(res.body.cycle).toEqual({
      n: cycleDays.length,
      mean: round2(mean),
      median: round2(quantile(cycleDays, 0.5)),
      p75: round2(quantile(cycleDays, 0.75)),
      p90: round2(quantile(cycleDays, 0.9)),
    });
    expect(res.body.wonWithoutFromStage).toBe(0);
  });

  it('lists none of the imported moves as an override or skip, and counts no override', async () => {
    const res = await get(`/v1/anomalies?kind=stages_skipped&waitFor=${first.position}`).expect(200);
    expect(res.body.count).toBe(0);
    const gates = await get(`/v1/anomalies?kind=gate_overridden`).expect(200);
    expect(gates.body.count).toBe(0);
  });

  it('appends nothing when the same file is imported again', async () => {
    const head = await store.headPosition();
    const again = await run(false);
    expect(again).toMatchObject({ rowsRead: 8800, deals: 8800, eventsAppended: 0, skipped: first.eventsAppended, refused: 0, position: null });
    expect(await store.headPosition()).toEqual(head);
  }, 600_000);
});
