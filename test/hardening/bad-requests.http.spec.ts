import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { ACTORS, bearer } from '../support/auth';
import { StoreSize } from '../support/store-size';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi, openDealBody } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

/**
 * The defect classes of issue #7, one test each: every one answered 500 (or ran the command
 * without the client's data) before. A refused request never appends anything.
 */
describe('bad requests answer a clear 4xx and append nothing', () => {
  let t: TestApp;
  let api: DealApi;
  let store: StoreSize;
  let dealId: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
    store = await StoreSize.of(t.db.url);
    const opened = await api.open(ACTORS.rep);
    expect(opened.status).toBe(201);
    dealId = opened.body.dealId as string;
  });
  afterAll(async () => {
    await store.close();
    await t.close();
  });

  const head = () => store.events();

  /** Sends the raw request and asserts a 4xx with nothing appended. */
  async function refused(send: () => Promise<request.Response>, status: number): Promise<request.Response> {
    const before = await head();
    const res = await send();
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    expect(await head()).toBe(before);
    return res;
  }

  const post = (path: string) => request(t.url).post(path).set('Authorization', bearer(ACTORS.rep));

  describe('1: NUL and lone surrogates in text', () => {
    it.each([
      ['NUL', 'Acme\u0000Corp'],
      ['a lone high surrogate', 'Acme\ud800Corp'],
      ['a lone low surrogate', 'Acme\udc00'],
    ])('%s in any free-text field of a command is a 400 naming the field', async (_what, text) => {
      const body = { ...openDealBody(), account: { ...(openDealBody() as { account: object }).account, name: text } };
      const res = await refused(() => post('/v1/deals').set('Content-Type', 'application/json').send(JSON.stringify(body)), 400);
      expect(JSON.stringify(res.body.errors)).toContain('account.name');
    });

    it('also as a JSON escape inside an array of objects, anywhere in an otherwise valid command', async () => {
      const attendees = [{ ...facts.visit.preparation.customerAttendees[0], name: 'Wang\\u0000Lei' }];
      const raw = JSON.stringify({ ...facts.visit, preparation: { ...facts.visit.preparation, customerAttendees: attendees } }).replace('\\\\u0000', '\\u0000');
      expect(raw).toContain('Wang\\u0000Lei');
      const res = await refused(() => post(`/v1/deals/${dealId}/visits`).set('Content-Type', 'application/json').send(raw), 400);
      expect(res.body.errors).toEqual([{ field: 'preparation.customerAttendees.0.name', messages: [expect.stringMatching(/NUL/)] }]);
    });

    it.each(['owner', 'team', 'region', 'industry'])('NUL in the %s filter of /v1/funnel and the analytics routes is a 400', async (filter) => {
      for (const path of ['/v1/funnel', '/v1/analytics/dwell-times', '/v1/analytics/conversion', '/v1/analytics/cycle-time', '/v1/analytics/reps', '/v1/anomalies']) {
        const res = await request(t.url).get(`${path}?${filter}=a%00b`).set('Authorization', bearer(ACTORS.manager));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
    });
  });

  describe('2: /v1/analytics/reps validates `from` like every analytics route', () => {
    it.each(['2024-13-01', 'yesterday', '1e309', '2024-02-30'])('from=%s is a 400', async (from) => {
      const res = await request(t.url).get(`/v1/analytics/reps?from=${from}`).set('Authorization', bearer(ACTORS.analyst));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain('from');
    });
  });

  describe('3: deeply nested JSON', () => {
    it.each([500, 5000])('%d levels is a 400 on a POST route, before it is parsed', async (depth) => {
      const raw = `{"account":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await refused(() => post('/v1/deals').set('Content-Type', 'application/json').send(raw), 400);
      expect(JSON.stringify(res.body)).toMatch(/nest/i);
    });
  });

  describe('4: a Content-Encoding that does not match the body', () => {
    it.each(['gzip', 'br', 'deflate'])('%s on an uncompressed body is a 4xx', async (encoding) => {
      const res = await refused(
        () => post(`/v1/deals/${dealId}/shipment`).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"shipmentId":"s-1"}'),
        400,
      );
      expect(res.body.code).toBeDefined();
    });

    it('a real gzip body is still understood', async () => {
      const res = await post('/v1/deals')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        // superagent would serialise a Buffer as JSON; these bytes must go as they are
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(gzipSync(JSON.stringify(openDealBody())));
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    });
  });

  describe('5: a body that is not JSON', () => {
    it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/x-www-form-urlencoded'])(
      '%s is a 415 and nothing is recorded',
      async (type) => {
        const res = await refused(() => post(`/v1/deals/${dealId}/shipment`).set('Content-Type', type).send('{"shipmentId":"s-1"}'), 415);
        expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('a body without any Content-Type is a 415', async () => {
      await refused(
        () => new Promise<request.Response>((resolve, reject) => {
          post(`/v1/deals/${dealId}/shipment`).set('Content-Type', '').send(Buffer.from('{"shipmentId":"s-1"}')).then(resolve, reject);
        }),
        415,
      );
    });
  });

  describe('7: prototype keys', () => {
    it.each(['__proto__', 'constructor', 'hasOwnProperty', 'prototype'])('a body key %s is a 400 like any unknown key', async (key) => {
      const raw = `{"shipmentId":"s-9","${key}":{"x":1}}`;
      const res = await refused(() => post(`/v1/deals/${dealId}/shipment`).set('Content-Type', 'application/json').send(raw), 400);
      expect(JSON.stringify(res.body)).toContain(key);
    });
  });

  describe('8: a waitFor position beyond 64 bits', () => {
    it.each(['/v1/funnel', '/v1/analytics/dwell-times', '/v1/anomalies'])('is refused at once on %s', async (path) => {
      const res = await request(t.url).get(`${path}?waitFor=99999999999999999999:1`).set('Authorization', bearer(ACTORS.manager));
      expect(res.status).toBe(400);
      expect(res.headers['x-projection-behind']).toBeUndefined();
    });
  });

  describe('13: roles the metrics documentation names, and documented refusals', () => {
    it('the auditor reads /v1/funnel', async () => {
      const res = await request(t.url).get('/v1/funnel').set('Authorization', bearer(ACTORS.auditor));
      expect(res.status).toBe(200);
    });

    it('every route that needs a token documents 401 and 403', async () => {
      const doc = (await request(t.url).get('/docs-json')).body as { paths: Record<string, Record<string, { 'x-public'?: boolean; security?: unknown[]; responses: Record<string, unknown> }>> };
      const undocumented: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (operation['x-public']) continue;
          if (!operation.security?.length) undocumented.push(`${method.toUpperCase()} ${path} security`);
          for (const status of ['401', '403']) if (!operation.responses[status]) undocumented.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
      expect(undocumented).toEqual([]);
    });
  });
});
