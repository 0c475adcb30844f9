import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { ACTORS, bearer, TestActor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { dealStory, stageChangesInFeed } from './support/stage-change-events';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Managing subscriptions over HTTP: who may, what is refused, and what happens when a receiver
 * keeps failing (pause, dead letters) and is then replayed.
 */
describe('/v1/webhooks', () => {
  let t: TestApp;
  let store: EventStore;
  const receiver = new WebhookReceiver();
  const billing: TestActor = { sub: 'billing', name: 'Billing service', roles: ['service'] };
  const warehouse: TestActor = { sub: 'warehouse', name: 'Data warehouse', roles: ['service'] };

  beforeAll(async () => {
    t = await startTestApp({
      withProjector: true,
      env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' },
    });
    store = t.app.get<EventStore>(EVENT_STORE);
    await receiver.up();
  });
  afterAll(async () => {
    await receiver.down();
    await t.close();
  });

  const as = (actor: TestActor) => ({
    post: (path: string, body: object) => request(t.url).post(path).set('Authorization', bearer(actor)).send(body),
    get: (path: string, query: Record<string, string | number> = {}) => request(t.url).get(path).query(query).set('Authorization', bearer(actor)),
    patch: (path: string, body: object) => request(t.url).patch(path).set('Authorization', bearer(actor)).send(body),
    delete: (path: string) => request(t.url).delete(path).set('Authorization', bearer(actor)),
  });

  it('shows the secret once, lets a service see only its own subscriptions and a manager all of them', async () => {
    const created = await as(billing)
      .post('/v1/webhooks', { url: receiver.url, filter: { team: ['north'], toStage: ['WON', 'LOST'] } })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'active', owner: 'billing', filter: { team: ['north'], owner: [], toStage: ['WON', 'LOST'] } });
    expect(created.body.secret).toMatch(/^whsec_.{40,}/);
    const id = created.body.id as string;

    const fetched = await as(billing).get(`/v1/webhooks/${id}`).expect(200);
    expect(fetched.body).not.toHaveProperty('secret');
    expect((await as(billing).get('/v1/webhooks').expect(200)).body.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);
    expect((await as(warehouse).get('/v1/webhooks').expect(200)).body.webhooks).toEqual([]);
    await as(warehouse).get(`/v1/webhooks/${id}`).expect(404);
    await as(warehouse).delete(`/v1/webhooks/${id}`).expect(404);
    expect((await as(ACTORS.manager).get('/v1/webhooks').expect(200)).body.webhooks.map((w: { id: string }) => w.id)).toContain(id);

    expect((await as(billing).patch(`/v1/webhooks/${id}`, { status: 'paused' }).expect(200)).body).toMatchObject({ status: 'paused', pausedReason: 'paused by billing' });
    expect((await as(billing).patch(`/v1/webhooks/${id}`, { status: 'active' }).expect(200)).body).toMatchObject({ status: 'active', pausedReason: null });
    await as(ACTORS.manager).delete(`/v1/webhooks/${id}`).expect(204);
    await as(billing).get(`/v1/webhooks/${id}`).expect(404);
  });

  it('delivers only the changes its filter names, judged by the deal as it stood then', async () => {
    const own = new WebhookReceiver();
    await own.up();
    try {
      const created = await as(billing).post('/v1/webhooks', { url: own.url, filter: { team: ['south'], toStage: ['WON'] } }).expect(201);
      const north = randomUUID();
      const south = randomUUID();
      await store.appendToStream(`deal-${north}`, dealStory(north, 7, { team: 'north' }), { expectedRevision: 'no_stream' });
      await store.appendToStream(`deal-${south}`, dealStory(south, 7, { team: 'south', owner: 'sam' }), { expectedRevision: 'no_stream' });
      await own.until(() => own.calls.length >= 1, "south's win");
      const deliveries = (await as(billing).get(`/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body.deliveries as { orderingKey: string }[];
      expect(deliveries.map((d) => d.orderingKey)).toEqual([south]);
      expect(JSON.parse(own.calls[0].body)).toMatchObject({ dealId: south, from: 'NEGOTIATION', to: 'WON', kind: 'won' });
      await as(billing).delete(`/v1/webhooks/${created.body.id}`).expect(204);
    } finally {
      await own.down();
    }
  });

  it('refuses other roles, bad targets and bad filters, listing every problem', async () => {
    await as(ACTORS.analyst).get('/v1/webhooks').expect(403);
    await as(ACTORS.rep).post('/v1/webhooks', { url: receiver.url }).expect(403);
    const bad = await as(billing).post('/v1/webhooks', { url: 'ftp://example.com/x', filter: { toStage: ['NOWHERE'] }, after: 'yesterday' }).expect(400);
    const message = JSON.stringify(bad.body.message);
    expect(message).toMatch(/toStage/);
    expect(message).toMatch(/after/);
    const scheme = await as(billing).post('/v1/webhooks', { url: 'ftp://example.com/x' }).expect(400);
    expect(JSON.stringify(scheme.body.message)).toMatch(/http or https/);
    await as(billing).get(`/v1/webhooks/not-a-uuid`).expect(400);
    await as(billing).get(`/v1/webhooks/${randomUUID()}`).expect(404);
  });

  it('pauses a subscription whose receiver keeps failing, dead-letters what it owes, and replays on request', async () => {
    const deal = randomUUID();
    const before = (await store.headPosition()) ?? null;
    const created = await as(billing).post('/v1/webhooks', { url: receiver.url }).expect(201);
    const id = created.body.id as string;
    receiver.answer = () => 503;
    await store.appendToStream(`deal-${deal}`, dealStory(deal, 3), { expectedRevision: 'no_stream' });

    // three failed attempts of the first change: paused, the other two dead-lettered unsent
    let subscription = { status: 'active', pausedReason: null as string | null };
    await receiver.until(() => subscription.status === 'paused', 'the subscription to pause', 30_000, async () => {
      subscription = (await as(billing).get(`/v1/webhooks/${id}`).expect(200)).body;
    });
    expect(subscription.pausedReason).toMatch(/failed 3 times/);
    const dead = (await as(billing).get(`/v1/webhooks/${id}/deliveries`, { status: 'dead' }).expect(200)).body.deliveries as {
      id: string;
      attempts: number;
      position: string;
      attemptLog: { statusCode: number }[];
    }[];
    expect(dead.map((d) => d.attempts).sort()).toEqual([0, 0, 3]);
    const first = dead.find((d) => d.attempts === 3)!;
    expect(first.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(receiver.calls.filter((c) => JSON.parse(c.body).dealId === deal)).toHaveLength(3);

    // the receiver is fixed: the dead letters are queued again, then the subscription resumes
    receiver.answer = () => 200;
    expect((await as(billing).post(`/v1/webhooks/${id}/redeliver`, { deadLetters: true }).expect(202)).body).toEqual({ requeued: 3 });
    await as(billing).patch(`/v1/webhooks/${id}`, { status: 'active' }).expect(200);
    const changes = await stageChangesInFeed(store, 3);
    const ofDeal = changes.filter((c) => c.dealId === deal).map((c) => c.eventId);
    const accepted = () =>
      receiver.calls.filter((c) => c.answered === 200 && JSON.parse(c.body).dealId === deal).map((c) => c.headers['funnel-event-id']);
    await receiver.until(() => accepted().length >= 3, 'the dead letters');
    expect(accepted()).toEqual(ofDeal);

    // a replay from a position: the same three again, in order, under the same event ids
    const replay = await as(billing).post(`/v1/webhooks/${id}/redeliver`, { after: before ? `${before.commit}:${before.prepare}` : '0' }).expect(202);
    expect(replay.body.position).toBeDefined();
    await receiver.until(() => accepted().length >= 6, 'the replayed changes');
    expect(accepted().slice(3)).toEqual(ofDeal);

    // one delivery again, by id: the same event id once more
    const again = await as(billing).post(`/v1/webhooks/${id}/redeliver`, { deliveryId: first.id }).expect(202);
    expect(again.body.delivery).toMatchObject({ status: 'pending', attempts: 0 });
    await receiver.until(() => accepted().length >= 7, 'the single redelivery');
    expect(accepted()[6]).toBe(ofDeal[0]);
    const log = (await as(billing).get(`/v1/webhooks/${id}/deliveries`).expect(200)).body.deliveries as { id: string; attemptLog: { statusCode: number }[] }[];
    expect(log.find((d) => d.id === first.id)!.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);

    const neither = await as(billing).post(`/v1/webhooks/${id}/redeliver`, {}).expect(422);
    expect(neither.body.message).toMatch(/exactly one/);
    await as(billing).post(`/v1/webhooks/${id}/redeliver`, { deliveryId: '999999' }).expect(404);
  }, 180_000);
});

describe('/v1/webhooks without WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses loopback, private and link-local targets', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://192.168.1.10/x']) {
      const res = await request(t.url).post('/v1/webhooks').set('Authorization', bearer(ACTORS.manager)).send({ url });
      expect({ url, status: res.status, message: JSON.stringify(res.body.message) }).toEqual({
        url,
        status: 400,
        message: expect.stringMatching(/private, loopback or link-local/),
      });
    }
  });
});
