import request from 'supertest';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi } from './deals/deal-api.client';

/**
 * READ_MODEL_REPLICA_URL: the analytics read there — their answers and the read-model positions
 * `?waitFor=` waits on — while commands, the funnel and everything else stay on the primary.
 * The "replica" here is another database that never receives the primary's writes, which
 * makes the routing visible (a real streaming replica receives them, late).
 */
describe('analytics on a read-model replica', () => {
  let replica: TestApp;
  let withReplica: TestApp;
  let primaryOnly: TestApp;
  let position: string;
  const get = (app: TestApp, path: string) => request(app.url).get(path).set('Authorization', bearer(ACTORS.manager));

  beforeAll(async () => {
    replica = await startTestApp();
    withReplica = await startTestApp({ withProjector: true, env: { READ_MODEL_REPLICA_URL: replica.db.url } });
    primaryOnly = await startTestApp({ database: withReplica.db });
    const opened = await new DealApi(withReplica.url).open(ACTORS.rep);
    expect(opened.status).toBe(201);
    position = opened.body.position;
  });
  afterAll(async () => {
    await primaryOnly?.close();
    await withReplica?.close();
    await replica?.close();
  });

  it('answers the funnel from the primary, with its own writes', async () => {
    const res = await get(withReplica, `/v1/funnel?waitFor=${position}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-projection-behind']).toBeUndefined();
    expect(res.body.stages.find((s: { stage: string }) => s.stage === 'TARGET').deals).toBe(1);
  });

  it('answers the analytics from the replica: what it holds, and behind when it has not reached the position', async () => {
    const path = `/v1/analytics/reps?from=2020-01-01T00:00:00Z&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
    const [routed, onReplica, onPrimary] = await Promise.all([get(withReplica, path), get(replica, path), get(primaryOnly, `${path}&waitFor=${position}`)]);
    expect([routed.status, onReplica.status, onPrimary.status]).toEqual([200, 200, 200]);
    expect(routed.body).toEqual(onReplica.body);
    expect(onPrimary.body).not.toEqual(onReplica.body);
    const waited = await get(withReplica, `${path}&waitFor=${position}`);
    expect(waited.status).toBe(200);
    expect(waited.headers['x-projection-behind']).toBe('true');
  });
});
