import { ALL_PROJECTIONS, findProjection } from '@funnel/read-models/projection/all-projections';
import request from 'supertest';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { fixedHistoryInOrder } from '../read-models/support/fixed-history';

describe('GET /v1/projections', () => {
  let t: TestApp;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.manager));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every projection with its live generation, checkpoint and lag', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const history = fixedHistoryInOrder();
    let position = '';
    for (const [dealId, event] of history) {
      position = formatPosition((await store.appendToStream(dealStreamId(dealId), [{ type: event.type, data: event.data }], { expectedRevision: 'any' })).position);
    }
    await get(`/v1/funnel?waitFor=${position}`).expect(200);
    await get(`/v1/funnel?asOf=2025-01-01T00:00:00Z&waitFor=${position}`).expect(200);

    const res = await get('/v1/projections').expect(200);
    expect(res.body.projections.map((p: { name: string }) => p.name)).toEqual(ALL_PROJECTIONS.map((p) => p.name).sort());
    for (const name of ['deal_summary', 'stage_history']) {
      expect(res.body.projections.find((p: { name: string }) => p.name === name)).toMatchObject({
        name,
        status: 'live',
        generation: 1,
        liveGeneration: 1,
        version: findProjection(name)!.version,
        position,
        eventsProcessed: history.length,
        lag: { events: 0, capped: false, seconds: 0 },
      });
    }
  });

  it('shows the lag of a projection that is behind: events not yet projected and the age of the oldest', async () => {
    const app = t.app;
    // Stop the projector, then append: the checkpoints stay where they were.
    const { Projector } = await import('@funnel/read-models/projection/projector.module');
    await app.get(Projector).beforeApplicationShutdown();
    const store = app.get<EventStore>(EVENT_STORE);
    const dealId = 'ffffffff-0000-4000-8000-000000000006';
    for (let i = 0; i < 3; i++) {
      await store.appendToStream(
        dealStreamId(dealId),
        [{ type: 'ForecastUpdated', data: { probability: 10 * i, expectedCloseDate: '2025-12-31', occurredAt: '2025-06-01T00:00:00.000Z' } }],
        { expectedRevision: 'any' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await get('/v1/projections').expect(200);
    for (const p of res.body.projections) {
      expect(p.lag.events).toBe(3);
      expect(p.lag.capped).toBe(false);
      expect(p.lag.seconds).toBeGreaterThanOrEqual(1);
      expect(p.lag.seconds).toBeLessThan(30);
    }
  });

  it('needs an analyst or manager', async () => {
    await request(t.url).get('/v1/projections').expect(401);
    await request(t.url).get('/v1/projections').set('Authorization', bearer(ACTORS.rep)).expect(403);
  });
});
