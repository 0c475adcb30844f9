import request from 'supertest';
import { ACTORS, bearer, OTHER_REP } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

/** Security headers and rate limits at the edge (issue #7). */
describe('the edge: security headers and rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '600' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends helmet headers with a strict Content-Security-Policy, relaxed only for /docs', async () => {
    const api = await request(t.url).get('/v1/playbook');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(api.headers['strict-transport-security']).toMatch(/max-age=/);
    const csp = api.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const docs = await request(t.url).get('/docs');
    expect(docs.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
  });

  it('answers 429 with Retry-After past the limit, per token, and counts another token apart', async () => {
    const get = (auth: string) => request(t.url).get('/v1/funnel').set('Authorization', auth);
    for (let i = 0; i < 3; i++) expect((await get(bearer(ACTORS.analyst))).status).toBe(200);
    const refused = await get(bearer(ACTORS.analyst));
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(bearer(ACTORS.auditor))).status).toBe(200);
  });

  it('limits requests without a token per IP, and leaves health probes alone', async () => {
    // The first test spent one of this IP's three requests on /v1/playbook.
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await request(t.url).get('/v1/playbook')).status);
    expect(statuses).toEqual([200, 200]);
    const refused = await request(t.url).get('/v1/playbook');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    // The token's own budget is apart from the IP's.
    expect((await request(t.url).get(`/v1/deals/00000000-0000-4000-8000-000000000000`).set('Authorization', bearer(OTHER_REP))).status).toBe(404);
    for (let i = 0; i < 5; i++) expect((await request(t.url).get('/health')).status).toBe(200);
  });
});
