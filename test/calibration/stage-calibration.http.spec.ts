/**
 * GET /v1/analytics/calibration/stages over HTTP on the fixed history of
 * test/analytics/analytics-history.ts (read it first): every number below is worked by hand.
 */
import request from 'supertest';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { AS_OF } from '../analytics/analytics-history';
import { appendHistory } from '../analytics/project-history';

describe('stage calibration over HTTP', () => {
  let t: TestApp;
  let position: string;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
  const stage = (group: { stages: { stage: string }[] }, name: string) => group.stages.find((s) => s.stage === name) as Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    position = await appendHistory(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('APPROVED: WON within 90 days is 1/2 by Aalen–Johansen, se 1/4 — the promise of "more than 50 %" is undecided', async () => {
    const res = await get(`/v1/analytics/calibration/stages?asOf=${AS_OF}&waitFor=${position}`).expect(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
    expect(res.body).toMatchObject({ metricDefinitionVersion: 'stage-calibration/1', asOf: AS_OF, groupBy: 'all', unit: 'days' });
    expect(res.body.promise).toEqual({ stage: 'APPROVED', withinDays: 90, probabilityAbove: 0.5, playbookVersion: '2026.1' });
    // First entries into APPROVED: D2 lost after 15 days, D1 won after 20, D3 won after 40, D6 still open (106 days at asOf).
    // t=15 n=4 lost: S=3/4; t=20 n=3 won: F=3/4·1/3=1/4, S=1/2; t=40 n=2 won: F=1/4+1/2·1/2=1/2.
    // Var F(90) = 1/48 + (1/96 + 1/24 − 1/24) + 1/32 = 1/16 (Collett's delta method, term by term).
    const approved = stage(res.body.groups[0], 'APPROVED');
    expect(approved).toMatchObject({ entered: 4, won: 2, lost: 1, open: 1 });
    expect(approved.wonWithin).toEqual([
      { days: 30, incidence: 0.25, standardError: expect.any(Number), lower: expect.any(Number), upper: expect.any(Number), atRisk: 2 },
      { days: 90, incidence: 0.5, standardError: 0.25, lower: 0.0578, upper: 0.8449, atRisk: 1 },
      // Nobody followed 180 days while D6 is undecided: unknown, not 1/2.
      { days: 180, incidence: null, standardError: null, lower: null, upper: null, atRisk: 0 },
    ]);
    expect(approved.promise).toMatchObject({ withinDays: 90, verdict: 'undecided', estimate: { incidence: 0.5, lower: 0.0578, upper: 0.8449 } });
  });

  it('PROJECT: a WON and a LOST tied at 30 days share one step, F(30) = 1/5', async () => {
    const res = await get(`/v1/analytics/calibration/stages?asOf=${AS_OF}`).expect(200);
    // D1 won 30, D4 lost 30, D2 lost 35, D5 open 39, D6 open 133 (D3 jumped over PROJECT).
    const project = stage(res.body.groups[0], 'PROJECT');
    expect(project).toMatchObject({ entered: 5, won: 1, lost: 2, open: 2 });
    expect((project.wonWithin as { incidence: number | null }[]).map((w) => w.incidence)).toEqual([0.2, 0.2, null]);
    expect(project.promise).toBeUndefined();
  });

  it('per owner at entry, and filters echoed', async () => {
    const res = await get(`/v1/analytics/calibration/stages?asOf=${AS_OF}&groupBy=owner&team=north`).expect(200);
    expect(res.body.filters).toMatchObject({ team: 'north', owner: null });
    expect(res.body.groups.map((g: { key: string }) => g.key)).toEqual(['ann', 'bob']);
    // ann: D2 lost 15, D1 won 20 → F = 1/2 from day 20; bob: D3 won at 40.
    expect(stage(res.body.groups[0], 'APPROVED')).toMatchObject({ entered: 2, promise: { estimate: { incidence: 0.5 } } });
    expect(stage(res.body.groups[1], 'APPROVED')).toMatchObject({ entered: 1, promise: { verdict: 'kept', estimate: { incidence: 1 } } });
  });

  it('takes only first entries in [from, to)', async () => {
    const res = await get(`/v1/analytics/calibration/stages?asOf=${AS_OF}&from=2024-02-01&to=2024-03-01`).expect(200);
    // D2 (02-05) and D6 (02-16) entered APPROVED in February.
    expect(stage(res.body.groups[0], 'APPROVED')).toMatchObject({ entered: 2, won: 0, lost: 1, open: 1 });
  });

  it('gates: per criterion, the deals that entered with it met against those let in by an override of it', async () => {
    const res = await get(`/v1/analytics/gates?asOf=${AS_OF}&waitFor=${position}`).expect(200);
    expect(res.body).toMatchObject({ metricDefinitionVersion: 'gate-effectiveness/1', asOf: AS_OF, unit: 'days' });
    // The history's moves say playbook "default/1", which this service does not know: its criteria are read from 2026.1.
    expect(res.body.playbookVersions).toEqual([{ playbookVersion: 'default/1', criteriaFrom: '2026.1' }]);
    const criterion = (code: string) => res.body.criteria.find((c: { code: string }) => c.code === code);
    // Into APPROVED: D1 won 20 days later, D2 lost after 15, D6 open — all through the gate;
    // D3 jumped in by an override that left "worth winning" unmet, and won 40 days later.
    expect(criterion('APPROVED.WORTH_WINNING')).toEqual({
      playbookVersion: 'default/1',
      stage: 'APPROVED',
      code: 'APPROVED.WORTH_WINNING',
      met: { n: 3, won: 1, lost: 1, open: 1, winRate: 0.5, medianDaysToWon: 20, medianDaysToClose: 17.5 },
      overridden: { n: 1, won: 1, lost: 0, open: 0, winRate: 1, medianDaysToWon: 40, medianDaysToClose: 40 },
    });
    // Into PROJECT: D1 (won after 30), D2 (lost 35), D4 (lost 30), D5 and D6 twice (open), and D3's jump over it (won 40).
    expect(criterion('PROJECT.REAL_POSITIVE')).toMatchObject({
      met: { n: 7, won: 2, lost: 2, open: 3, winRate: 0.5, medianDaysToWon: 35, medianDaysToClose: 32.5 },
      overridden: { n: 0, winRate: null },
    });
    const bad = await get('/v1/analytics/gates?asOf=later&owner=').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'owner']);
  });

  it('400 lists every bad field; roles as the other analytics', async () => {
    const res = await get('/v1/analytics/calibration/stages?asOf=yesterday&groupBy=region&from=2024-02-30').expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'from', 'groupBy']);
    await request(t.url).get('/v1/analytics/calibration/stages').set('Authorization', bearer(ACTORS.rep)).expect(403);
    await request(t.url).get('/v1/analytics/calibration/stages').set('Authorization', bearer(ACTORS.manager)).expect(200);
    await request(t.url).get('/v1/analytics/calibration/stages').set('Authorization', bearer(ACTORS.auditor)).expect(200);
  });
});
