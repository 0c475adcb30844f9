/**
 * The analysts' queries over HTTP, on the fixed history of analytics-history.ts (read it first:
 * every expected number below is computed by hand from that table).
 */
import request from 'supertest';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { AS_OF, DEAL } from './analytics-history';
import { appendHistory } from './project-history';

describe('analytics over HTTP', () => {
  let t: TestApp;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    const position = await appendHistory(t);
    // Read-your-writes: wait until every projection these endpoints read has the whole history.
    const res = await get(`/v1/analytics/reps?waitFor=${position}`).expect(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /v1/analytics/dwell-times', () => {
    it('PROJECT: the naive median of ended stays is 15 days, Kaplan–Meier with the open stay censored 20', async () => {
      const res = await get(`/v1/analytics/dwell-times?asOf=${AS_OF}`).expect(200);
      expect(res.body.metricDefinitionVersion).toBe('dwell-times/1');
      expect(res.body.asOf).toBe(AS_OF);
      const project = res.body.stages.find((s: { stage: string }) => s.stage === 'PROJECT');
      // Ended: D6 5 (regressed), D1 10, D6 15, D2 20, D4 30 (lost) — p90: h = 3.6 → 20 + 0.6·10.
      expect(project.perStay).toEqual({ n: 5, mean: 16, median: 15, p75: 20, p90: 26 });
      // Per deal: D1 10, D2 20, D6 5 + 15, D4 30; D5 is still in PROJECT.
      expect(project.perDeal).toEqual({ n: 4, mean: 20, median: 20, p75: 22.5, p90: 27 });
      expect(project.openStays).toBe(1);
      // 5+ 10 15 20 30+ 39+ (D5 open 04-23 → 06-01): S(10) = 4/5, S(15) = 0.6, S(20) = 0.4.
      expect(project.kaplanMeier).toEqual({ n: 6, events: 3, censored: 3, median: 20 });
    });

    it("filters by the stay's owner and echoes the filters", async () => {
      const res = await get(`/v1/analytics/dwell-times?asOf=${AS_OF}&owner=ann`).expect(200);
      expect(res.body.filters).toEqual({ owner: 'ann', team: null, region: null, industry: null, from: null, to: null });
      const project = res.body.stages.find((s: { stage: string }) => s.stage === 'PROJECT');
      // D1 10, D2 20, both advanced: S(10) = 1/2 ≤ 0.5, so the KM median is 10 while the naive one is 15.
      expect(project.perStay).toMatchObject({ n: 2, median: 15 });
      expect(project.kaplanMeier).toEqual({ n: 2, events: 2, censored: 0, median: 10 });
    });

    it('counts only stays entered in [from, to)', async () => {
      const res = await get(`/v1/analytics/dwell-times?asOf=${AS_OF}&from=2024-02-01&to=2024-05-01`).expect(200);
      const project = res.body.stages.find((s: { stage: string }) => s.stage === 'PROJECT');
      // D6's second stay (02-01, 15 days) and D5's open one (04-23).
      expect(project.perStay).toMatchObject({ n: 1, median: 15 });
      expect(project.kaplanMeier).toEqual({ n: 2, events: 1, censored: 1, median: 15 });
    });
  });

  describe('GET /v1/analytics/conversion', () => {
    const stage = (body: { stages: { stage: string }[] }, name: string) => body.stages.find((s) => s.stage === name);

    it('strict: D3 jumped over PROJECT, so it neither entered PROJECT nor left INTENT for it', async () => {
      const res = await get('/v1/analytics/conversion?skipPolicy=strict').expect(200);
      expect(res.body.metricDefinitionVersion).toBe('conversion/1');
      expect(res.body.filters.skipPolicy).toBe('strict');
      expect(stage(res.body, 'INTENT')).toMatchObject({ next: 'PROJECT', entered: 6, reachedNext: 5, won: 2 });
      expect(stage(res.body, 'PROJECT')).toMatchObject({ entered: 5, reachedNext: 3, won: 1, toNextRate: 0.6, toWonRate: 0.2 });
    });

    it('any: the jump counts as passing PROJECT', async () => {
      const res = await get('/v1/analytics/conversion?skipPolicy=any').expect(200);
      expect(stage(res.body, 'INTENT')).toMatchObject({ entered: 6, reachedNext: 6, won: 2 });
      expect(stage(res.body, 'PROJECT')).toMatchObject({ entered: 6, reachedNext: 4, won: 2 });
    });

    it('groups cohorts by the month of first entry, and takes cohorts only from the period', async () => {
      const all = await get('/v1/analytics/conversion').expect(200);
      expect(all.body.filters.skipPolicy).toBe('strict');
      expect(stage(all.body, 'INTENT')).toMatchObject({
        cohorts: [
          { cohort: '2024-01', entered: 5, reachedNext: 4, won: 2, toNextRate: 0.8, toWonRate: 0.4 },
          { cohort: '2024-02', entered: 1, reachedNext: 1, won: 0, toNextRate: 1, toWonRate: 0 },
        ],
      });
      const january = await get('/v1/analytics/conversion?from=2024-01-01&to=2024-02-01&skipPolicy=any').expect(200);
      expect(stage(january.body, 'INTENT')).toMatchObject({ entered: 5, reachedNext: 5, won: 2 });
    });

    it('win rate of the deals closed in the period, by count and by amount', async () => {
      const all = await get('/v1/analytics/conversion').expect(200);
      // Won D1 100 000 + D3 200 000, lost D2 50 000 + D4 80 000: 300 000 / 430 000.
      expect(all.body.winRate).toEqual({
        metricDefinitionVersion: 'win-rate/1',
        won: 2,
        lost: 2,
        byCount: 0.5,
        byAmount: [{ currency: 'EUR', wonAmount: 300000, lostAmount: 130000, rate: 0.6977 }],
      });
      const lateFebruary = await get('/v1/analytics/conversion?from=2024-02-15&to=2024-03-01').expect(200);
      expect(lateFebruary.body.winRate).toMatchObject({ won: 0, lost: 2, byCount: 0 });
    });
  });

  describe('GET /v1/analytics/cycle-time', () => {
    it('days from opened to won, and sales velocity', async () => {
      const res = await get('/v1/analytics/cycle-time').expect(200);
      expect(res.body.metricDefinitionVersion).toBe('cycle-time/1');
      expect(res.body.measuredFrom).toBe('opened');
      // D1 01-01 → 02-14 = 44 days, D3 01-03 → 03-03 = 60 days.
      expect(res.body.cycle).toEqual({ n: 2, mean: 52, median: 52, p75: 56, p90: 58.4 });
      // EUR: 1 open (D7) × 150 000 average won × 0.5 / 52 days; USD has open deals but no won one.
      expect(res.body.salesVelocity).toEqual({
        metricDefinitionVersion: 'sales-velocity/1',
        winRate: 0.5,
        medianCycleDays: 52,
        byCurrency: [
          { currency: 'EUR', openDeals: 1, averageWonAmount: 150000, perDay: 1442.31 },
          { currency: 'USD', openDeals: 2, averageWonAmount: null, perDay: null },
        ],
      });
    });

    it('from a stage: strict leaves out the deal that skipped it, any measures from the jump', async () => {
      const strict = await get('/v1/analytics/cycle-time?fromStage=PROJECT').expect(200);
      // D1 PROJECT 01-15 → WON 02-14.
      expect(strict.body.cycle).toMatchObject({ n: 1, median: 30 });
      expect(strict.body.wonWithoutFromStage).toBe(1);
      const any = await get('/v1/analytics/cycle-time?fromStage=PROJECT&skipPolicy=any').expect(200);
      // D3 passed PROJECT on 01-23 and was won 03-03: 40 days.
      expect(any.body.cycle).toMatchObject({ n: 2, median: 35, mean: 35 });
      expect(any.body.wonWithoutFromStage).toBe(0);
    });
  });

  describe('GET /v1/analytics/reps', () => {
    const period = 'from=2024-01-01&to=2024-03-01';

    it('per salesperson: pipeline, results, where deals get stuck, visits per week', async () => {
      const res = await get(`/v1/analytics/reps?groupBy=owner&${period}`).expect(200);
      expect(res.body.metricDefinitionVersion).toBe('rep-performance/1');
      expect(res.body.period).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z', weeks: 8.5714 });
      expect(res.body.groups.map((g: { key: string }) => g.key)).toEqual(['ann', 'bob', 'cid']);
      const [ann, bob, cid] = res.body.groups;
      expect(ann.openPipeline).toEqual({ deals: 1, byCurrency: [{ currency: 'EUR', deals: 1, amount: 30000, weighted: 0 }] });
      expect(ann.closed).toEqual({ won: 1, lost: 1, winRate: 0.5, wonAmountByCurrency: [{ currency: 'EUR', amount: 100000 }] });
      const annStage = (s: string) => ann.stages.find((x: { stage: string }) => x.stage === s);
      expect(annStage('PROJECT')).toEqual({ stage: 'PROJECT', ended: 2, advanced: 2, advanceRate: 1, medianDwellDays: 15 });
      expect(annStage('NEGOTIATION')).toEqual({ stage: 'NEGOTIATION', ended: 2, advanced: 1, advanceRate: 0.5, medianDwellDays: 10 });
      // 2 visits / (60 days / 7).
      expect(ann.visits).toEqual({ count: 2, reviewed: 2, perWeek: 0.2333 });
      // D3 was won on 03-03, after the period; D4 was lost in it.
      expect(bob.closed).toMatchObject({ won: 0, lost: 1, winRate: 0 });
      expect(bob.stages.find((x: { stage: string }) => x.stage === 'PROJECT')).toMatchObject({ ended: 1, advanced: 0, advanceRate: 0, medianDwellDays: 30 });
      expect(cid.openPipeline).toEqual({ deals: 2, byCurrency: [{ currency: 'USD', deals: 2, amount: 100000, weighted: 24000 }] });
    });

    it('per team', async () => {
      const res = await get(`/v1/analytics/reps?groupBy=team&${period}`).expect(200);
      expect(res.body.groups.map((g: { key: string }) => g.key)).toEqual(['north', 'south']);
      expect(res.body.groups[0].visits).toEqual({ count: 3, reviewed: 2, perWeek: 0.35 });
      expect(res.body.groups[0].closed).toMatchObject({ won: 1, lost: 2 });
    });
  });

  describe('GET /v1/anomalies', () => {
    it('finds the stalled, overdue, inactive, overridden and regressed deals, each with its reason', async () => {
      const res = await get(`/v1/anomalies?asOf=${AS_OF}`).expect(200);
      expect(res.body.metricDefinitionVersion).toBe('anomalies/2');
      expect(res.body.completedStayP90.PROJECT).toEqual({ n: 5, p90Days: 26 });
      expect(res.body.items.map((i: { dealId: string; kind: string; since: string; reason: string }) => [i.dealId, i.kind, i.since, i.reason])).toEqual([
        [
          DEAL.D3,
          'stages_skipped',
          '2024-01-23T00:00:00.000Z',
          'jumped from INTENT to APPROVED, skipping PROJECT, by override on 2024-01-23 by manager-mia with 1 unmet criterion: "the board approved the project in one meeting"',
        ],
        [DEAL.D6, 'regressed', '2024-01-25T00:00:00.000Z', 'moved back from PROJECT to INTENT on 2024-01-25'],
        [DEAL.D6, 'inactive', '2024-02-16T00:00:00.000Z', 'no activity for 106 days (last on 2024-02-16); threshold 30 days'],
        [DEAL.D6, 'stalled', '2024-02-16T00:00:00.000Z', 'in APPROVED for 106 days; the limit for APPROVED is 90 days'],
        [DEAL.D5, 'stalled', '2024-04-23T00:00:00.000Z', 'in PROJECT for 39 days; p90 of completed PROJECT stays is 26 days (n = 5)'],
        [DEAL.D6, 'close_date_passed', '2024-05-01T00:00:00.000Z', 'still in APPROVED; expected close date 2024-04-30 (forecast 60%) passed 31 days ago'],
      ]);
      expect(res.body.items[4]).toMatchObject({ account: 'Everest Plastics', owner: 'cid', team: 'south', stage: 'PROJECT', status: 'open' });
      expect(res.body.count).toBe(6);
    });

    it('takes inactiveDays and kind', async () => {
      const res = await get(`/v1/anomalies?asOf=${AS_OF}&inactiveDays=10&kind=inactive`).expect(200);
      expect(res.body.filters).toMatchObject({ kind: 'inactive', inactiveDays: 10 });
      expect(res.body.items.map((i: { dealId: string; reason: string }) => [i.dealId, i.reason])).toEqual([
        [DEAL.D6, 'no activity for 106 days (last on 2024-02-16); threshold 10 days'],
        [DEAL.D5, 'no activity for 12 days (last on 2024-05-20); threshold 10 days'],
      ]);
    });

    it('pages with limit and the next cursor, in the same order, at the first page\'s asOf', async () => {
      const all = (await get(`/v1/anomalies?asOf=${AS_OF}`).expect(200)).body;
      expect(all.next).toBeNull();
      const seen: unknown[] = [];
      let res = await get(`/v1/anomalies?asOf=${AS_OF}&limit=4`).expect(200);
      expect(res.body.count).toBe(4);
      seen.push(...res.body.items);
      res = await get(`/v1/anomalies?limit=4&cursor=${res.body.next}`).expect(200);
      expect(res.body.asOf).toBe(all.asOf);
      expect(res.body.count).toBe(2);
      expect(res.body.next).toBeNull();
      seen.push(...res.body.items);
      expect(seen).toEqual(all.items);
    });

    it('refuses a cursor it did not write, or one of another asOf', async () => {
      const first = (await get(`/v1/anomalies?asOf=${AS_OF}&limit=1`).expect(200)).body;
      let res = await get(`/v1/anomalies?cursor=not-a-cursor&limit=0`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cursor', 'limit']);
      res = await get(`/v1/anomalies?asOf=2024-01-01&cursor=${first.next}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/cursor must be a previous page's next/);
    });

    it('narrows recorded anomalies to the period and deals to the filters', async () => {
      const res = await get(`/v1/anomalies?asOf=${AS_OF}&team=north&from=2024-01-24`).expect(200);
      // D3's override (01-23) is before the period; north has no open anomalous deal.
      expect(res.body.items).toEqual([]);
    });
  });

  describe('access', () => {
    it('answers analysts, managers and auditors; refuses reps and anonymous callers', async () => {
      for (const actor of [ACTORS.manager, ACTORS.auditor]) {
        await request(t.url).get('/v1/anomalies').set('Authorization', bearer(actor)).expect(200);
      }
      await request(t.url).get('/v1/analytics/conversion').set('Authorization', bearer(ACTORS.rep)).expect(403);
      await request(t.url).get('/v1/analytics/conversion').expect(401);
    });
  });

  describe('validation', () => {
    it.each([
      ['/v1/analytics/conversion?skipPolicy=sometimes', /skipPolicy/],
      ['/v1/analytics/dwell-times?from=2024-02-30', /from must be a date/],
      ['/v1/analytics/dwell-times?from=2024-03-01&to=2024-02-01', /to must be later than from/],
      ['/v1/analytics/dwell-times?asOf=2024-03-01T10:00', /asOf must be a date/],
      ['/v1/analytics/cycle-time?fromStage=WON', /fromStage/],
      ['/v1/analytics/reps?groupBy=region', /groupBy/],
      ['/v1/anomalies?inactiveDays=0', /inactiveDays/],
      ['/v1/anomalies?colour=red', /colour should not exist/],
      // Year 10000 once reached PostgreSQL as "+010000-…" (a 500 on the funnel).
      ['/v1/analytics/dwell-times?asOf=9999-12-31T23:59:59-23:59', /asOf must be a date/],
      ['/v1/anomalies?asOf=0000-12-31T23:00:00Z', /asOf must be a date/],
      // `to` defaults to now: a lone future `from` made a period that ends before it starts.
      ['/v1/analytics/reps?from=2999-01-01', /from must be earlier than now when to is left out/],
    ])('%s → 400', async (path, message) => {
      const res = await get(path).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('lists every bad field in one 400, a bad waitFor included', async () => {
      const res = await get('/v1/analytics/conversion?waitFor=soon&skipPolicy=sometimes&from=2024-02-30').expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'skipPolicy', 'waitFor']);
    });

    it('accepts a lone past from on the reps endpoint (to defaults to now)', async () => {
      const res = await get('/v1/analytics/reps?from=2024-01-01').expect(200);
      expect(res.body.period.from).toBe('2024-01-01T00:00:00.000Z');
    });

    it('documents the endpoints in OpenAPI', async () => {
      const res = await get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/v1/analytics/dwell-times', '/v1/analytics/conversion', '/v1/analytics/cycle-time', '/v1/analytics/reps', '/v1/anomalies']),
      );
      const params = res.body.paths['/v1/analytics/conversion'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(expect.arrayContaining(['owner', 'team', 'region', 'industry', 'from', 'to', 'skipPolicy']));
    });
  });
});
