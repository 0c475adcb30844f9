import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore, EventToAppend } from '@funnel/event-store/event-store.port';
import { ACTORS, bearer, TestActor } from '../support/auth';
import { SseClient } from '../support/sse-client';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A service follows stage changes as Server-Sent Events. When its connection drops and it
 * reconnects with Last-Event-ID it must get exactly what it missed: nothing lost, nothing twice.
 */
describe('GET /v1/feeds/stage-changes as Server-Sent Events', () => {
  let t: TestApp;
  let store: EventStore;
  const billing: TestActor = { sub: 'billing', name: 'Billing service', roles: ['service'] };
  const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();

  const opened = (dealId: string, owner = 'alice', team = 'north'): EventToAppend => ({
    type: 'DealOpened',
    data: {
      dealId,
      account: { name: 'Acme', industry: 'Manufacturing', region: 'EMEA' },
      owner,
      team,
      amount: 50000,
      currency: 'EUR',
      stage: 'TARGET',
      occurredAt: at(1),
      playbookVersion: '2026.1',
    },
    metadata: { actor: { id: owner } },
  });
  const advanced = (from: string, to: string, day: number): EventToAppend => ({
    type: 'StageAdvanced',
    data: { from, to, skipped: [], occurredAt: at(day), playbookVersion: '2026.1' },
    metadata: { actor: { id: 'alice' } },
  });
  const reassigned = (from: string, to: string, team: string): EventToAppend => ({
    type: 'OwnerReassigned',
    data: { from, to, team, occurredAt: at(5) },
    metadata: { actor: { id: 'mia' } },
  });
  const lost = (from: string): EventToAppend => ({
    type: 'DealLost',
    data: { from, reason: 'price', occurredAt: at(9) },
    metadata: { actor: { id: 'bob' } },
  });

  beforeAll(async () => {
    t = await startTestApp({ env: { SSE_HEARTBEAT_SECONDS: '1' } });
    store = t.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await t.close();
  });

  const open = (query: string, headers: Record<string, string> = {}, actor: TestActor = billing) =>
    SseClient.open(`${t.url}/v1/feeds/stage-changes${query}`, { Authorization: bearer(actor), ...headers });
  const changesOf = (c: SseClient) => c.messages.map((m) => JSON.parse(m.data) as { eventId: string; dealId: string; to: string });

  it('a client that reconnects with Last-Event-ID receives exactly what it missed', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.appendToStream(`deal-${a}`, [opened(a), advanced('TARGET', 'POTENTIAL', 2)], { expectedRevision: 'no_stream' });
    await store.appendToStream(`deal-${b}`, [opened(b)], { expectedRevision: 'no_stream' });

    const first = await open('?after=0');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
    await first.until((c) => c.messages.length >= 3, 'the first three changes');
    first.close();
    const seenFirst = changesOf(first);
    expect(seenFirst.map((c) => [c.dealId, c.to])).toEqual([
      [a, 'TARGET'],
      [a, 'POTENTIAL'],
      [b, 'TARGET'],
    ]);
    // each message's id is its feed position
    expect(first.messages.map((m) => m.id)).toEqual(seenFirst.map((c) => (c as unknown as { position: string }).position));

    // while the client is away, more changes happen
    await store.appendToStream(`deal-${b}`, [advanced('TARGET', 'POTENTIAL', 3), advanced('POTENTIAL', 'INTENT', 4)], { expectedRevision: 0n });
    await store.appendToStream(`deal-${a}`, [lost('POTENTIAL')], { expectedRevision: 1n });

    // EventSource reconnects to the same URL (?after=0) and sends the last id it saw: the header wins
    const again = await open('?after=0', { 'Last-Event-ID': first.messages[2].id! });
    await again.until((c) => c.messages.length >= 3, 'the three missed changes');
    await again.until((c) => c.comments.some((x) => x.startsWith('heartbeat')), 'a heartbeat');
    again.close();
    const missed = changesOf(again);
    expect(missed.map((c) => [c.dealId, c.to])).toEqual([
      [b, 'POTENTIAL'],
      [b, 'INTENT'],
      [a, 'LOST'],
    ]);
    // nothing twice: the two sessions together hold every change once
    const all = [...seenFirst, ...missed].map((c) => c.eventId);
    expect(new Set(all).size).toBe(6);

    // ?after= resumes the same way for clients that keep their own checkpoint
    const byQuery = await open(`?after=${first.messages[2].id}`);
    await byQuery.until((c) => c.messages.length >= 3, 'the same three changes');
    byQuery.close();
    expect(changesOf(byQuery).map((c) => c.eventId)).toEqual(missed.map((c) => c.eventId));
  });

  it('filters by team, owner and stage as they stood at each change, also when resuming mid-life', async () => {
    const d = randomUUID();
    const other = randomUUID();
    await store.appendToStream(`deal-${d}`, [opened(d, 'carl', 'south'), advanced('TARGET', 'POTENTIAL', 2)], { expectedRevision: 'no_stream' });
    const handOver = await store.appendToStream(`deal-${d}`, [reassigned('carl', 'dina', 'west')], { expectedRevision: 1n });
    await store.appendToStream(`deal-${d}`, [advanced('POTENTIAL', 'INTENT', 6), lost('INTENT')], { expectedRevision: 2n });
    await store.appendToStream(`deal-${other}`, [opened(other, 'dina', 'west'), lost('TARGET')], { expectedRevision: 'no_stream' });

    const south = await open(`?after=0&team=south`);
    await south.until((c) => c.messages.length >= 2, "south's two changes");
    const west = await open(`?after=0&team=west&owner=dina&toStage=LOST`);
    await west.until((c) => c.messages.length >= 2, "dina's two losses in the west");
    // resuming after the hand-over: the reader learns who owned the deal from its stream
    const resumed = await open(`?team=west&toStage=INTENT,LOST`, {
      'Last-Event-ID': `${handOver.position.commit}:${handOver.position.prepare}`,
    });
    await resumed.until((c) => c.messages.length >= 3, 'the changes after the hand-over');
    await south.until((c) => c.comments.some((x) => x.startsWith('heartbeat')), 'a heartbeat');
    for (const c of [south, west, resumed]) c.close();

    expect(changesOf(south).filter((c) => c.dealId === d || c.dealId === other).map((c) => c.to)).toEqual(['TARGET', 'POTENTIAL']);
    expect(changesOf(west).map((c) => [c.dealId, c.to])).toEqual([
      [d, 'LOST'],
      [other, 'LOST'],
    ]);
    expect(changesOf(resumed).map((c) => [c.dealId, c.to])).toEqual([
      [d, 'INTENT'],
      [d, 'LOST'],
      [other, 'LOST'],
    ]);
  });

  it('is for services and analysts, and refuses a malformed Last-Event-ID with 400', async () => {
    const auditor = await open('?after=0', {}, ACTORS.auditor);
    expect(auditor.status).toBe(403);
    auditor.close();
    const analyst = await open('?after=0', {}, ACTORS.analyst);
    expect(analyst.status).toBe(200);
    analyst.close();
    const bad = await request(t.url)
      .get('/v1/feeds/stage-changes')
      .set('Accept', 'text/event-stream')
      .set('Authorization', bearer(billing))
      .set('Last-Event-ID', 'yesterday')
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/Last-Event-ID/);
    const badFilter = await request(t.url).get('/v1/feeds/stage-changes').query({ toStage: 'SOMEWHERE' }).set('Authorization', bearer(billing)).expect(400);
    expect(JSON.stringify(badFilter.body.message)).toMatch(/toStage/);
  });
});
