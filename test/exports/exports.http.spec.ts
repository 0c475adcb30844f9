/**
 * GET /v1/exports/events over HTTP: every event with its envelope as JSONL or CSV, filtered by
 * business-time period and deal; OCEL 2.0 valid against a schema written from the specification
 * (and pointing only at objects it declares); XES well-formed with the required attributes.
 */
import Ajv from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { OCEL2_JSON_SCHEMA } from '@funnel/exports/formats/ocel2.schema';
import { CSV_COLUMNS } from '@funnel/exports/formats/csv.writer';
import { story } from '../read-models/support/deal-story';
import { ACTORS, bearer, TestActor } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const WON = '3c000000-0000-4000-8000-000000000001';
const LOST = '3c000000-0000-4000-8000-000000000002';
const IMPORTED = '3c000000-0000-4000-8000-000000000003';

const wonDeal = story(WON)
  .opened('2025-01-01T09:00:00.000Z', { accountName: 'Nordwind & Söhne <GmbH>' })
  .visit('2025-01-05T09:00:00.000Z', 'v-1', true)
  .advanced('2025-01-10T09:00:00.000Z', 'POTENTIAL')
  .reassigned('2025-01-15T09:00:00.000Z', 'rep-ann', 'rep-bo', 'south')
  .advanced('2025-02-01T09:00:00.000Z', 'INTENT')
  .regressed('2025-02-10T09:00:00.000Z', 'POTENTIAL')
  .advanced('2025-03-01T09:00:00.000Z', 'INTENT')
  .advanced('2025-04-01T09:00:00.000Z', 'NEGOTIATION', { by: 'manager-mia', reason: 'fast track' })
  .advanced('2025-05-01T09:00:00.000Z', 'WON').events;
const stakeholder: DealEvent = {
  type: 'StakeholderIdentified',
  data: { personId: 'p-1', name: 'Wei Zhang', title: 'CIO', department: 'IT', roles: ['ECONOMIC_BUYER'], occurredAt: '2025-01-20T09:00:00.000Z' },
};
const lostDeal = story(LOST).opened('2025-02-01T09:00:00.000Z', { owner: 'rep-cy', currency: 'USD' }).lost('2025-06-01T09:00:00.000Z', 'price', 'Globex').events;
const importedDeal: DealEvent[] = [
  {
    type: 'DealImported',
    data: {
      dealId: IMPORTED,
      account: { name: 'Cancity', industry: 'Unknown', region: 'Central' },
      owner: 'Moses Frase',
      team: 'Dustin Brinkmann',
      amount: 1054,
      currency: 'USD',
      stage: 'POTENTIAL',
      playbookVersion: 'default/1',
      importedFrom: { system: 'maven', file: 'sales_pipeline.csv', line: 2, externalId: '1C1I7A6R#engaged', importedBy: 'mia' },
      occurredAt: '2024-10-20T00:00:00.000Z',
    },
  },
  {
    type: 'StageChangeImported',
    data: { from: 'POTENTIAL', to: 'WON', importedFrom: { system: 'maven', file: 'sales_pipeline.csv', line: 2, externalId: '1C1I7A6R#closed', importedBy: 'mia' }, occurredAt: '2025-03-01T00:00:00.000Z' },
  },
];

describe('GET /v1/exports/events', () => {
  let t: TestApp;
  const total = wonDeal.length + 1 + lostDeal.length + importedDeal.length;
  const get = (query: string, actor: TestActor = ACTORS.auditor) =>
    request(t.url)
      .get(`/v1/exports/events?${query}`)
      .set('Authorization', bearer(actor))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  beforeAll(async () => {
    t = await startTestApp();
    const store = t.app.get<EventStore>(EVENT_STORE);
    const append = (dealId: string, events: DealEvent[]) =>
      store.appendToStream(
        dealStreamId(dealId),
        events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: { id: 'rep-ann', roles: ['rep'] }, correlationId: 'corr-1', causationId: 'cause-1', command: 'Test', schemaVersion: 1 } })),
        { expectedRevision: 'any' },
      );
    await append(WON, [...wonDeal.slice(0, 4), stakeholder, ...wonDeal.slice(4)]);
    await append(LOST, lostDeal);
    await append(IMPORTED, importedDeal);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is for auditors and managers, and lists every bad parameter', async () => {
    await get('', ACTORS.analyst).expect(403);
    await get('', ACTORS.rep).expect(403);
    await get('', ACTORS.manager).expect(200);
    const bad = await request(t.url).get('/v1/exports/events?from=yesterday&to=2024-01-01&dealId=42&format=pdf').set('Authorization', bearer(ACTORS.auditor)).expect(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([expect.stringContaining('from'), expect.stringContaining('dealId'), expect.stringContaining('format')]),
    );
  });

  it('streams every event as a JSON line with its envelope, the hash chain intact', async () => {
    const res = await get('format=jsonl').expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (res.body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(total);
    expect(lines[0]).toEqual({
      position: expect.stringMatching(/^\d+:\d+$/),
      eventId: expect.any(String),
      streamId: `deal-${WON}`,
      dealId: WON,
      revision: 0,
      type: 'DealOpened',
      schemaVersion: 1,
      occurredAt: '2025-01-01T09:00:00.000Z',
      recordedAt: expect.any(String),
      actor: { id: 'rep-ann', roles: ['rep'] },
      correlationId: 'corr-1',
      causationId: 'cause-1',
      command: 'Test',
      prevHash: null,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      data: wonDeal[0].data,
    });
    const won = lines.filter((l) => l.dealId === WON);
    for (let i = 1; i < won.length; i++) expect(won[i].prevHash).toBe(won[i - 1].hash);
    expect(lines.find((l) => l.type === 'StageChangeImported').data.importedFrom).toMatchObject({ system: 'maven', line: 2 });
  });

  it('filters by deal and by business-time period, from inclusive and to exclusive', async () => {
    const one = (await get(`dealId=${LOST}`).expect(200)).body.trim().split('\n').map((l: string) => JSON.parse(l));
    expect(one.map((e: { type: string }) => e.type)).toEqual(['DealOpened', 'DealLost']);
    const period = (await get('from=2025-02-01T09:00:00Z&to=2025-03-01T09:00:00Z').expect(200)).body.trim().split('\n').map((l: string) => JSON.parse(l));
    expect(period.map((e: { occurredAt: string }) => e.occurredAt).sort()).toEqual([
      '2025-02-01T09:00:00.000Z',
      '2025-02-01T09:00:00.000Z',
      '2025-02-10T09:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ]);
  });

  it('writes CSV with one row per event and the data as JSON', async () => {
    const res = await get('format=csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows: Record<string, string>[] = parseCsv(res.body, { columns: true });
    expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(total);
    const opened = rows.find((r) => r.deal_id === WON && r.type === 'DealOpened')!;
    expect(JSON.parse(opened.data).account.name).toBe('Nordwind & Söhne <GmbH>');
    expect(opened).toMatchObject({ revision: '0', actor_id: 'rep-ann', correlation_id: 'corr-1', causation_id: 'cause-1', prev_hash: '' });
  });

  it('writes OCEL 2.0 JSON that the schema accepts, relating events to deals, accounts, owners and stakeholders it declares', async () => {
    const res = await get('format=ocel2').expect(200);
    const log = JSON.parse(res.body);
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(OCEL2_JSON_SCHEMA);
    expect(validate.errors ?? validate(log)).toBe(true);
    expect(log.events).toHaveLength(total);

    const objects = new Map<string, { type: string }>(log.objects.map((o: { id: string; type: string }) => [o.id, o]));
    expect(new Set([...objects.values()].map((o) => o.type))).toEqual(new Set(['deal', 'account', 'owner', 'stakeholder']));
    const objectTypes = new Set(log.objectTypes.map((t: { name: string }) => t.name));
    for (const o of objects.values()) expect(objectTypes.has(o.type)).toBe(true);
    const declared = new Map<string, Map<string, string>>(
      log.eventTypes.map((t: { name: string; attributes: { name: string; type: string }[] }) => [t.name, new Map(t.attributes.map((a) => [a.name, a.type]))]),
    );
    const fits = (type: string, value: unknown) =>
      type === 'string' || type === 'time' ? typeof value === 'string' : type === 'boolean' ? typeof value === 'boolean' : type === 'integer' ? Number.isInteger(value) : typeof value === 'number';
    for (const event of log.events) {
      expect(declared.has(event.type)).toBe(true);
      for (const a of event.attributes) expect(fits(declared.get(event.type)!.get(a.name)!, a.value)).toBe(true);
      for (const r of event.relationships) expect(objects.has(r.objectId)).toBe(true);
    }
    for (const o of log.objects) for (const r of o.relationships) expect(objects.has(r.objectId)).toBe(true);

    const reassigned = log.events.find((e: { type: string }) => e.type === 'OwnerReassigned');
    expect(reassigned.relationships).toEqual(
      expect.arrayContaining([
        { objectId: `deal:${WON}`, qualifier: 'deal' },
        { objectId: 'owner:rep-ann', qualifier: 'previous owner' },
        { objectId: 'owner:rep-bo', qualifier: 'new owner' },
      ]),
    );
    const identified = log.events.find((e: { type: string }) => e.type === 'StakeholderIdentified');
    expect(identified.relationships).toContainEqual({ objectId: `stakeholder:${WON}:p-1`, qualifier: 'stakeholder' });
    // After the reassignment, the deal's events relate to its new owner.
    const later = log.events.find((e: { type: string; time: string }) => e.type === 'StageRegressed');
    expect(later.relationships).toContainEqual({ objectId: 'owner:rep-bo', qualifier: 'owner' });
    const deal = log.objects.find((o: { id: string }) => o.id === `deal:${WON}`);
    expect(deal.attributes.filter((a: { name: string }) => a.name === 'stage').map((a: { value: string }) => a.value)).toEqual([
      'TARGET', 'POTENTIAL', 'INTENT', 'POTENTIAL', 'INTENT', 'NEGOTIATION', 'WON',
    ]);
  });

  it('writes XES: well-formed, one trace per deal, each event with concept:name, time:timestamp, org:resource and a stage lifecycle', async () => {
    const res = await get('format=xes').expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['trace', 'event', 'string', 'date', 'extension', 'id', 'float'].includes(name) }).parse(res.body);
    const log = doc.log;
    expect(log['xes.version']).toBe('1849-2016');
    expect(log.extension.map((e: { prefix: string }) => e.prefix).sort()).toEqual(['concept', 'lifecycle', 'org', 'time']);
    expect(log.trace).toHaveLength(3);
    const key = (node: { string?: { key: string; value: string }[]; date?: { key: string; value: string }[] }, k: string) =>
      [...(node.string ?? []), ...(node.date ?? [])].find((a) => a.key === k)?.value;
    for (const trace of log.trace) {
      expect(key(trace, 'concept:name')).toMatch(/^[0-9a-f-]{36}$/);
      for (const event of trace.event) {
        expect(key(event, 'concept:name')).toBeTruthy();
        expect(Number.isNaN(Date.parse(key(event, 'time:timestamp')!))).toBe(false);
        expect(key(event, 'org:resource')).toBeTruthy();
        expect(['start', 'complete']).toContain(key(event, 'lifecycle:transition'));
      }
    }
    const won = log.trace.find((t: object) => key(t as never, 'concept:name') === WON);
    expect(key(won, 'account')).toBe('Nordwind & Söhne <GmbH>');
    const stages = won.event
      .map((e: never) => `${key(e, 'concept:name')}:${key(e, 'lifecycle:transition')}`)
      .filter((s: string) => /^[A-Z]+:/.test(s));
    expect(stages).toEqual([
      'TARGET:start', 'TARGET:complete', 'POTENTIAL:start', 'POTENTIAL:complete', 'INTENT:start', 'INTENT:complete', 'POTENTIAL:start',
      'POTENTIAL:complete', 'INTENT:start', 'INTENT:complete', 'NEGOTIATION:start', 'NEGOTIATION:complete', 'WON:start', 'WON:complete',
    ]);
    const imported = log.trace.find((t: object) => key(t as never, 'concept:name') === IMPORTED);
    expect(imported.event.map((e: never) => `${key(e, 'concept:name')}:${key(e, 'lifecycle:transition')}`)).toEqual([
      'POTENTIAL:start', 'POTENTIAL:complete', 'WON:start', 'WON:complete',
    ]);
  });
});
