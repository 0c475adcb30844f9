/**
 * The demo pipeline goes through the real command path: every command is decided with its
 * gates, so a story that skipped a fact would be refused. Deals are won, lost, reopened,
 * regressed and overridden as the story says; analytics see them; the same seed twice adds nothing.
 * It runs with the executor of DemoModule, the context `funnel demo` builds; a deal's story is
 * decided in memory and appended at once, which must give what the executor gives command by
 * command, chained and hashed like any append.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { auditStore } from '@funnel/event-store/audit/feed-audit';
import { EVENT_STORE, EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { DealCommandExecutor } from '../../apps/api/src/deals/deal-command.executor';
import { actorOf, runDemo, DemoSummary } from '../../apps/api/src/demo/demo-pipeline';
import { demoDeals } from '../../apps/api/src/demo/demo-story';
import { DemoModule } from '../../apps/api/src/demo/demo.module';
import { deterministicUuid } from '../../apps/api/src/idempotency/deterministic-uuid';
import { ACTORS, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const NOW = new Date();

describe('npm run funnel -- demo', () => {
  let t: TestApp;
  let demo: INestApplicationContext;
  let executor: DealCommandExecutor;
  let store: EventStore;
  let summary: DemoSummary;
  const get = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.analyst));
  const audit = (path: string) => request(t.url).get(path).set('Authorization', bearer(ACTORS.auditor));

  beforeAll(async () => {
    t = await startTestApp({ withProjector: true });
    store = t.app.get(EVENT_STORE);
    // What `funnel demo` builds: its own context over the same database.
    const config = loadFunnelConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' });
    demo = await NestFactory.createApplicationContext(DemoModule.register({ config, databaseUrl: t.db.url }), { logger: false });
    executor = demo.get(DealCommandExecutor);
    summary = await runDemo(executor, store, { deals: 60, seed: 11, now: NOW });
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
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
    const again = await runDemo(executor, store, { deals: 60, seed: 11, now: NOW });
    expect(again).toMatchObject({ alreadyThere: 60, commands: 0, refused: [] });
    expect(await store.headPosition()).toEqual(head);
  });

  it('decides each story as the executor does command by command: same events, same envelope', async () => {
    const stories = [...demoDeals(60, 11, NOW)];
    for (const index of [0, 1, 2, 3, 4, 5]) {
      const demoId = deterministicUuid('funnel-demo', '11', String(index));
      const told = await store.readStream(dealStreamId(demoId));
      // The same story, one executor.execute (read, fold, decide, append) per step, on a deal of its own.
      const story = stories[index];
      const replayId = randomUUID();
      for (const step of story.steps) {
        const envelope = { actor: actorOf(step.actor, story), correlationId: randomUUID(), causationId: randomUUID() };
        await executor.execute(replayId, step.request, envelope, { idFor: () => randomUUID(), deterministic: false });
      }
      const replayed = await store.readStream(dealStreamId(replayId));
      expect(told.length).toBeGreaterThan(0);
      expect(shape(told, demoId)).toEqual(shape(replayed, replayId));
      // One append: one recorded time; the envelope of the command that decided each event.
      expect(new Set(told.map((e) => e.recordedAt.getTime())).size).toBe(1);
      for (const e of told) expect(e.metadata).toMatchObject({ correlationId: told[0].metadata.correlationId, causationId: expect.any(String), command: expect.any(String), schemaVersion: expect.any(Number) });
    }
  });

  it('leaves every stream’s hash chain and head intact', async () => {
    const report = await auditStore(store);
    expect(report).toMatchObject({ valid: true, breakCount: 0 });
    expect(report.events).toBeGreaterThan(summary.commands);
  });
});

/** A stream's events without what differs between two tellings: ids, times recorded, correlation. */
function shape(events: RecordedEvent[], dealId: string): unknown[] {
  return events.map((e) => ({
    revision: e.revision,
    type: e.type,
    data: JSON.parse(JSON.stringify(e.data).split(dealId).join('<deal>')),
    actor: e.metadata.actor,
    command: e.metadata.command,
    schemaVersion: e.metadata.schemaVersion,
  }));
}
