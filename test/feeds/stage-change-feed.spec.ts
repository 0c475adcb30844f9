import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore, EventToAppend } from '@funnel/event-store/event-store.port';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { mintToken } from '../../apps/api/src/auth/mint-token';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Other services follow stage changes from a checkpoint: they must get every change, in
 * order, and nothing else, and resume where they stopped.
 */
describe('GET /v1/feeds/stage-changes', () => {
  let t: TestApp;
  let store: EventStore;
  const token = mintToken(loadFunnelConfig({}), { sub: 'crm-sync', name: 'CRM sync', roles: ['service'] });
  const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();

  const opened = (dealId: string): EventToAppend => ({
    type: 'DealOpened',
    data: {
      dealId,
      account: { name: 'Acme', industry: 'Manufacturing', region: 'EMEA' },
      owner: 'alice',
      team: 'north',
      amount: 50000,
      currency: 'EUR',
      stage: 'TARGET',
      occurredAt: at(1),
      playbookVersion: '2026.1',
    },
    metadata: { actor: { id: 'alice' }, correlationId: 'c-open' },
  });
  const advanced = (from: string, to: string, day: number): EventToAppend => ({
    type: 'StageAdvanced',
    data: { from, to, skipped: [], occurredAt: at(day), playbookVersion: '2026.1' },
    metadata: { actor: { id: 'alice' }, correlationId: `c-${to}` },
  });
  const visit: EventToAppend = {
    type: 'VisitRecorded',
    data: { visitId: 'v1', preparation: {}, occurredAt: at(2) },
    metadata: { actor: { id: 'alice' } },
  };

  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (query: Record<string, string | number>) =>
    request(t.url).get('/v1/feeds/stage-changes').query(query).set('Authorization', `Bearer ${token}`);

  /**
   * The feed shows a commit only once no older transaction is still running anywhere on the
   * server (see readFeedPage); with other suites writing to the same server that can take a
   * moment. Waits until `count` stage changes are readable from the start.
   */
  async function visibleInFeed(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const seen = (await get({ limit: 1000 }).expect(200)).body.changes.length as number;
      if (seen >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${seen} of ${count} stage changes became visible in the feed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('pages through every stage change in order, skipping other events, and resumes from `next`', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.appendToStream(`deal-${a}`, [opened(a), visit, advanced('TARGET', 'POTENTIAL', 3)], { expectedRevision: 'no_stream' });
    await store.appendToStream(`deal-${b}`, [opened(b)], { expectedRevision: 'no_stream' });
    await visibleInFeed(3);

    const first = await get({ limit: 2 }).expect(200);
    expect(first.body.schema).toBe('funnel.deal.stage-changed/1');
    expect(first.body.changes.map((c: { dealId: string; kind: string }) => [c.dealId, c.kind])).toEqual([
      [a, 'opened'],
      [a, 'advanced'],
    ]);
    expect(first.body.changes[1]).toMatchObject({ from: 'TARGET', to: 'POTENTIAL', actor: 'alice', correlationId: 'c-POTENTIAL' });

    const second = await get({ after: first.body.next, limit: 2 }).expect(200);
    expect(second.body.changes.map((c: { dealId: string }) => c.dealId)).toEqual([b]);

    const level = await get({ after: second.body.next }).expect(200);
    expect(level.body.changes).toEqual([]);
    expect(level.body.next).toBe(second.body.next);
  });

  it('long-polls: a change made while waiting is returned at once', async () => {
    const level = await get({}).expect(200);
    const c = randomUUID();
    const waiting = get({ after: level.body.next, waitSeconds: 10 });
    const started = Date.now();
    setTimeout(() => void store.appendToStream(`deal-${c}`, [opened(c)], { expectedRevision: 'no_stream' }), 300);
    const res = await waiting.expect(200);
    expect(res.body.changes.map((x: { dealId: string }) => x.dealId)).toEqual([c]);
    expect(Date.now() - started).toBeLessThan(9000);
  });

  it('refuses a malformed position with 400 and a reader without a token with 401', async () => {
    const bad = await get({ after: 'yesterday', limit: 5000 }).expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/after/);
    expect(JSON.stringify(bad.body.message)).toMatch(/limit/);
    await request(t.url).get('/v1/feeds/stage-changes').expect(401);
  });

  it('refuses with 400, not 500, a position beyond any the store can hold', async () => {
    for (const after of ['1:99999999999999999999', '99999999999999999999:1', '18446744073709551616:0']) {
      const res = await get({ after });
      expect({ after, status: res.status, code: res.body.code }).toEqual({ after, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('documents its query and its errors in OpenAPI', async () => {
    const docs = (await request(t.url).get('/docs-json').expect(200)).body;
    const page = docs.paths['/v1/feeds/stage-changes'].get;
    expect(page.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['Last-Event-ID', 'after', 'limit', 'owner', 'team', 'toStage', 'waitSeconds']);
    expect(Object.keys(page.responses).sort()).toEqual(['200', '400', '401', '403', '429']);
    expect(Object.keys(docs.paths['/v1/feeds/stage-changes/schema'].get.responses).sort()).toEqual(['200', '401', '403', '429']);
  });

  it('serves the JSON schema of the contract', async () => {
    const res = await request(t.url).get('/v1/feeds/stage-changes/schema').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.$id).toBe('funnel.deal.stage-changed/1');
    expect(res.body.required).toContain('eventId');
  });
});
