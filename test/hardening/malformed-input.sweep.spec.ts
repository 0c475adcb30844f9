import request from 'supertest';
import { ACTORS, bearer, TestActor } from '../support/auth';
import { StoreSize } from '../support/store-size';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The malformed-input sweep (issue #7): every route of the OpenAPI document × every class of
 * bad input, so a new route is covered without anyone remembering to. No answer may be a 5xx,
 * and a refused request (any 4xx) must leave the store exactly as it was.
 *
 * Each class is sent once per route (or per parameter / per field where the class is about one
 * field), built from the route's documented schema; the whole sweep is a few thousand requests.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  example?: unknown;
  pattern?: string;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  'x-roles'?: string[];
  'x-public'?: boolean;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

interface Probe {
  cls: string;
  path?: string;
  query?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

const MEGABYTE_STRING = 'x'.repeat(1024 * 1024);
const BAD_UUIDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '%00', 'a'.repeat(300), '..%2F..%2Fetc'];
const IMPOSSIBLE_DATES = ['2024-02-30', '2024-13-01T00:00:00Z', 'yesterday', '1e309', '+275760-09-13T00:00:00.001Z', '2024-06-01T25:00:00Z'];
const NON_FINITE = ['1e309', '-1e309', 'NaN', 'Infinity', '-0', '1e-400', '12345678901234567890123'];
const INVALID_JSON = ['{"a":', "{'a':1}", '{"a":1,}', '[', 'nul', '{"a":"\\x"}', '\u00ff\u00fe{}'];
const WRONG_SHAPES = ['null', '[]', '"text"', '42', 'true', '[{}]'];
/** Fields of one route that receive each per-field class (NUL goes to every text field). */
const FIELDS_PER_CLASS = 2;

/** `n` items of a list, chosen by a stable hash of `salt`: the same sample on every run. */
function sample<T>(list: T[], n: number, salt: string): T[] {
  if (list.length <= n) return list;
  let h = 2166136261;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 16777619) >>> 0;
  const step = Math.max(1, Math.floor(list.length / n));
  return Array.from({ length: n }, (_, i) => list[(h + i * step) % list.length]);
}

describe('malformed-input sweep over every route of the OpenAPI document', () => {
  let t: TestApp;
  let store: StoreSize;
  let doc: Document;
  let dealId: string;
  const failures: string[] = [];
  const sent = new Map<string, Set<string>>();

  beforeAll(async () => {
    // Rate limiting off: the sweep sends thousands of requests from one token.
    t = await startTestApp({ env: { RATE_LIMIT_REQUESTS: '0' } });
    store = await StoreSize.of(t.db.url);
    doc = (await request(t.url).get('/docs-json')).body as Document;
    const opened = await request(t.url)
      .post('/v1/deals')
      .set('Authorization', bearer(ACTORS.rep))
      .send({ account: { name: 'Sweep Ltd', industry: 'retail', region: 'EMEA' }, owner: 'alice', team: 'east', amount: 1000, currency: 'EUR' });
    expect(opened.status).toBe(201);
    dealId = opened.body.dealId as string;
  });
  afterAll(async () => {
    await store.close();
    await t.close();
  });

  /** A token the route accepts, so that what is tested is the input, not the role. */
  function actorFor(operation: Operation): TestActor {
    const roles = operation['x-roles'] ?? [];
    if (roles.includes('manager')) return { ...ACTORS.manager, sub: 'alice' };
    return { sub: 'alice', name: 'Sweep', roles: [roles[0] as TestActor['roles'][number]], teams: ['*'] };
  }

  function resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length) return resolve(schema.allOf[0]);
    return schema;
  }

  /** A value the schema documents as valid, as far as the schema can tell. */
  function validValue(schema: Schema | undefined, depth = 0): unknown {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    switch (s.type) {
      case 'string':
        return s.format === 'date-time' || s.format === 'date' ? new Date(Date.now() - 86_400_000).toISOString() : s.format === 'uuid' ? dealId : 'sweep';
      case 'number':
      case 'integer':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return depth > 4 ? [] : [validValue(s.items, depth + 1)];
      default: {
        if (!s.properties || depth > 4) return {};
        const out: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(s.properties)) out[name] = validValue(property, depth + 1);
        return out;
      }
    }
  }

  /** Every leaf field of a body schema by path, with its schema (nested objects and first array items). */
  function leaves(schema: Schema | undefined, path: string[] = [], depth = 0): { path: string[]; schema: Schema }[] {
    const s = resolve(schema);
    if (depth > 4) return [];
    if (s.type === 'array') return [{ path, schema: s }, ...leaves(s.items, [...path, '0'], depth + 1)];
    if (s.properties) return Object.entries(s.properties).flatMap(([name, p]) => leaves(p, [...path, name], depth + 1));
    return path.length ? [{ path, schema: s }] : [];
  }

  function withField(base: unknown, path: string[], value: unknown): unknown {
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(key) ? [] : {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
    return copy;
  }

  /** JSON text with one field's value spliced in raw (for 1e309, NaN and friends). */
  function withRawField(base: unknown, path: string[], raw: string): string {
    const marker = '"__sweep_raw__"';
    return JSON.stringify(withField(base, path, '__sweep_raw__')).replace(marker, raw);
  }

  function probesFor(operation: Operation, pathTemplate: string): Probe[] {
    const probes: Probe[] = [];
    const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
    const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');

    for (const param of pathParams) {
      for (const bad of BAD_UUIDS) probes.push({ cls: 'bad uuid in path', path: pathTemplate.replace(`{${param.name}}`, bad) });
    }
    probes.push({ cls: 'unknown query parameter', query: 'sweepUnknown=1' });
    for (const param of queryParams) {
      const s = resolve(param.schema);
      const n = encodeURIComponent(param.name);
      probes.push({ cls: 'NUL in query', query: `${n}=a%00b` });
      probes.push({ cls: 'unpaired surrogate in query', query: `${n}=a%ED%A0%80b` });
      probes.push({ cls: 'long string in query', query: `${n}=${'x'.repeat(12_000)}` });
      probes.push({ cls: 'repeated query parameter', query: `${n}=a&${n}=b` });
      probes.push({ cls: 'empty query parameter', query: `${n}=` });
      if (s.enum) probes.push({ cls: 'unknown enum value', query: `${n}=NOT_A_VALUE` });
      if (s.type === 'number' || s.type === 'integer') for (const v of NON_FINITE) probes.push({ cls: 'non-finite number', query: `${n}=${encodeURIComponent(v)}` });
      const dates = /^(from|to|asOf|since|until)$/i.test(param.name) || s.format?.startsWith('date') ? IMPOSSIBLE_DATES : IMPOSSIBLE_DATES.slice(0, 1);
      for (const v of dates) probes.push({ cls: 'impossible date', query: `${n}=${encodeURIComponent(v)}` });
      probes.push({ cls: 'position beyond 64 bits', query: `${n}=99999999999999999999:1` });
    }

    const bodySchema = operation.requestBody?.content['application/json']?.schema;
    if (!operation.requestBody) return probes;
    const valid = validValue(bodySchema);
    const fields = leaves(bodySchema);
    const json = (value: unknown) => JSON.stringify(value);

    probes.push({ cls: 'schema-valid body', body: json(valid) });
    probes.push({ cls: 'empty body', body: '' });
    probes.push({ cls: 'empty object', body: '{}' });
    for (const text of INVALID_JSON) probes.push({ cls: 'invalid JSON', body: text });
    for (const text of WRONG_SHAPES) probes.push({ cls: 'wrong body shape', body: text });
    probes.push({ cls: 'extra field', body: json({ ...(valid as object), sweepExtra: 1 }) });
    for (const key of ['__proto__', 'constructor', 'hasOwnProperty']) {
      probes.push({ cls: 'prototype key', body: json(valid).replace(/^\{/, `{"${key}":{"isAdmin":true},`) });
    }
    probes.push({ cls: 'deep nesting', body: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}` });
    probes.push({ cls: 'megabyte body', body: json({ ...(valid as object), padding: MEGABYTE_STRING }) });
    probes.push({ cls: 'non-JSON content type', body: json(valid), headers: { 'Content-Type': 'text/plain' } });
    probes.push({ cls: 'non-JSON content type', body: json(valid), headers: { 'Content-Type': 'application/xml' } });
    probes.push({ cls: 'mislabelled gzip', body: json(valid), headers: { 'Content-Encoding': 'gzip' } });
    probes.push({ cls: 'mislabelled br', body: json(valid), headers: { 'Content-Encoding': 'br' } });
    probes.push({ cls: 'unknown encoding', body: json(valid), headers: { 'Content-Encoding': 'compress' } });
    probes.push({ cls: 'all text fields NUL', body: json(leaves(bodySchema).filter((f) => f.schema.type === 'string').reduce((b, f) => withField(b, f.path, '\u0000'), valid)) });
    probes.push({ cls: 'non-UTF-8 charset', body: json(valid), headers: { 'Content-Type': 'application/json; charset=latin1' } });

    // One field at a time, so that every other field is valid and the bad one gets as far as it
    // can. Each per-field class goes to a few fields of the route (a different few per class),
    // which keeps the sweep to a couple of thousand requests while every class meets every route.
    const pick = <T>(list: T[], cls: string, n = FIELDS_PER_CLASS): T[] => sample(list, n, `${pathTemplate} ${cls}`);
    for (const field of pick(fields.filter((f) => f.path.length === 1), 'missing field')) {
      const copy = JSON.parse(json(valid)) as Record<string, unknown>;
      delete copy[field.path[0]];
      probes.push({ cls: 'missing field', body: json(copy) });
    }
    const wrongTypeOf = (s: Schema) =>
      s.type === 'string' ? 12345 : s.type === 'array' ? 'not-an-array' : s.type === 'boolean' ? 'yes' : s.type === 'number' || s.type === 'integer' ? '12' : 'not-an-object';
    for (const f of pick(fields, 'wrong type')) probes.push({ cls: 'wrong type', body: json(withField(valid, f.path, wrongTypeOf(f.schema))) });
    for (const f of pick(fields, 'null')) probes.push({ cls: 'null', body: json(withField(valid, f.path, null)) });
    for (const f of pick(fields, 'object instead')) probes.push({ cls: 'object instead', body: json(withField(valid, f.path, { nested: { deeper: 1 } })) });
    const texts = fields.filter((f) => f.schema.type === 'string' || !f.schema.type);
    // NUL and unpaired surrogates: every text field (the class that answered 500 on 31 routes).
    for (const f of texts) probes.push({ cls: 'NUL in text', body: json(withField(valid, f.path, 'a\u0000b')) });
    for (const f of pick(texts, 'unpaired surrogate in text', 4)) probes.push({ cls: 'unpaired surrogate in text', body: json(withField(valid, f.path, 'a\ud800b')) });
    for (const f of pick(texts, 'megabyte string', 1)) probes.push({ cls: 'megabyte string', body: json(withField(valid, f.path, MEGABYTE_STRING)) });
    for (const f of pick(texts, 'long string')) probes.push({ cls: 'long string under the body limit', body: json(withField(valid, f.path, 'y'.repeat(50_000))) });
    for (const f of pick(texts, 'blank text')) probes.push({ cls: 'blank text', body: json(withField(valid, f.path, ' \t ')) });
    const dates = texts.filter((f) => f.schema.format?.startsWith('date') || /(At|date|Date|due|Due|until|Until)$/.test(f.path[f.path.length - 1]));
    for (const f of pick(dates, 'impossible date', 2)) for (const date of IMPOSSIBLE_DATES) probes.push({ cls: 'impossible date', body: json(withField(valid, f.path, date)) });
    for (const f of pick(texts.filter((x) => x.schema.enum), 'unknown enum value')) probes.push({ cls: 'unknown enum value', body: json(withField(valid, f.path, 'NOT_A_VALUE')) });
    const numbers = fields.filter((f) => f.schema.type === 'number' || f.schema.type === 'integer');
    for (const f of pick(numbers, 'non-finite number', 2)) for (const v of NON_FINITE) probes.push({ cls: 'non-finite number', body: withRawField(valid, f.path, v) });
    for (const f of pick(numbers, 'negative number')) probes.push({ cls: 'negative number', body: json(withField(valid, f.path, -1)) });
    const arrays = fields.filter((f) => f.schema.type === 'array');
    for (const f of pick(arrays, 'huge array', 1)) probes.push({ cls: 'huge array', body: json(withField(valid, f.path, new Array(100_000).fill(0))) });
    for (const f of pick(arrays, 'array of wrong items', 2)) probes.push({ cls: 'array of wrong items', body: json(withField(valid, f.path, [null, 1, 'x', [], {}])) });
    return probes;
  }

  it('answers no 5xx and appends nothing for any refused request', async () => {
    let total = 0;
    const started = Date.now();
    for (const [pathTemplate, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const route = `${method.toUpperCase()} ${pathTemplate}`;
        const classes = new Set<string>();
        sent.set(route, classes);
        const actor = operation['x-public'] ? undefined : actorFor(operation);
        for (const probe of probesFor(operation, pathTemplate)) {
          classes.add(probe.cls);
          total++;
          const path = (probe.path ?? pathTemplate).replace(/\{[^}]+\}/g, dealId);
          const url = probe.query ? `${path}?${probe.query}` : path;
          let req = request(t.url)[method as 'get' | 'post'](url);
          if (actor) req = req.set('Authorization', bearer(actor));
          if (probe.body !== undefined) req = req.set('Content-Type', 'application/json');
          for (const [name, value] of Object.entries(probe.headers ?? {})) req = req.set(name, value);
          const before = await store.events();
          const res = probe.body !== undefined ? await req.serialize((b: string) => b).send(probe.body as string) : await req;
          const grew = (await store.events()) !== before;
          if (res.status >= 500) failures.push(`${route} [${probe.cls}] ${url.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          else if (res.status >= 400 && grew) failures.push(`${route} [${probe.cls}] → ${res.status} but the store grew`);
        }
      }
    }
    console.log(`sweep: ${total} requests over ${sent.size} routes in ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
  }, 600_000);

  it('covered every route of the document with the classes that apply to it', () => {
    const routes = [...sent.keys()];
    expect(routes.length).toBeGreaterThan(30);
    // Routes whose documented body is JSON get every JSON class; a route that takes another media
    // type (the CSV import) gets the classes of its own content, checked by its own spec.
    const takesJson = (route: string) => {
      const [method, path] = route.split(' ');
      return doc.paths[path]?.[method.toLowerCase()]?.requestBody?.content['application/json'] !== undefined;
    };
    const bodyRoutes = routes.filter((r) => r.startsWith('POST') && takesJson(r));
    expect(bodyRoutes.length).toBeGreaterThan(20);
    for (const route of bodyRoutes) {
      expect([route, [...sent.get(route)!].sort()]).toEqual([
        route,
        expect.arrayContaining(['NUL in text', 'deep nesting', 'invalid JSON', 'empty body', 'megabyte body', 'mislabelled gzip', 'non-JSON content type', 'prototype key', 'extra field', 'wrong type']),
      ]);
    }
    for (const route of routes.filter((r) => r.includes('{'))) expect(sent.get(route)).toContain('bad uuid in path');
  });
});
