import { ACTORS } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi, HistoryEvent, openDealBody } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/**
 * The two time axes (docs/audit.md): asOf = business time (occurredAt), knownAt = recorded time.
 * Given a deal opened ten days ago, whose visit five days ago was only recorded today, and whose
 * advance to POTENTIAL four days ago was recorded after that.
 */
describe('asOf (business time) and knownAt (recorded time)', () => {
  let t: TestApp;
  let api: DealApi;
  let dealId: string;
  let history: HistoryEvent[];
  const now = Date.now();
  const openedAt = iso(now - 10 * DAY_MS);
  const visitAt = iso(now - 5 * DAY_MS);
  const advancedAt = iso(now - 4 * DAY_MS);
  let lastPosition: string;

  const recordedAtOf = (type: string) => history.find((e) => e.type === type)!.recordedAt;
  const deal = (params: Record<string, string>) => api.get(`/v1/deals/${dealId}?${q(params)}`, ACTORS.auditor);
  const funnel = (params: Record<string, string>) => api.get(`/v1/funnel?${q({ ...params, waitFor: lastPosition })}`, ACTORS.analyst);
  const stagesWithDeals = (body: { stages: { stage: string; deals: number }[] }) =>
    Object.fromEntries(body.stages.filter((s) => s.deals > 0).map((s) => [s.stage, s.deals]));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    api = new DealApi(t.url);
    const opened = await api.open(ACTORS.rep, { ...openDealBody(), occurredAt: openedAt });
    expect(opened.status).toBe(201);
    dealId = opened.body.dealId as string;
    const steps: [string, object][] = [
      ['profile', { ...facts.profile, occurredAt: iso(now - 9 * DAY_MS) }],
      ['visits', { ...facts.visit, review: facts.visitReview, occurredAt: visitAt }],
      ['stage', { to: 'POTENTIAL', occurredAt: advancedAt }],
    ];
    for (const [path, body] of steps) {
      const res = await api.command(dealId, path, ACTORS.rep, body);
      expect(res.status).toBe(201);
      lastPosition = res.body.position as string;
      // distinct recorded instants, so "before its recording" is a real instant
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    history = await api.history(dealId, ACTORS.auditor);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows a late-recorded visit asOf its business time, and not knownAt before its recording', async () => {
    const visitRecorded = recordedAtOf('VisitRecorded');
    const justBeforeRecording = iso(Date.parse(visitRecorded) - 1);

    const asOfVisit = await deal({ asOf: visitAt });
    expect(asOfVisit.status).toBe(200);
    expect(asOfVisit.body.time).toEqual({ axis: 'business', asOf: visitAt, knownAt: null });
    expect(asOfVisit.body.visits.map((v: { visitId: string }) => v.visitId)).toEqual(['visit-1']);
    expect(asOfVisit.body.stage).toBe('TARGET');

    const beforeVisit = await deal({ asOf: iso(Date.parse(visitAt) - 1) });
    expect(beforeVisit.body.visits).toEqual([]);

    const knownBefore = await deal({ knownAt: justBeforeRecording });
    expect(knownBefore.status).toBe(200);
    expect(knownBefore.body.time).toEqual({ axis: 'recorded', asOf: null, knownAt: justBeforeRecording });
    expect(knownBefore.body.visits).toEqual([]);
    expect(knownBefore.body.profile).not.toBeNull();

    // what we knew just before the recording about the day of the visit: no visit yet
    const bitemporal = await deal({ asOf: visitAt, knownAt: justBeforeRecording });
    expect(bitemporal.body.time.axis).toBe('bitemporal');
    expect(bitemporal.body.visits).toEqual([]);
    const knownSince = await deal({ asOf: visitAt, knownAt: visitRecorded });
    expect(knownSince.body.visits.map((v: { visitId: string }) => v.visitId)).toEqual(['visit-1']);
  });

  it('backdated stage change: the business axis moves at its occurredAt, the recorded axis at its recording', async () => {
    expect((await deal({ asOf: advancedAt })).body.stage).toBe('POTENTIAL');
    expect((await deal({ asOf: iso(Date.parse(advancedAt) - 1) })).body.stage).toBe('TARGET');
    const beforeAdvanceRecorded = iso(Date.parse(recordedAtOf('StageAdvanced')) - 1);
    const known = await deal({ knownAt: beforeAdvanceRecorded });
    expect(known.body).toMatchObject({ stage: 'TARGET', revision: 2 });
    expect(known.headers.etag).toBe('"2"');
    expect((await deal({})).body.time).toEqual({ axis: 'current', asOf: null, knownAt: null });
  });

  it('filters /history on both axes and says which it used', async () => {
    const visitRecorded = recordedAtOf('VisitRecorded');
    const known = await api.get(`/v1/deals/${dealId}/history?${q({ knownAt: iso(Date.parse(visitRecorded) - 1) })}`, ACTORS.auditor);
    expect(known.status).toBe(200);
    expect(known.body.time.axis).toBe('recorded');
    expect(known.body.events.map((e: HistoryEvent) => e.type)).toEqual(['DealOpened', 'CustomerProfileRecorded']);
    const asOf = await api.get(`/v1/deals/${dealId}/history?${q({ asOf: visitAt })}`, ACTORS.auditor);
    expect(asOf.body.time.axis).toBe('business');
    expect(asOf.body.events.map((e: HistoryEvent) => e.type)).toEqual(['DealOpened', 'CustomerProfileRecorded', 'VisitRecorded']);
  });

  it('pages /history and filters it by event type, business and recorded period, and actor', async () => {
    const get = (params: Record<string, string>) => api.get(`/v1/deals/${dealId}/history?${q(params)}`, ACTORS.auditor);
    const first = await get({ limit: '2' });
    expect(first.body.events.map((e: HistoryEvent) => e.revision)).toEqual([0, 1]);
    expect(first.body.page).toEqual({ limit: 2, next: 1 });
    const second = await get({ limit: '2', after: '1' });
    expect(second.body.events.map((e: HistoryEvent) => e.revision)).toEqual([2, 3]);
    expect(second.body.page).toEqual({ limit: 2, next: null });

    const types = await get({ type: 'VisitRecorded,StageAdvanced' });
    expect(types.body.events.map((e: HistoryEvent) => e.type)).toEqual(['VisitRecorded', 'StageAdvanced']);
    const businessPeriod = await get({ occurredFrom: iso(now - 6 * DAY_MS), occurredTo: advancedAt });
    expect(businessPeriod.body.events.map((e: HistoryEvent) => e.type)).toEqual(['VisitRecorded']);
    const recordedPeriod = await get({ recordedFrom: recordedAtOf('VisitRecorded') });
    expect(recordedPeriod.body.events.map((e: HistoryEvent) => e.type)).toEqual(['VisitRecorded', 'StageAdvanced']);
    expect((await get({ actor: 'alice' })).body.events).toHaveLength(4);
    expect((await get({ actor: 'mia' })).body.events).toEqual([]);

    const bad = await get({ type: 'VisitRecorded,Nonsense', limit: '0', after: '-1', occurredFrom: 'monday' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'limit', 'occurredFrom', 'type']);
    // The role matrix: histories are for auditors, managers and the deal's own rep, not analysts.
    expect((await api.get(`/v1/deals/${dealId}/history`, ACTORS.analyst)).status).toBe(403);
  });

  it('takes the funnel on either axis and on both', async () => {
    const advanceRecorded = recordedAtOf('StageAdvanced');
    const beforeAdvanceRecorded = iso(Date.parse(advanceRecorded) - 1);

    const business = await funnel({ asOf: advancedAt });
    expect(business.status).toBe(200);
    expect(business.body.time).toEqual({ axis: 'business', asOf: advancedAt, knownAt: null });
    expect(stagesWithDeals(business.body)).toEqual({ POTENTIAL: 1 });
    expect(stagesWithDeals((await funnel({ asOf: iso(Date.parse(advancedAt) - 1) })).body)).toEqual({ TARGET: 1 });

    const recorded = await funnel({ knownAt: beforeAdvanceRecorded });
    expect(recorded.body.time).toEqual({ axis: 'recorded', asOf: null, knownAt: beforeAdvanceRecorded });
    expect(stagesWithDeals(recorded.body)).toEqual({ TARGET: 1 });
    expect(stagesWithDeals((await funnel({ knownAt: advanceRecorded })).body)).toEqual({ POTENTIAL: 1 });
    expect(stagesWithDeals((await funnel({ knownAt: iso(Date.parse(recordedAtOf('DealOpened')) - 1) })).body)).toEqual({});

    // what we knew just before recording the advance about the day it happened: still TARGET
    const both = await funnel({ asOf: advancedAt, knownAt: beforeAdvanceRecorded });
    expect(both.body.time.axis).toBe('bitemporal');
    expect(stagesWithDeals(both.body)).toEqual({ TARGET: 1 });
    expect(stagesWithDeals((await funnel({ asOf: advancedAt, knownAt: advanceRecorded })).body)).toEqual({ POTENTIAL: 1 });
    expect(stagesWithDeals((await funnel({ asOf: iso(Date.parse(openedAt) - 1), knownAt: advanceRecorded })).body)).toEqual({});
  });
});
