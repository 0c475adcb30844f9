/**
 * The account reactor on a real PostgreSQL store: it follows the feed from its own checkpoint,
 * opens accounts for deals' customers, notes their facts, and appends the phase rules'
 * suggestions — each once, however often a deal event is delivered.
 */
import { AccountEvent } from '@funnel/domain/account/account.events';
import { accountIdFor, accountStreamId } from '@funnel/domain/account/account-identity';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { DEAL_ID, day, dealIn, dealOpened, stageAdvanced } from '@funnel/domain/testing/deal-fixtures';
import { AccountReactor } from '@funnel/read-models/accounts/account-reactor';
import { accountSummaryProjection } from '@funnel/read-models/accounts/account-summary.projection';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const OTHER_DEAL = '7a2d3b5f-9c2e-4d4f-8a8b-3e6f9d0c1b22';
const ACCOUNT = accountIdFor('Hangzhou Precision Castings', 'East China');

describe('the account reactor', () => {
  let h: ReadModelHarness;
  beforeEach(async () => {
    h = await startReadModelHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const reactor = () => new AccountReactor({ pool: h.pool, store: h.store, pageSize: 3 });
  /** Until every event appended so far is handled: the feed holds events back while other transactions on the server run. */
  const catchUp = async (options: { fromStart?: boolean } = {}) => reactor().catchUp({ ...options, until: await h.newestPosition() });
  const accountEvents = async (accountId = ACCOUNT): Promise<(AccountEvent & { id: string })[]> =>
    (await h.store.readStream(accountStreamId(accountId))).map((e) => ({ id: e.id, type: e.type, data: e.data }) as AccountEvent & { id: string });

  it("opens the account of a deal's customer, links the deal, and suggests consolidation on its first win", async () => {
    await h.append(DEAL_ID, [...dealIn('NEGOTIATION'), stageAdvanced('NEGOTIATION', 'WON', day(50))]);
    await catchUp();

    const events = await accountEvents();
    // The deal that opened the account is linked by the opening itself.
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'DealFactNoted', 'PhaseSuggested']);
    expect(events[0].data).toMatchObject({ accountId: ACCOUNT, name: 'Hangzhou Precision Castings', origin: 'MIGRATION', firstDealId: DEAL_ID, occurredAt: dealOpened().data.occurredAt });
    expect(events[2].data).toMatchObject({ ruleId: 'FIRST_WIN', from: 'BREAKTHROUGH', to: 'CONSOLIDATION', occurredAt: day(50) });
  });

  it('appends nothing twice when deal events are delivered again (a crash before the checkpoint, a second reactor, a replay)', async () => {
    await h.append(DEAL_ID, [...dealIn('NEGOTIATION'), stageAdvanced('NEGOTIATION', 'WON', day(50))]);
    await h.append(OTHER_DEAL, [dealOpened({ dealId: OTHER_DEAL }), { type: 'DealLost', data: { from: 'TARGET', reason: 'price', competitor: 'Rival Soft', occurredAt: day(40) } }]);
    await catchUp();
    const once = await accountEvents();

    // A crash after the appends and before the checkpoint: every event is handled again.
    for (const streamId of [dealStreamId(DEAL_ID), dealStreamId(OTHER_DEAL)]) {
      for (const recorded of await h.store.readStream(streamId)) await reactor().handle(recorded);
    }
    await catchUp({ fromStart: true });
    await Promise.all([catchUp({ fromStart: true }), catchUp({ fromStart: true })]);

    expect(await accountEvents()).toEqual(once);
  });

  it('resumes from its checkpoint: only new deal events are handled', async () => {
    await h.append(DEAL_ID, dealIn('INTENT'));
    expect((await catchUp()).events).toBe(3); // opened, advanced twice
    await h.append(OTHER_DEAL, [dealOpened({ dealId: OTHER_DEAL })]);
    expect((await catchUp()).events).toBe(1);
    expect((await accountEvents()).map((e) => e.type)).toEqual(['AccountOpened', 'DealLinked']);
  });

  it('follows the live feed until stopped', async () => {
    const live = reactor();
    live.start();
    try {
      await h.append(DEAL_ID, [...dealIn('NEGOTIATION'), stageAdvanced('NEGOTIATION', 'WON', day(50))]);
      // The feed may be held back by other transactions on the server: wait for the suggestion, boundedly.
      for (let i = 0; i < 800 && (await h.rows(`SELECT 1 FROM events WHERE event_type = 'PhaseSuggested'`)).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await live.stop();
    }
    expect((await accountEvents()).map((e) => e.type)).toContain('PhaseSuggested');
  });

  it('sends the facts of a merged account to its survivor', async () => {
    const survivor = accountIdFor('Hangzhou Precision Castings Group', 'East China');
    await h.append(DEAL_ID, dealIn('NEGOTIATION'));
    await h.append(OTHER_DEAL, [dealOpened({ dealId: OTHER_DEAL, account: { name: 'Hangzhou Precision Castings Group', industry: 'Manufacturing', region: 'East China' } })]);
    await catchUp();
    await h.store.appendToStream(accountStreamId(ACCOUNT), [{ type: 'AccountMergedInto', data: { survivorAccountId: survivor, reason: 'same group', occurredAt: day(45) } }], { expectedRevision: 'any' });

    await h.append(DEAL_ID, [stageAdvanced('NEGOTIATION', 'WON', day(50))]);
    await catchUp();

    expect((await accountEvents()).map((e) => e.type)).toEqual(['AccountOpened', 'AccountMergedInto']);
    expect((await accountEvents(survivor)).map((e) => e.type)).toEqual(['AccountOpened', 'DealFactNoted', 'PhaseSuggested']);
  });

  it("gives imported deals (the importers' DealImported, StageChangeImported) their accounts, and counts an imported win", async () => {
    const importedFrom = { system: 'salesforce', file: 'Opportunity.csv', line: 2, externalId: '006A', importedBy: 'mia' };
    const account = { name: 'Xiamen Ports', industry: 'Logistics', region: 'South China' };
    await h.store.appendToStream(
      dealStreamId(OTHER_DEAL),
      [
        { type: 'DealImported', data: { dealId: OTHER_DEAL, account, owner: 'mia', team: 'south', amount: 900, currency: 'CNY', stage: 'NEGOTIATION', playbookVersion: '2026.1', importedFrom, occurredAt: day(10) } },
        { type: 'StageChangeImported', data: { from: 'NEGOTIATION', to: 'WON', amount: 950, importedFrom: { ...importedFrom, externalId: '017B' }, occurredAt: day(30) } },
      ],
      { expectedRevision: 'any' },
    );
    await catchUp();
    const imported = accountIdFor('Xiamen Ports', 'South China');
    const events = await accountEvents(imported);
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'DealFactNoted', 'PhaseSuggested']);
    expect(events[0].data).toMatchObject({ origin: 'IMPORT', firstDealId: OTHER_DEAL, occurredAt: day(10) });
    expect(events[2].data).toMatchObject({ ruleId: 'FIRST_WIN', to: 'CONSOLIDATION', occurredAt: day(30) });

    await h.project([accountSummaryProjection]);
    expect(await h.rows(`SELECT account_id, status, stage, amount::text FROM rm.account_deals`)).toEqual([{ account_id: imported, status: 'won', stage: 'WON', amount: '950.00' }]);
  });
});

