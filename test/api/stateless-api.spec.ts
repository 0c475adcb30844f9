import request, { Response } from 'supertest';
import { ApiMetrics } from '../../apps/api/src/metrics/api-metrics';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi, HistoryEvent, openDealBody } from './deals/deal-api.client';
import * as facts from './deals/deal-facts';

/**
 * The api keeps nothing a second api process would need: two apps on one database (the first
 * with the projector, the second the api alone, as replicas behind a load balancer), a client
 * alternating between them. Each keeps its own cache of folded deals, so these also prove that
 * a cache one process filled is never trusted after the other one wrote.
 */
describe('two api processes on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let apis: [DealApi, DealApi];

  beforeAll(async () => {
    a = await startTestApp({ withProjector: true });
    b = await startTestApp({ database: a.db });
    apis = [new DealApi(a.url), new DealApi(b.url)];
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const accepted = (res: Response) => {
    expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.objectContaining({ revision: expect.any(Number) }) });
    return res.body as { dealId: string; revision: number; position: string };
  };

  /** The funnel of alice's deals as `app` answers once its read models hold `position`. */
  async function funnelAt(app: TestApp, position: string): Promise<Record<string, number>> {
    const res = await request(app.url).get(`/v1/funnel?owner=alice&waitFor=${position}`).set('Authorization', bearer(ACTORS.manager));
    expect(res.status).toBe(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
    return Object.fromEntries((res.body.stages as { stage: string; deals: number }[]).filter((s) => s.deals > 0).map((s) => [s.stage, s.deals]));
  }

  it('holds every command and every read-your-writes with the client alternating between them', async () => {
    const steps: [string, object][] = [
      ['visits', facts.visit],
      [`visits/${facts.visit.visitId}/review`, facts.visitReview],
      ['profile', facts.profile],
      ['stage', { to: 'POTENTIAL' }],
      ['problems', facts.problem],
      ['interest', facts.interest],
      ['assessments', facts.assessment('REAL', 4)],
      ['stage', { to: 'INTENT' }],
    ];
    const stageAfter = ['TARGET', 'TARGET', 'TARGET', 'POTENTIAL', 'POTENTIAL', 'POTENTIAL', 'POTENTIAL', 'INTENT'];
    const opened = accepted(await apis[0].open(ACTORS.rep));
    const dealId = opened.dealId;
    expect(await funnelAt(b, opened.position)).toEqual({ TARGET: 1 });
    for (const [i, [path, body]] of steps.entries()) {
      const [writer, reader] = i % 2 === 0 ? [apis[1], apis[0]] : [apis[0], apis[1]];
      const answer = accepted(await writer.command(dealId, path, ACTORS.rep, body));
      expect(answer.revision).toBe(i + 1);
      // The other process reads the stream at once, and its read models once they reach the position.
      const deal = await reader.get(`/v1/deals/${dealId}`, ACTORS.rep);
      expect({ status: deal.status, stage: deal.body.stage, etag: deal.headers.etag }).toEqual({ status: 200, stage: stageAfter[i], etag: `"${i + 1}"` });
      expect(await funnelAt(i % 2 === 0 ? a : b, answer.position)).toEqual({ [stageAfter[i]]: 1 });
    }
    const history = await apis[1].history(dealId, ACTORS.rep);
    expect(history.map((e) => e.revision)).toEqual(steps.map((_, i) => i).concat(steps.length));
  });

  /** funnel_deal_cache_total of one app, by outcome. */
  async function cacheOutcomes(app: TestApp): Promise<Record<string, number>> {
    const metric = await app.app.get(ApiMetrics).dealCache.get();
    return Object.fromEntries(metric.values.map((v) => [String(v.labels.outcome), v.value]));
  }

  it('decides on the stream as stored, not on what the other process cached before it', async () => {
    const staleBefore = [(await cacheOutcomes(a)).stale ?? 0, (await cacheOutcomes(b)).stale ?? 0];
    const dealId = accepted(await apis[0].open(ACTORS.rep)).dealId;
    accepted(await apis[0].command(dealId, 'visits', ACTORS.rep, facts.visit)); // a holds the deal at revision 1
    accepted(await apis[1].command(dealId, `visits/${facts.visit.visitId}/review`, ACTORS.rep, facts.visitReview));
    accepted(await apis[1].command(dealId, 'profile', ACTORS.rep, facts.profile));
    // On a's cached revision the gate is not met (no review, no profile); on the stream it is.
    const moved = accepted(await apis[0].command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL' }));
    expect(moved.revision).toBe(4);
    // b cached revision 3, in TARGET; a moves on; b's stale TARGET must not let it advance again.
    accepted(await apis[0].command(dealId, 'problems', ACTORS.rep, facts.problem));
    const again = await apis[1].command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL' });
    expect(again.status).not.toBe(500);
    const advances = (await apis[0].history(dealId, ACTORS.rep)).filter((e) => e.type === 'StageAdvanced');
    expect(advances.map((e) => e.data.to)).toEqual(['POTENTIAL']);
    // An If-Match with the stored revision holds on the process whose cache is behind.
    const head = (await apis[0].history(dealId, ACTORS.rep)).length - 1;
    const conditional = await apis[1].command(dealId, 'interest', ACTORS.rep, facts.interest, { 'If-Match': `"${head}"` });
    expect(accepted(conditional).revision).toBe(head + 1);
    // Both found their cached deal behind the stream and decided again on it.
    expect((await cacheOutcomes(a)).stale).toBeGreaterThan(staleBefore[0]);
    expect((await cacheOutcomes(b)).stale).toBeGreaterThan(staleBefore[1]);
  });

  it('loses nothing when both take commands on one deal at once: each is accepted (retried on the stream as stored) or answered 409', async () => {
    const dealId = accepted(await apis[0].open(ACTORS.rep)).dealId;
    const visits = Array.from({ length: 12 }, (_, i) => ({ ...facts.visit, visitId: `concurrent-${i}` }));
    const answers = await Promise.all(visits.map((visit, i) => apis[i % 2].command(dealId, 'visits', ACTORS.rep, visit)));
    expect(answers.every((res) => res.status === 201 || res.status === 409)).toBe(true);
    const recorded = (await apis[1].history(dealId, ACTORS.rep)).filter((e: HistoryEvent) => e.type === 'VisitRecorded').map((e) => e.data.visitId);
    const acceptedIds = visits.filter((_, i) => answers[i].status === 201).map((v) => v.visitId);
    expect([...recorded].sort()).toEqual([...acceptedIds].sort());
    const revisions = answers.filter((res) => res.status === 201).map((res) => res.body.revision as number);
    expect(new Set(revisions).size).toBe(revisions.length);

    // Conditional commands at one revision through both: exactly one wins, the other gets 409.
    const head = (await apis[0].history(dealId, ACTORS.rep)).length - 1;
    const [first, second] = await Promise.all(
      ['p1', 'p2'].map((reference, i) =>
        apis[i].command(dealId, 'forecast', ACTORS.rep, { ...facts.forecast, probability: 40 + i }, { 'If-Match': `"${head}"`, 'X-Correlation-Id': reference }),
      ),
    );
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const forecasts = (await apis[0].history(dealId, ACTORS.rep)).filter((e) => e.type === 'ForecastUpdated');
    expect(forecasts).toHaveLength(1);
  });

  it('opens a deal on one and lets the other act on it at once', async () => {
    const body = { ...openDealBody(), amount: 777 };
    const { dealId } = accepted(await apis[1].open(ACTORS.rep, body));
    accepted(await apis[0].command(dealId, 'visits', ACTORS.rep, { ...facts.visit, visitId: 'right-away' }));
    expect((await apis[1].get(`/v1/deals/${dealId}`, ACTORS.rep)).body).toMatchObject({ amount: 777, stage: 'TARGET' });
  });
});
