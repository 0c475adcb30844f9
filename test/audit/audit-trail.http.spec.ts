import { ACTORS, TestActor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

/**
 * Finding things across deals, from the audit_trail read model: everything one request or
 * workflow caused (its correlation id), and what one person did in a recorded-time period.
 */
describe('GET /v1/correlations/:id and /v1/audit/actors/:actorId/events', () => {
  let t: TestApp;
  let api: DealApi;
  let dealA: string;
  let dealB: string;
  let last = '';
  const workflow = { 'X-Correlation-Id': 'import-batch-42' };

  const get = async (path: string, actor: TestActor = ACTORS.auditor) => api.get(`${path}${path.includes('?') ? '&' : '?'}waitFor=${last}`, actor);

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    api = new DealApi(t.url);
    dealA = (await api.open(ACTORS.rep, undefined, workflow)).body.dealId as string;
    dealB = (await api.open(ACTORS.manager, undefined, workflow)).body.dealId as string;
    expect((await api.command(dealB, 'profile', ACTORS.manager, facts.profile, workflow)).status).toBe(201);
    const other = await api.command(dealA, 'interest', ACTORS.rep, facts.interest);
    expect(other.status).toBe(201);
    last = other.body.position as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists everything one correlation id caused, across deals, in feed order', async () => {
    const res = await get('/v1/correlations/import-batch-42');
    expect(res.status).toBe(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
    expect(res.body.correlationId).toBe('import-batch-42');
    expect(res.body.events.map((e: { dealId: string; type: string; actor: { id: string } }) => [e.dealId, e.type, e.actor.id])).toEqual([
      // Opening the first deal for a new account name opened the account too, in the same request.
      [null, 'AccountOpened', 'alice'],
      [dealA, 'DealOpened', 'alice'],
      [dealB, 'DealOpened', 'mia'],
      [dealB, 'CustomerProfileRecorded', 'mia'],
    ]);
    expect(res.body.events[3]).toMatchObject({ streamId: `deal-${dealB}`, revision: 1, command: 'RecordCustomerProfile', correlationId: 'import-batch-42' });
    expect(res.body.next).toBeNull();
    expect((await get('/v1/correlations/no-such-request')).body.events).toEqual([]);
  });

  it("lists one actor's events by recorded time, paged", async () => {
    const mia = await get('/v1/audit/actors/mia/events');
    expect(mia.status).toBe(200);
    expect(mia.body.period).toEqual({ from: null, to: null, axis: 'recorded' });
    expect(mia.body.events.map((e: { type: string }) => e.type)).toEqual(['DealOpened', 'CustomerProfileRecorded']);
    const alice = await get('/v1/audit/actors/alice/events?limit=2');
    expect(alice.body.events.map((e: { type: string }) => e.type)).toEqual(['AccountOpened', 'DealOpened']);
    expect(alice.body.next).toBe(alice.body.events[1].position);
    const page2 = await get(`/v1/audit/actors/alice/events?limit=2&after=${alice.body.next}`);
    expect(page2.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerInterestRecorded']);
    expect(page2.body.next).toBeNull();

    const lastRecorded = Date.parse(page2.body.events[0].recordedAt);
    const later = await get(`/v1/audit/actors/alice/events?from=${new Date(lastRecorded + 1).toISOString()}`);
    expect(later.body.events).toEqual([]);
    const until = await get(`/v1/audit/actors/alice/events?to=${new Date(lastRecorded).toISOString()}`);
    expect(until.body.events.map((e: { type: string }) => e.type)).toEqual(['AccountOpened', 'DealOpened']);
  });

  it('is for auditors and managers, and refuses bad parameters with every bad field', async () => {
    expect((await get('/v1/correlations/import-batch-42', ACTORS.rep)).status).toBe(403);
    expect((await get('/v1/audit/actors/alice/events', ACTORS.analyst)).status).toBe(403);
    expect((await get('/v1/audit/actors/alice/events', ACTORS.manager)).status).toBe(200);
    const bad = await api.get('/v1/audit/actors/alice/events?limit=0&after=soon&from=2026-02-01&to=2026-01-01', ACTORS.auditor);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'limit', 'to']);
  });
});
