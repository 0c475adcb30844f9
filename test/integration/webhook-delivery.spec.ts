import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { verifyWebhookSignature } from '@funnel/integration/webhooks/webhook-signature';
import { bearer, TestActor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { nextChange, stageChangesInFeed } from './support/stage-change-events';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A receiving service goes down for a while and comes back: it must still get every stage
 * change, each deal's in order, each signed by us, a repeat always under the same event id.
 */
describe('webhook delivery to a receiver that is down for a while', () => {
  let t: TestApp;
  let store: EventStore;
  const receiver = new WebhookReceiver();
  const billing: TestActor = { sub: 'billing', name: 'Billing service', roles: ['service'] };

  beforeAll(async () => {
    t = await startTestApp({
      withProjector: true,
      env: {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_RETRY_MAX_MS: '400',
        WEBHOOK_MAX_ATTEMPTS: '100',
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
    store = t.app.get<EventStore>(EVENT_STORE);
    await receiver.up();
  });
  afterAll(async () => {
    await receiver.down();
    await t.close();
  });

  async function appendRound(deals: { id: string; step: number }[]): Promise<void> {
    for (const deal of deals) {
      await store.appendToStream(`deal-${deal.id}`, [nextChange(deal.id, deal.step)], {
        expectedRevision: deal.step === 0 ? 'no_stream' : BigInt(deal.step - 1),
      });
      deal.step++;
    }
  }

  it('delivers every change exactly as recorded, in order per deal, signed, with stable event ids', async () => {
    const created = await request(t.url)
      .post('/v1/webhooks')
      .set('Authorization', bearer(billing))
      .send({ url: receiver.url, description: 'billing' })
      .expect(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);

    // Every third call is processed but answered 500: the retry repeats it, as a lost answer would.
    receiver.answer = ({ index }) => (index % 3 === 2 ? 500 : 200);
    const deals = Array.from({ length: 5 }, () => ({ id: randomUUID(), step: 0 }));
    await appendRound(deals);
    await appendRound(deals);
    await receiver.until(() => receiver.calls.length >= 6, 'the first deliveries');

    await receiver.down(); // connections refused from now on
    await appendRound(deals);
    await appendRound(deals);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let retries fail against the closed port
    await receiver.up();
    await appendRound(deals);

    const expected = await stageChangesInFeed(store, 25);
    expect(expected).toHaveLength(25);
    const accepted = () => new Set(receiver.calls.filter((c) => c.answered === 200).map((c) => c.headers['funnel-event-id'] as string));
    await receiver.until(() => accepted().size >= expected.length, 'every change accepted once');

    // every call carries a valid signature over its raw body, and the event id of its body
    for (const call of receiver.calls) {
      expect(verifyWebhookSignature(call.headers['funnel-signature'] as string, call.body, secret)).toEqual({ valid: true });
      const body = JSON.parse(call.body) as { eventId: string; schema: string; from: unknown };
      expect(call.headers['funnel-event-id']).toBe(body.eventId);
      expect(call.headers['funnel-schema']).toBe('funnel.deal.stage-changed/1');
      expect(body).toHaveProperty('from');
    }
    // every change arrived; duplicates are repeats of the same event (same id, same body)
    expect([...accepted()].sort()).toEqual(expected.map((e) => e.eventId).sort());
    const bodies = new Map<string, string>();
    for (const call of receiver.calls) {
      const eventId = call.headers['funnel-event-id'] as string;
      expect(bodies.get(eventId) ?? call.body).toBe(call.body);
      bodies.set(eventId, call.body);
    }
    expect(receiver.calls.length).toBeGreaterThan(expected.length);
    // in order per deal: what each deal's calls carried, repeats collapsed, is its feed order
    for (const deal of deals) {
      const calls = receiver.calls
        .map((c) => JSON.parse(c.body) as { eventId: string; dealId: string })
        .filter((b) => b.dealId === deal.id)
        .map((b) => b.eventId)
        .filter((eventId, i, all) => i === 0 || all[i - 1] !== eventId);
      expect(calls).toEqual(expected.filter((e) => e.dealId === deal.id).map((e) => e.eventId));
    }

    // the delivery log shows the failed attempts with their status codes and response times
    // (the worker records an outcome just after the receiver answered: wait for the last ones)
    type Delivery = { status: string; attempts: number; attemptLog: { statusCode: number | null; durationMs: number; error: string | null }[] };
    let deliveries: Delivery[] = [];
    await receiver.until(() => deliveries.length === 25 && deliveries.every((d) => d.status === 'delivered'), 'every delivery recorded', 60_000, async () => {
      const log = await request(t.url).get(`/v1/webhooks/${id}/deliveries`).query({ limit: 1000 }).set('Authorization', bearer(billing)).expect(200);
      deliveries = log.body.deliveries as Delivery[];
    });
    const retried = deliveries.filter((d) => d.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    const codes = new Set(retried.flatMap((d) => d.attemptLog.map((a) => a.statusCode)));
    expect(codes).toContain(500); // answered with an error
    expect(codes).toContain(null); // no answer: the port was closed
    for (const d of deliveries) {
      expect(d.attemptLog).toHaveLength(d.attempts);
      expect(d.attemptLog[d.attempts - 1]).toMatchObject({ statusCode: 200, error: null });
      for (const a of d.attemptLog) expect(typeof a.durationMs).toBe('number');
    }
  }, 240_000);
});
