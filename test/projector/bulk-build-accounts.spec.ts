import { DealEvent, ImportedFrom } from '@funnel/domain/deal/deal.events';
import { AccountReactor } from '@funnel/read-models/accounts/account-reactor';
import { accountSummaryProjection } from '@funnel/read-models/accounts/account-summary.projection';
import { AccountWriter } from '@funnel/read-models/accounts/account-writer';
import { dealSummaryProjection, roundedToCents } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { Projection } from '@funnel/read-models/projection/projection';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { builtBothWays } from './support/built-both-ways';

const MANAGER = { id: 'mia', roles: ['manager'] };

/** An imported deal: opened where the source first knew it, moved (and its amount restated, to more than cents) as the source says, then forecast natively. */
function importedDeal(dealId: string, n: number): DealEvent[] {
  const from = (i: number): ImportedFrom => ({ system: 'crm-x', file: 'history.csv', line: i + 2, externalId: `${dealId}#${i}`, importedBy: 'manager-mia' });
  const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d, 9)).toISOString();
  return [
    {
      type: 'DealImported',
      data: {
        dealId,
        // Every third one names the same customer: an account with several imported deals.
        account: { name: n % 3 === 0 ? 'Nordwind Steel' : `Imported Customer ${n}`, industry: 'manufacturing', region: 'EMEA' },
        owner: 'import-ivo',
        team: 'imported',
        // Fractions of a cent: numeric(18,2) keeps cents, weighted_amount is computed from the amount a write carries.
        amount: 1000.125 + n,
        currency: 'EUR',
        stage: 'TARGET',
        playbookVersion: 'default/1',
        importedFrom: from(0),
        occurredAt: day(n),
      },
    },
    { type: 'StageChangeImported', data: { from: 'TARGET', to: 'POTENTIAL', importedFrom: from(1), occurredAt: day(n + 3) } },
    { type: 'ForecastUpdated', data: { probability: 50, expectedCloseDate: '2025-09-30', occurredAt: day(n + 4) } },
    // x.125 × 50%: x.0625 rounds down, while the amount read back from the table (x.13) gives x.065, which rounds up.
    { type: 'StageChangeImported', data: { from: 'POTENTIAL', to: n % 2 === 0 ? 'INTENT' : 'WON', amount: 2000.125 + n, importedFrom: from(2), occurredAt: day(n + 6) } },
    { type: 'ForecastUpdated', data: { probability: 50, expectedCloseDate: '2025-10-31', occurredAt: day(n + 7) } },
    ...(n % 2 === 0 ? [{ type: 'StageChangeImported', data: { from: 'INTENT', to: 'LOST', reason: 'budget cut', importedFrom: from(3), occurredAt: day(n + 9) } } as DealEvent] : []),
  ];
}

/**
 * The builders of deal_summary and account_summary over what the generated history lacks:
 * account events (opened by the reactor, suggestions accepted and dismissed, phases changed, a
 * merge, a close, a key-account flag) among the deal events, and imported deals whose amounts have
 * fractions of a cent, forecast between imported moves. Built in bulk (a flush every 50 rows,
 * falling anywhere) and batch by batch, every table equals.
 */
describe('a generation built in bulk equals one built batch by batch, over account events and imported history', () => {
  let h: ReadModelHarness;
  let accountEvents = 0;
  beforeAll(async () => {
    h = await startReadModelHarness();
    await bulkInsertEvents(h.pool, interleaveByOccurredAt([...generateDealHistories({ deals: 60, seed: 4242 })]), { chunkSize: 53 });
    const reactor = new AccountReactor({ pool: h.pool, store: h.store });
    await reactor.catchUp({ until: await h.newestPosition() });

    const writer = new AccountWriter(h.store);
    const suggestions = await h.rows<{ account_id: string; suggestion_id: string }>(
      `SELECT DISTINCT (e.data->>'suggestionId') AS suggestion_id, substring(e.stream_id from 9) AS account_id
         FROM events e WHERE e.event_type = 'PhaseSuggested' ORDER BY 2, 1`,
    );
    const accounts = [...new Set(suggestions.map((s) => s.account_id))];
    if (accounts.length < 8) throw new Error(`the history has suggestions for ${accounts.length} accounts; the spec wants 8`);
    const firstOf = (accountId: string) => suggestions.find((s) => s.account_id === accountId)!.suggestion_id;
    const execute = (accountId: string, command: Parameters<AccountWriter['execute']>[1]) => writer.execute(accountId, command, { actor: MANAGER });
    for (const accountId of accounts.slice(0, 3)) await execute(accountId, { type: 'AcceptPhaseSuggestion', data: { suggestionId: firstOf(accountId) } });
    await execute(accounts[3], { type: 'DismissPhaseSuggestion', data: { suggestionId: firstOf(accounts[3]), reason: 'not yet' } });
    await execute(accounts[0], { type: 'ChangePhase', data: { to: 'DEFENCE', reason: 'rival offered a discount' } });
    await execute(accounts[4], { type: 'FlagKeyAccount', data: { keyAccount: true, reason: 'strategic' } });
    const { state } = await writer.read(accounts[5]);
    if (state.status === 'none') throw new Error('no duplicate');
    await execute(accounts[6], { type: 'AbsorbDuplicateAccount', data: { duplicateAccountId: accounts[5], duplicateName: state.name, duplicateRegion: state.region, reason: 'same' } });
    await execute(accounts[5], { type: 'MergeAccountInto', data: { survivorAccountId: accounts[6], reason: 'same' } });
    await execute(accounts[7], { type: 'CloseAccount', data: { reason: 'went out of business' } });

    // Imported deals after the account events, and the reactor again: their accounts opened and linked among them.
    // Half of them appended deal by deal (a deal's events next to each other in the feed), half event by event in turn.
    const imported = Array.from({ length: 12 }, (_, n) => ({ dealId: `3c000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, events: importedDeal(`3c000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, n) }));
    for (const { dealId, events } of imported.slice(0, 6)) await h.append(dealId, events);
    for (let i = 0; i < 6; i++) for (const { dealId, events } of imported.slice(6)) if (events[i]) await h.append(dealId, [events[i]]);
    await reactor.catchUp({ until: await h.newestPosition() });
    await execute(accounts[1], { type: 'ChangePhase', data: { to: 'DEFENCE', reason: 'a second phase change' } });

    const counted = await h.rows<{ n: number; types: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT event_type ORDER BY event_type) AS types FROM events WHERE stream_id LIKE 'account-%'`,
    );
    accountEvents = counted[0].n;
    expect(counted[0].types).toEqual(
      expect.arrayContaining(['AccountOpened', 'AccountClosed', 'AccountMergedInto', 'DealLinked', 'DuplicateAccountMerged', 'KeyAccountFlagged', 'PhaseChanged', 'PhaseSuggested', 'PhaseSuggestionDismissed']),
    );
  }, 300_000);
  afterAll(async () => {
    await h.close();
  });

  it('rounds an amount to cents as numeric(18,2) does, half away from zero, exponents included', () => {
    expect(['0.125', '2.675', '1000.005', '12', '0.30000000000000004', '1e-7', '1.5e-2', '999.995', '-0.125', '100000000000000.99'].map(roundedToCents)).toEqual([
      '0.13', '2.68', '1000.01', '12.00', '0.30', '0.00', '0.02', '1000.00', '-0.13', '100000000000000.99',
    ]);
  });

  const compare = async (projection: Projection, batchSize: number) => {
    const { applied, built } = await builtBothWays(h, projection, { batchSize, flushRows: 50 });
    expect(Object.keys(built)).toEqual(Object.keys(applied));
    for (const table of Object.keys(applied)) expect({ table, rows: built[table] }).toEqual({ table, rows: applied[table] });
    return applied;
  };

  it('account_summary: every table equals apply\'s, account events among the deal events', async () => {
    expect(accountEvents).toBeGreaterThan(50);
    const applied = await compare(accountSummaryProjection, 29);
    expect(applied.accounts.length).toBeGreaterThan(20);
    expect(applied.accounts.some((row) => JSON.parse(row).status === 'merged')).toBe(true);
    expect(applied.account_phase_stays.length).toBeGreaterThan(applied.accounts.length);
    expect(applied.account_suggestions.some((row) => JSON.parse(row).status === 'dismissed')).toBe(true);
    expect(applied.account_deals.filter((row) => JSON.parse(row).deal_id.startsWith('3c000000'))).toHaveLength(12);
  }, 300_000);

  it('deal_summary: every table equals apply\'s, imported deals with fractions of a cent included', async () => {
    const applied = await compare(dealSummaryProjection, 29);
    const imported = applied.deal_summary.map((row) => JSON.parse(row) as { deal_id: string; weighted_amount: number }).filter((r) => r.deal_id.startsWith('3c000000'));
    expect(imported).toHaveLength(12);
    expect(imported.every((r) => r.weighted_amount > 0)).toBe(true);
  }, 300_000);

  it('deal_summary: so too with batches of 3, where a deal\'s amount and its forecast fall in different batches', async () => {
    await compare(dealSummaryProjection, 3);
  }, 300_000);
});
