/**
 * POST /v1/imports over HTTP: a CSV body read as it streams in, answering the summary; the same
 * file again appends nothing; a later export appends only the new changes; a deal imported and
 * then worked natively keeps one stream; bad rows are reported with line and reason. The body is
 * streamed under its own limit (IMPORT_BODY_LIMIT_BYTES): larger than the JSON bodies' limit is
 * fine, gzip is decoded as it comes, over the limit is a 413 that appends nothing.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { ConfigService } from '@nestjs/config';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { sourceDealId } from '@funnel/importers/source-ids';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { DealApi } from '../api/deals/deal-api.client';
import { ACTORS, bearer, TestActor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const HEADER = 'deal,account,owner,team,region,industry,amount,currency,stage,entered_at';
const EARLY = [
  HEADER,
  'OPP-1,Nordwind Steel,ann,north,EMEA,manufacturing,120000,EUR,TARGET,2025-01-02',
  'OPP-1,Nordwind Steel,ann,north,EMEA,manufacturing,120000,EUR,POTENTIAL,2025-01-20T10:00:00Z',
  'OPP-2,Harbour Foods,bo,south,APAC,retail,40000,USD,TARGET,2025-02-01',
  'OPP-2,Harbour Foods,bo,south,APAC,retail,40000,USD,PROJECT,2025-03-01',
  'OPP-3,Bad Row Ltd,cy,north,EMEA,energy,lots,EUR,TARGET,2025-02-30',
  'OPP-4,Unknown Stage,cy,north,EMEA,energy,10,EUR,Signed,2025-02-03',
].join('\r\n');
// The later export: OPP-1 won (with its final amount), OPP-2 lost, OPP-5 new.
const LATER = [
  EARLY,
  'OPP-1,Nordwind Steel,ann,north,EMEA,manufacturing,150000,EUR,WON,2025-06-01',
  'OPP-2,Harbour Foods,bo,south,APAC,retail,40000,USD,LOST,2025-05-01',
  'OPP-5,Lakeside Labs,ann,north,EMEA,pharma,9000,EUR,INTENT,2025-05-15',
].join('\r\n');

describe('POST /v1/imports', () => {
  let t: TestApp;
  let api: DealApi;
  const upload = (body: string, query: string, actor: TestActor = ACTORS.manager, type = 'text/csv') =>
    request(t.url).post(`/v1/imports?${query}`).set('Authorization', bearer(actor)).set('Content-Type', type).send(body);
  const OPP1 = sourceDealId('stage-changes', 'OPP-1');

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    api = new DealApi(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses without the manager role, without a CSV body, with a bad query or an unusable mapping', async () => {
    await upload(EARLY, 'format=stage-changes', ACTORS.analyst).expect(403);
    await upload(EARLY, 'format=stage-changes', ACTORS.rep).expect(403);
    await upload('{}', 'format=stage-changes', ACTORS.manager, 'application/json').expect(415);
    const bad = await upload(EARLY, 'format=excel&dryRun=maybe').expect(400);
    expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringContaining('format'), expect.stringContaining('dryRun')]));
    const mapping = await upload(EARLY, `format=stage-changes&mapping=${encodeURIComponent('{"stages":{"Signed":"SIGNED"},"colour":1}')}`).expect(400);
    expect(mapping.body.message).toEqual(['mapping: unknown key "colour"', expect.stringContaining('mapping: stages."Signed" must be one of')]);
    const header = await upload('deal,stage\nX,TARGET\n', 'format=stage-changes').expect(400);
    expect(header.body.message[0]).toContain('the header lacks "account"');
    expect((await api.get(`/v1/deals/${OPP1}`, ACTORS.manager)).status).toBe(404);
  });

  it('validates a dry run without appending, then imports the good rows and reports the bad ones by line', async () => {
    const dry = await upload(EARLY, 'format=stage-changes&dryRun=true&file=early.csv').expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, eventsAppended: 4, position: null });
    expect((await api.get(`/v1/deals/${OPP1}`, ACTORS.manager)).status).toBe(404);

    const res = await upload(EARLY, 'format=stage-changes&file=early.csv').expect(200);
    expect(res.body).toEqual({
      format: 'stage-changes',
      file: 'early.csv',
      dryRun: false,
      rowsRead: 6,
      deals: 2,
      eventsAppended: 4,
      skipped: 0,
      refused: 2,
      problems: [
        { file: 'early.csv', line: 6, reason: 'entered_at "2025-02-30" is not a real date; amount "lots" is not a number' },
        { file: 'early.csv', line: 7, reason: expect.stringContaining('stage "Signed" has no mapping') },
      ],
      position: expect.any(String),
    });
    const history = await api.history(OPP1, ACTORS.auditor);
    expect(history.map((e) => e.type)).toEqual(['DealImported', 'StageChangeImported']);
    expect(history[1].data).toMatchObject({
      from: 'TARGET',
      to: 'POTENTIAL',
      importedFrom: { system: 'stage-changes', file: 'early.csv', line: 3, importedBy: 'mia' },
      occurredAt: '2025-01-20T10:00:00.000Z',
    });
  });

  it('appends nothing for the same file again', async () => {
    const res = await upload(EARLY, 'format=stage-changes&file=early.csv').expect(200);
    expect(res.body).toMatchObject({ eventsAppended: 0, skipped: 4, refused: 2, position: null });
  });

  it('keeps one stream for a deal worked natively after its import, and a later export appends only the new changes', async () => {
    // Native work on the imported deal, by the same rules as any deal: a manager's override.
    const moved = await api.command(OPP1, 'stage', ACTORS.manager, {
      to: 'INTENT',
      occurredAt: '2025-03-01T09:00:00Z',
      override: { reason: 'interest confirmed on the phone, not yet recorded' },
    });
    expect(moved.status).toBe(201);

    const res = await upload(LATER, 'format=stage-changes&file=later.csv').expect(200);
    expect(res.body).toMatchObject({ rowsRead: 9, deals: 3, eventsAppended: 3, skipped: 4, refused: 2 });
    const history = await api.history(OPP1, ACTORS.auditor);
    expect(history.map((e) => e.type)).toEqual(['DealImported', 'StageChangeImported', 'StageAdvanced', 'StageChangeImported']);
    expect(history[3].data).toMatchObject({ from: 'INTENT', to: 'WON', amount: 150000, importedFrom: { file: 'later.csv', line: 8 } });

    const deal = await api.get(`/v1/deals/${OPP1}`, ACTORS.manager);
    expect(deal.body).toMatchObject({ status: 'won', amount: 150000, payments: [] });

    // Analytics see the imported history as they see native moves; one override counted (the native one).
    const analyst = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
    const conversion = await analyst(`/v1/analytics/conversion?waitFor=${res.body.position}`).expect(200);
    expect(conversion.body.winRate).toMatchObject({ won: 1, lost: 1, byCount: 0.5 });
    const overrides = await analyst(`/v1/anomalies?kind=gate_overridden`).expect(200);
    expect(overrides.body.items.map((i: { dealId: string }) => i.dealId)).toEqual([OPP1]);
    const skips = await analyst(`/v1/anomalies?kind=stages_skipped`).expect(200);
    expect(skips.body.count).toBe(0);
  });
});

describe('POST /v1/imports, a streamed body under IMPORT_BODY_LIMIT_BYTES', () => {
  const LIMIT = 2 * 1024 * 1024;
  let t: TestApp;
  let store: EventStore;
  const upload = (body: string | Buffer, query: string, headers: Record<string, string> = {}) =>
    request(t.url).post(`/v1/imports?${query}`).set('Authorization', bearer(ACTORS.manager)).set('Content-Type', 'text/csv').set(headers).send(body);

  // 300 deals, two rows each, every row with a 1 kB note the format ignores: ~640 kB, beyond the
  // JSON limit (256 kB); two bad rows far into the file.
  const NOTE = 'n'.repeat(1000);
  const rows = [`${HEADER},note`];
  for (let i = 0; i < 300; i++) {
    rows.push(`BIG-${i},Account ${i},ann,north,EMEA,retail,${1000 + i},EUR,TARGET,2025-01-02,${NOTE}`);
    rows.push(`BIG-${i},Account ${i},ann,north,EMEA,retail,${1000 + i},EUR,INTENT,2025-02-03,${NOTE}`);
    if (i === 250) rows.push(`BIG-X,Account X,ann,north,EMEA,retail,12,EUR,TARGET,yesterday,${NOTE}`);
  }
  rows.push(`BIG-Y,Account Y,ann,north,EMEA,retail,12,XYZW,TARGET,2025-01-02,${NOTE}`);
  const BIG = rows.join('\n');

  beforeAll(async () => {
    t = await startTestApp({ env: { IMPORT_BODY_LIMIT_BYTES: String(LIMIT) } });
    store = t.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports a body larger than the JSON body limit and reports its bad rows by line', async () => {
    expect(Buffer.byteLength(BIG)).toBeGreaterThan(t.app.get(ConfigService<FunnelConfig, true>).get('HTTP_BODY_LIMIT_BYTES', { infer: true }));
    await request(t.url).post('/v1/deals').set('Authorization', bearer(ACTORS.manager)).set('Content-Type', 'application/json').send(`{"note":"${'x'.repeat(BIG.length)}"}`).expect(413);
    const res = await upload(BIG, 'format=stage-changes&file=big.csv').expect(200);
    expect(res.body).toMatchObject({ rowsRead: 602, deals: 300, eventsAppended: 600, skipped: 0, refused: 2 });
    // Header on line 1, deal i on lines 2i+2 and 2i+3; the bad row after deal 250's two rows.
    expect(res.body.problems).toEqual([
      { file: 'big.csv', line: 504, reason: expect.stringContaining('entered_at') },
      { file: 'big.csv', line: 603, reason: expect.stringContaining('currency') },
    ]);
    const deal = await request(t.url).get(`/v1/deals/${sourceDealId('stage-changes', 'BIG-299')}`).set('Authorization', bearer(ACTORS.manager)).expect(200);
    expect(deal.body).toMatchObject({ stage: 'INTENT', amount: 1299 });
  });

  it('decodes a gzip body as it streams in: the same file again appends nothing', async () => {
    const res = await upload(gzipSync(BIG), 'format=stage-changes&file=big.csv.gz', { 'Content-Encoding': 'gzip' }).expect(200);
    expect(res.body).toMatchObject({ file: 'big.csv.gz', rowsRead: 602, deals: 300, eventsAppended: 0, skipped: 600, refused: 2 });
  });

  it('answers 413 over the limit, declared or not, before decompression or after, and appends nothing', async () => {
    const head = await store.headPosition();
    const over = [`${HEADER},note`, ...Array.from({ length: 2200 }, (_, i) => `OVER-${i},Acme,ann,north,EMEA,retail,1,EUR,TARGET,2025-01-02,${NOTE}`)].join('\n');
    expect(Buffer.byteLength(over)).toBeGreaterThan(LIMIT);

    const declared = await upload(over, 'format=stage-changes').expect(413);
    expect(declared.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: `the body is larger than ${LIMIT} bytes` });
    // Chunked, without a Content-Length: refused once the limit is passed, mid-file.
    const chunked = await postChunked(t.url, '/v1/imports?format=stage-changes', Buffer.from(over));
    expect(chunked).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    // Small on the wire, over the limit once decompressed.
    const bomb = gzipSync(over);
    expect(bomb.length).toBeLessThan(LIMIT);
    await upload(bomb, 'format=stage-changes', { 'Content-Encoding': 'gzip' }).expect(413);

    expect(await store.headPosition()).toEqual(head);
    await request(t.url).get(`/v1/deals/${sourceDealId('stage-changes', 'OVER-0')}`).set('Authorization', bearer(ACTORS.manager)).expect(404);
  });

  it('refuses a body that is not the gzip it says (400) and a coding it does not decode (415)', async () => {
    const broken = await upload(Buffer.from('not gzip at all'), 'format=stage-changes', { 'Content-Encoding': 'gzip' }).expect(400);
    expect(broken.body).toMatchObject({ code: 'BODY_UNREADABLE' });
    const unknown = await upload(BIG, 'format=stage-changes', { 'Content-Encoding': 'compress' }).expect(415);
    expect(unknown.body.message).toContain('Content-Encoding compress');
  });
});

/** A POST whose body goes out in 64 kB chunks with Transfer-Encoding: chunked (no Content-Length). */
function postChunked(base: string, path: string, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method: 'POST', headers: { Authorization: bearer(ACTORS.manager), 'Content-Type': 'text/csv' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 65536) req.write(body.subarray(at, at + 65536));
    req.end();
  });
}
