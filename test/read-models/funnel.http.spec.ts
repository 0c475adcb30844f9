/**
 * GET /v1/funnel over HTTP on the fixed history (support/fixed-history.ts); every number below is
 * counted by hand from it.
 */
import request from 'supertest';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition } from '@funnel/event-store/global-position';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { fixedHistoryInOrder } from './support/fixed-history';

interface StageFigures {
  stage: string;
  deals: number;
  byCurrency: { currency: string; deals: number; amount: number; weightedAmount: number | null }[];
}

/** stage → [deals, amount per currency] for the stages that have deals; every other stage must be empty. */
function expectFunnel(stages: StageFigures[], expected: Record<string, [number, Record<string, number>]>): void {
  expect(stages.map((s) => s.stage)).toEqual(['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON', 'LOST']);
  const amounts = (s: StageFigures) => Object.fromEntries(s.byCurrency.map((c) => [c.currency, c.amount]));
  const actual = Object.fromEntries(stages.filter((s) => s.deals > 0).map((s) => [s.stage, [s.deals, amounts(s)]]));
  expect(actual).toEqual(expected);
  for (const s of stages.filter((x) => x.deals === 0)) expect(s.byCurrency).toEqual([]);
  // docs/metrics.md: amounts are never added across currencies, so no stage has a total amount.
  for (const s of stages) expect(Object.keys(s).sort()).toEqual(['byCurrency', 'deals', 'stage']);
}

const weighted = (s: StageFigures) => Object.fromEntries(s.byCurrency.map((c) => [c.currency, c.weightedAmount]));

describe('GET /v1/funnel', () => {
  let t: TestApp;
  let lastPosition: string;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    const store = t.app.get<EventStore>(EVENT_STORE);
    let last: GlobalPosition | undefined;
    for (const [dealId, event] of fixedHistoryInOrder()) {
      last = (await store.appendToStream(dealStreamId(dealId), [{ type: event.type, data: event.data }], { expectedRevision: 'any' })).position;
    }
    lastPosition = formatPosition(last!);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('waits (?waitFor=) until the read models include the last append, then shows the funnel now', async () => {
    const res = await get(`/v1/funnel?waitFor=${lastPosition}`).expect(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
    expect(res.body.metricDefinitionVersion).toBe('funnel/2');
    expect(res.body.asOf).toBeNull();
    expect(res.body.filters).toEqual({ owner: null, team: null, region: null, industry: null });
    // A won (forecast 80 %), B reopened in POTENTIAL (30 %), C opened (no forecast).
    expectFunnel(res.body.stages, { TARGET: [1, { CNY: 5000.5 }], POTENTIAL: [1, { EUR: 40000 }], WON: [1, { EUR: 100000 }] });
    const byStage = Object.fromEntries((res.body.stages as StageFigures[]).map((s) => [s.stage, s]));
    expect(weighted(byStage.POTENTIAL)).toEqual({ EUR: 12000 });
    expect(weighted(byStage.WON)).toEqual({ EUR: 80000 });
    expect(weighted(byStage.TARGET)).toEqual({ CNY: 0 });
    expect(byStage.TARGET.byCurrency).toEqual([{ currency: 'CNY', deals: 1, amount: 5000.5, weightedAmount: 0 }]);
  });

  it('as of 12 January: A just entered POTENTIAL, B still in TARGET, C not yet opened', async () => {
    const res = await get('/v1/funnel?asOf=2025-01-12T00:00:00Z').expect(200);
    expect(res.body.asOf).toBe('2025-01-12T00:00:00.000Z');
    expectFunnel(res.body.stages, { TARGET: [1, { EUR: 40000 }], POTENTIAL: [1, { EUR: 100000 }] });
    for (const stage of res.body.stages as StageFigures[]) for (const c of stage.byCurrency) expect(c.weightedAmount).toBeNull();
    expect(res.body.notes.join(' ')).toMatch(/weightedAmount is null/);
  });

  it('as of the instant B was lost: B counts in LOST (entered ≤ t), no longer in POTENTIAL (t < exited)', async () => {
    const res = await get('/v1/funnel?asOf=2025-02-01T12:00:00Z').expect(200);
    // A regressed to POTENTIAL at 09:00 the same day; C was opened at 08:00.
    expectFunnel(res.body.stages, { TARGET: [1, { CNY: 5000.5 }], POTENTIAL: [1, { EUR: 100000 }], LOST: [1, { EUR: 40000 }] });
    const justBefore = await get('/v1/funnel?asOf=2025-02-01T11:59:59.999Z').expect(200);
    expectFunnel(justBefore.body.stages, { TARGET: [1, { CNY: 5000.5 }], POTENTIAL: [2, { EUR: 140000 }] });
  });

  it('as of mid-February: A in INTENT for the second time', async () => {
    const res = await get('/v1/funnel?asOf=2025-02-20T00:00:00%2B01:00').expect(200);
    expect(res.body.asOf).toBe('2025-02-19T23:00:00.000Z');
    expectFunnel(res.body.stages, { TARGET: [1, { CNY: 5000.5 }], INTENT: [1, { EUR: 100000 }], LOST: [1, { EUR: 40000 }] });
  });

  it('filters as of a past instant by the owner the deal had when it entered the stage', async () => {
    // A re-entered POTENTIAL on 1 Feb under rep-ann and was handed to rep-bo on 5 Feb.
    const ann = await get('/v1/funnel?asOf=2025-02-07T00:00:00Z&owner=rep-ann').expect(200);
    expect(ann.body.filters).toEqual({ owner: 'rep-ann', team: null, region: null, industry: null });
    expectFunnel(ann.body.stages, { TARGET: [1, { CNY: 5000.5 }], POTENTIAL: [1, { EUR: 100000 }] });
    const bo = await get('/v1/funnel?asOf=2025-02-07T00:00:00Z&owner=rep-bo').expect(200);
    expectFunnel(bo.body.stages, {});
    const boLater = await get('/v1/funnel?asOf=2025-04-15T00:00:00Z&owner=rep-bo').expect(200);
    expectFunnel(boLater.body.stages, { WON: [1, { EUR: 100000 }] });
  });

  it('filters now by the current owner, team, region and industry', async () => {
    expectFunnel((await get('/v1/funnel?owner=rep-bo').expect(200)).body.stages, { WON: [1, { EUR: 100000 }] });
    expectFunnel((await get('/v1/funnel?team=north').expect(200)).body.stages, { TARGET: [1, { CNY: 5000.5 }], POTENTIAL: [1, { EUR: 40000 }] });
    expectFunnel((await get('/v1/funnel?region=APAC').expect(200)).body.stages, { POTENTIAL: [1, { EUR: 40000 }] });
    expectFunnel((await get('/v1/funnel?industry=energy&team=north').expect(200)).body.stages, { TARGET: [1, { CNY: 5000.5 }] });
  });

  it('refuses a bad asOf, a time without a zone, a bad waitFor and unknown parameters with 400', async () => {
    const bad = await get('/v1/funnel?asOf=last-tuesday').expect(400);
    expect(bad.body.message.join(' ')).toMatch(/asOf/);
    await get('/v1/funnel?asOf=2025-02-01T12:00:00').expect(400);
    await get('/v1/funnel?waitFor=soon').expect(400);
    await get('/v1/funnel?stage=WON').expect(400);
  });

  it('refuses an instant past year 9999 (an offset pushes 9999-12-31 into 10000) with 400, not 500', async () => {
    const res = await get('/v1/funnel?asOf=9999-12-31T23:59:59-23:59').expect(400);
    expect(res.body.message.join(' ')).toMatch(/asOf/);
    await get('/v1/funnel?asOf=9999-12-31T00:00:00Z').expect(200);
  });

  it('lists a bad waitFor together with every other bad field, without waiting', async () => {
    const started = Date.now();
    const res = await get('/v1/funnel?waitFor=soon&asOf=last-tuesday&owner=' + 'x'.repeat(201)).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asOf', 'owner', 'waitFor']);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('answers after 5 s with X-Projection-Behind: true when the position is never reached', async () => {
    const started = Date.now();
    const res = await get('/v1/funnel?waitFor=999999999:1').expect(200);
    expect(res.headers['x-projection-behind']).toBe('true');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(res.body.stages).toHaveLength(8);
  }, 15_000);

  it('needs an analyst or manager', async () => {
    await request(t.url).get('/v1/funnel').expect(401);
    await request(t.url).get('/v1/funnel').set('Authorization', bearer(ACTORS.rep)).expect(403);
    await request(t.url).get('/v1/funnel').set('Authorization', bearer(ACTORS.manager)).expect(200);
  });

  it('is documented in OpenAPI with its query parameters', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body;
    const params = doc.paths['/v1/funnel'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['owner', 'team', 'region', 'industry', 'asOf', 'waitFor']));
    expect(doc.components.schemas.FunnelViewDto.required).toEqual(expect.arrayContaining(['metricDefinitionVersion', 'asOf', 'stages']));
  });
});
