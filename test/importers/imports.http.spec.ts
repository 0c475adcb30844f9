/**
 * POST /v1/imports over HTTP: a CSV body read as it streams in, answering the summary; the same
 * file again appends nothing; a later export appends only the new changes; a deal imported and
 * then worked natively keeps one stream; bad rows are reported with line and reason.
 */
import request from 'supertest';
import { sourceDealId } from '@funnel/importers/source-ids';
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
