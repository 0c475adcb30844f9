/**
 * The demo pipeline goes through the real command path: every command is decided with its
 * gates, so a story that skipped a fact would be refused. Deals are won, lost, reopened,
 * regressed and overridden as the story says; analytics see them; the same seed twice adds nothing.
 */
import request from 'supertest';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { DealCommandExecutor } from '../../apps/api/src/deals/deal-command.executor';
import { runDemo, DemoSummary } from '../../apps/api/src/demo/demo-pipeline';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

describe('npm run funnel -- demo', () => {
  let t: TestApp;
  let store: EventStore;
  let summary: DemoSummary;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
  const audit = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.auditor));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    store = t.app.get(EVENT_STORE);
    summary = await runDemo(t.app.get(DealCommandExecutor), store, { deals: 60, seed: 11 });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('tells every deal’s story through the gates without a single refusal', () => {
    expect(summary.refused).toEqual([]);
    expect(summary).toMatchObject({ deals: 60, alreadyThere: 0 });
    expect(summary.won + summary.lost + summary.open).toBe(60);
    for (const count of [summary.won, summary.lost, summary.open, summary.regressions]) expect(count).toBeGreaterThan(0);
    expect(summary.commands).toBeGreaterThan(60 * 8);
  });

  it('shows in the analytics as it was told: wins, losses, two currencies, overrides only by managers', async () => {
    const conversion = await get(`/v1/analytics/conversion?waitFor=${summary.position}`).expect(200);
    expect(conversion.body.winRate).toMatchObject({ won: summary.won, lost: summary.lost });
    const funnel = await get('/v1/funnel').expect(200);
    const currencies = new Set(funnel.body.stages.flatMap((s: { byCurrency: { currency: string }[] }) => s.byCurrency.map((c) => c.currency)));
    expect(currencies).toEqual(new Set(['EUR', 'USD']));
    const overridden = await get('/v1/anomalies?kind=gate_overridden').expect(200);
    expect(overridden.body.count).toBe(summary.overrides);
    for (const item of overridden.body.items) expect(item.reason).toMatch(/mgr-/);
    const regressed = await get('/v1/anomalies?kind=regressed').expect(200);
    expect(regressed.body.count).toBe(summary.regressions);
  });

  it('back-dates the year: business times spread over the past year, recorded now', async () => {
    const res = await audit('/v1/exports/events?format=jsonl').expect(200);
    const events = (res.text as string).trim().split('\n').map((l) => JSON.parse(l));
    const times = events.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
    const yearAgo = Date.now() - 370 * 86_400_000;
    expect(Math.min(...times)).toBeGreaterThan(yearAgo);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(200 * 86_400_000);
    const payments = events.filter((e: { type: string }) => e.type === 'PaymentConfirmed');
    // Every win was paid (a deal may also be paid and not yet shipped today).
    expect(payments.length).toBeGreaterThanOrEqual(summary.won);
    for (const p of payments) expect(p.actor.roles).toEqual(['finance']);
  });

  it('adds nothing when run again with the same seed', async () => {
    const head = await store.headPosition();
    const again = await runDemo(t.app.get(DealCommandExecutor), store, { deals: 60, seed: 11 });
    expect(again).toMatchObject({ alreadyThere: 60, commands: 0, refused: [] });
    expect(await store.headPosition()).toEqual(head);
  });
});
