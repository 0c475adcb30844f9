import { randomUUID } from 'node:crypto';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { foldDeal } from '@funnel/domain/deal/deal.evolve';
import { initialState } from '@funnel/domain/deal/deal.state';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { Actor } from '../../../apps/api/src/auth/actor';
import { CommandEnvelope } from '../../../apps/api/src/deals/command-envelope';
import { DealCommandExecutor, EventIds } from '../../../apps/api/src/deals/deal-command.executor';
import { DealRequest, dealRequest, moveStage } from '../../../apps/api/src/deals/deal-request';
import { dealEventOf } from '../../../apps/api/src/deals/deal-stream.reader';
import { FoldedDealCache } from '../../../apps/api/src/deals/folded-deal.cache';
import { ACTORS } from '../../support/auth';
import { startTestApp, TestApp } from '../../support/test-app';
import { DealApi } from './deal-api.client';
import * as facts from './deal-facts';

describe('FoldedDealCache', () => {
  const deal = (n: number, revision: bigint) => ({ streamId: `deal-${n}`, revision, state: initialState });

  it('keeps at most its capacity, dropping the least recently used first', () => {
    const cache = new FoldedDealCache(2);
    cache.remember(deal(1, 0n));
    cache.remember(deal(2, 0n));
    expect(cache.get('deal-1')?.revision).toBe(0n); // deal-1 is now the most recent
    cache.remember(deal(3, 0n));
    expect([cache.get('deal-1') !== undefined, cache.get('deal-2') !== undefined, cache.get('deal-3') !== undefined]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });

  it('never goes back to an older revision, keeps no deal that does not exist, and keeps nothing at capacity 0', () => {
    const cache = new FoldedDealCache(10);
    cache.remember(deal(1, 5n));
    cache.remember(deal(1, 3n));
    expect(cache.get('deal-1')?.revision).toBe(5n);
    cache.remember({ streamId: 'deal-2', revision: 'no_stream', state: initialState });
    expect(cache.get('deal-2')).toBeUndefined();
    const none = new FoldedDealCache(0);
    none.remember(deal(1, 1n));
    expect(none.size).toBe(0);
  });
});

/**
 * Two executors (two apps, each with its own cache) on one database, taking turns on one deal:
 * every command is decided on the stream as stored — never on the other's earlier state —
 * and each cache, when it holds the deal at the stream's revision, holds exactly what folding
 * the stream gives.
 */
describe('the command path with two processes taking turns on one deal', () => {
  let a: TestApp;
  let b: TestApp;
  let store: EventStore;
  let dealId: string;
  const actor: Actor = { id: ACTORS.rep.sub, name: ACTORS.rep.name, roles: ['rep'], teams: [] };
  const ids: EventIds = { idFor: () => randomUUID(), deterministic: false };
  const envelope = (extra: Partial<CommandEnvelope> = {}): CommandEnvelope => ({ actor, correlationId: randomUUID(), causationId: randomUUID(), ...extra });
  const on = (app: TestApp) => ({ executor: app.app.get(DealCommandExecutor), cache: app.app.get(FoldedDealCache) });

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ database: a.db });
    store = a.app.get<EventStore>(EVENT_STORE);
    const opened = await new DealApi(a.url).open(ACTORS.rep);
    expect(opened.status).toBe(201);
    dealId = opened.body.dealId;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function stored() {
    const events = await store.readStream(dealStreamId(dealId));
    return { revision: events[events.length - 1].revision, state: foldDeal(events.map(dealEventOf)) };
  }

  async function run(app: TestApp, request: DealRequest, extra: Partial<CommandEnvelope> = {}) {
    return on(app).executor.execute(dealId, request, envelope(extra), ids);
  }

  /** The app's cached deal is the stream as stored, folded. */
  async function cacheMatchesStream(app: TestApp): Promise<void> {
    const truth = await stored();
    const cached = on(app).cache.get(dealStreamId(dealId));
    expect(cached?.revision).toBe(truth.revision);
    expect(cached?.state).toEqual(truth.state);
  }

  it('alternating commands: each lands on the revision after the other\'s, and the writer\'s cache equals the fold of the stream', async () => {
    const steps: DealRequest[] = [
      dealRequest('RecordVisit', facts.visit as never),
      dealRequest('ReviewVisit', { visitId: facts.visit.visitId, review: facts.visitReview } as never),
      dealRequest('RecordCustomerProfile', facts.profile as never),
      moveStage({ to: 'POTENTIAL' }),
      dealRequest('AnalyzeProblem', facts.problem as never),
      dealRequest('RecordCustomerInterest', facts.interest as never),
    ];
    for (const [i, request] of steps.entries()) {
      const app = i % 2 === 0 ? a : b;
      const result = await run(app, request);
      expect(result.revision).toBe(i + 1);
      await cacheMatchesStream(app);
    }
  });

  it('a refusal on a stale entry is decided again on the stream: what the stream allows is accepted', async () => {
    // a's entry is behind (b wrote last); on it, INTENT's gate lacks the interest b recorded.
    const before = on(a).cache.get(dealStreamId(dealId));
    const truth = await stored();
    expect(before!.revision).toBeLessThan(truth.revision);
    await run(b, dealRequest('SubmitAssessment', facts.assessment('REAL', 4) as never));
    const result = await run(a, moveStage({ to: 'INTENT' }));
    expect(BigInt(result.revision)).toBe((await stored()).revision);
    expect((await stored()).state).toMatchObject({ stage: 'INTENT' });
    await cacheMatchesStream(a);
  });

  it('what a stale entry would accept, the stream refuses: nothing is appended', async () => {
    // b's entry predates a's move to INTENT: on it, the deal is still in POTENTIAL.
    const head = (await stored()).revision;
    expect(on(b).cache.get(dealStreamId(dealId))!.revision).toBeLessThan(head);
    const refusal = await run(b, moveStage({ to: 'INTENT' })).then(
      (result) => ({ accepted: result.revision }),
      (error: unknown) => ({ refused: error instanceof DomainError }),
    );
    // Moving to the stage the deal is in: refused or nothing to record, never a second advance.
    expect((await stored()).revision).toBe(head);
    expect(refusal).toEqual('accepted' in refusal ? { accepted: Number(head) } : { refused: true });
    await cacheMatchesStream(b);
  });

  it('If-Match is checked against the stream, not a stale entry', async () => {
    const head = (await stored()).revision;
    await run(a, dealRequest('UpdateForecast', facts.forecast as never));
    // b's entry is at `head` at best; If-Match with the stream's revision is accepted on b.
    const result = await run(b, dealRequest('UpdateForecast', { ...facts.forecast, probability: 70 } as never), { expectedRevision: Number(head) + 1 });
    expect(result.revision).toBe(Number(head) + 2);
    // And a stale If-Match is a conflict even where the cache would have matched it.
    await expect(run(a, dealRequest('UpdateForecast', { ...facts.forecast, probability: 75 } as never), { expectedRevision: Number(head) + 1 })).rejects.toMatchObject({
      name: 'ConcurrentChangeError',
    });
    expect((await stored()).revision).toBe(head + 2n);
  });
});
