import { ACTORS } from '../../support/auth';
import { startTestApp, TestApp } from '../../support/test-app';
import { DealApi } from './deal-api.client';
import * as facts from './deal-facts';

/** Auditors replay a deal as the system knew it at any instant (knownAt): only events recorded by then count. */
describe('GET /v1/deals/:dealId?knownAt= and ?asOf=', () => {
  let t: TestApp;
  let api: DealApi;

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns the earlier stage for an instant before the stage change', async () => {
    const opened = await api.open(ACTORS.rep);
    const dealId = opened.body.dealId as string;
    await api.command(dealId, 'visits', ACTORS.rep, { ...facts.visit, review: facts.visitReview });
    await api.command(dealId, 'profile', ACTORS.rep, facts.profile);
    const advanced = await api.command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL' });
    expect(advanced.status).toBe(201);

    const history = await api.history(dealId, ACTORS.auditor);
    expect(history.map((e) => e.type)).toEqual(['DealOpened', 'VisitRecorded', 'CustomerProfileRecorded', 'StageAdvanced']);
    const beforeAdvance = history[2].recordedAt;
    expect(Date.parse(beforeAdvance)).toBeLessThan(Date.parse(history[3].recordedAt));

    const now = await api.get(`/v1/deals/${dealId}`, ACTORS.auditor);
    expect(now.body).toMatchObject({ stage: 'POTENTIAL', revision: 3 });
    expect(now.headers.etag).toBe('"3"');

    const then = await api.get(`/v1/deals/${dealId}?knownAt=${encodeURIComponent(beforeAdvance)}`, ACTORS.auditor);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ stage: 'TARGET', revision: 2, nextGate: { stage: 'POTENTIAL', met: true, unmet: [] } });
    expect(then.headers.etag).toBe('"2"');

    const atOpening = await api.get(`/v1/deals/${dealId}?knownAt=${encodeURIComponent(history[0].recordedAt)}`, ACTORS.auditor);
    expect(atOpening.body).toMatchObject({ stage: 'TARGET', revision: 0, visits: [], profile: null });
  });

  it('answers 404 before the deal existed and 400 for a malformed instant', async () => {
    const opened = await api.open(ACTORS.rep);
    const dealId = opened.body.dealId as string;
    const before = await api.get(`/v1/deals/${dealId}?asOf=2000-01-01T00:00:00Z`, ACTORS.auditor);
    expect(before.status).toBe(404);
    expect(before.body.code).toBe('DEAL_NOT_FOUND');
    expect((await api.get(`/v1/deals/${dealId}?knownAt=2000-01-01T00:00:00Z`, ACTORS.auditor)).status).toBe(404);
    for (const bad of ['last-tuesday', '2026-03-02T10:00:00']) {
      const malformed = await api.get(`/v1/deals/${dealId}?asOf=${bad}&knownAt=${bad}`, ACTORS.auditor);
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([
        { field: 'asOf', messages: [expect.stringContaining('time zone')] },
        { field: 'knownAt', messages: [expect.stringContaining('time zone')] },
      ]);
    }
  });
});
