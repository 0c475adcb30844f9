import request from 'supertest';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { Pool } from 'pg';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

/** A Prometheus text-format (0.0.4) sample line: name, optional labels, a number. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,|(?=\})))*\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf))( \d+)?$/;

/** Parses an exposition strictly: every line a HELP, a TYPE or a sample of a declared family. */
function parseExposition(text: string): Map<string, { type: string; samples: { name: string; labels: string; value: number }[] }> {
  const families = new Map<string, { type: string; samples: { name: string; labels: string; value: number }[] }>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      families.set(type[1], { type: type[2], samples: [] });
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const family = [...families.keys()].find((f) => sample[1] === f || /^_(bucket|sum|count|total|created)$/.test(sample[1].slice(f.length)) && sample[1].startsWith(f));
    if (!family) throw new Error(`a sample of an undeclared family: ${line}`);
    families.get(family)!.samples.push({ name: sample[1], labels: sample[2] ?? '', value: Number(sample[3]) });
  }
  return families;
}

describe('operations: /metrics and /health/live|ready', () => {
  let t: TestApp;
  let api: DealApi;
  beforeAll(async () => {
    // No projector runs in this app: the projections exist but stand still, as if stopped.
    t = await startTestApp({ env: { READY_MAX_PROJECTION_LAG_SECONDS: '1' } });
    api = new DealApi(t.url);
    const pool = new Pool({ connectionString: t.db.url });
    for (const projection of ALL_PROJECTIONS) await new GenerationRegistry(pool).ensureLive(projection);
    await pool.end();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is live, and ready while nothing lags', async () => {
    expect((await request(t.url).get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await request(t.url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.projections.status).toBe('up');
    expect((await request(t.url).get('/health')).status).toBe(200);
  });

  it('serves Prometheus text that parses, with commands, latency, appends, lag per projection, feed consumers and process metrics', async () => {
    expect((await api.open(ACTORS.rep)).status).toBe(201);
    expect((await api.command('00000000-0000-4000-8000-000000000009', 'interest', ACTORS.rep, facts.interest)).status).toBe(404);
    await request(t.url).get('/v1/feeds/stage-changes').set('Authorization', bearer(ACTORS.auditor)).expect(200);

    const scrape = await request(t.url).get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers["content-type"]).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const families = parseExposition(scrape.text);
    const samples = (name: string) => families.get(name)?.samples ?? [];

    expect(families.get('funnel_commands_total')?.type).toBe('counter');
    expect(samples('funnel_commands_total')).toEqual(expect.arrayContaining([{ name: 'funnel_commands_total', labels: '{type="OpenDeal",outcome="accepted"}', value: 1 }]));
    expect(samples('funnel_commands_total')).toEqual(expect.arrayContaining([{ name: 'funnel_commands_total', labels: '{type="RecordCustomerInterest",outcome="not_found"}', value: 1 }]));
    expect(families.get('funnel_command_duration_seconds')?.type).toBe('histogram');
    expect(samples('funnel_command_duration_seconds').find((s) => s.name.endsWith('_count') && s.labels.includes('OpenDeal'))?.value).toBe(1);
    expect(samples('funnel_events_appended_total')).toEqual([{ name: 'funnel_events_appended_total', labels: '', value: 1 }]);
    const lagged = samples('funnel_projection_lag_events').map((s) => /projection="([^"]+)"/.exec(s.labels)?.[1]).sort();
    expect(lagged).toEqual(ALL_PROJECTIONS.map((p) => p.name).sort());
    expect(families.get('funnel_projection_lag_seconds')?.type).toBe('gauge');
    expect(families.get('funnel_feed_consumers')?.type).toBe('gauge');
    expect(samples('funnel_process_cpu_user_seconds_total').length).toBe(1);
    expect(samples('funnel_process_resident_memory_bytes').length + samples('funnel_nodejs_heap_size_used_bytes').length).toBeGreaterThan(0);
  });

  it('is not ready once a stopped projection lags beyond the threshold, and says which', async () => {
    // The deal opened above is not projected (no projector runs); its age grows past 1 s.
    let ready = await request(t.url).get('/health/ready');
    // (The feed shows an event once no older transaction is open on the server: on a busy shared
    // PostgreSQL that can take a while, hence the patient loop.)
    for (let i = 0; i < 300 && ready.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await request(t.url).get('/health/ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body.details.projections.status).toBe('down');
    expect(ready.body.details.projections.lagging.map((p: { name: string }) => p.name).sort()).toEqual(ALL_PROJECTIONS.map((p) => p.name).sort());
    // /health keeps its meaning: the database and the event store answer.
    expect((await request(t.url).get('/health')).status).toBe(200);
    expect((await request(t.url).get('/health/live')).status).toBe(200);
  });
});
