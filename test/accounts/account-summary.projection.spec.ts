/**
 * The account read models are disposable: built incrementally in small odd batches while the
 * history arrives, and rebuilt from the start, they are equal, row for row.
 */
import { accountStreamId } from '@funnel/domain/account/account-identity';
import { AccountReactor } from '@funnel/read-models/accounts/account-reactor';
import { accountSummaryProjection } from '@funnel/read-models/accounts/account-summary.projection';
import { AccountWriter } from '@funnel/read-models/accounts/account-writer';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const MANAGER = { id: 'mia', roles: ['manager'] };

describe('the account_summary read models', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const snapshot = async () => ({
    accounts: await h.rows(`SELECT * FROM rm.accounts ORDER BY account_id`),
    deals: await h.rows(`SELECT * FROM rm.account_deals ORDER BY deal_id`),
    stays: await h.rows(`SELECT * FROM rm.account_phase_stays ORDER BY account_id, seq`),
    suggestions: await h.rows(`SELECT * FROM rm.account_suggestions ORDER BY suggestion_id`),
  });

  it('equal when rebuilt to when built incrementally, with suggestions accepted, phases changed and a merge', async () => {
    const runners = h.startRunners([accountSummaryProjection], { batchSize: 13 });
    await bulkInsertEvents(h.pool, interleaveByOccurredAt([...generateDealHistories({ deals: 150, seed: 14 })]), { chunkSize: 97 });
    await new AccountReactor({ pool: h.pool, store: h.store }).catchUp({ until: await h.newestPosition() });

    const writer = new AccountWriter(h.store);
    const pending = await h.rows<{ account_id: string; suggestion_id: string }>(
      `SELECT DISTINCT e.stream_id, (e.data->>'suggestionId') AS suggestion_id, substring(e.stream_id from 9) AS account_id
         FROM events e WHERE e.event_type = 'PhaseSuggested' ORDER BY 1 LIMIT 12`,
    );
    expect(pending.length).toBeGreaterThan(5);
    for (const p of pending.slice(0, 8)) {
      await writer.execute(p.account_id, { type: 'AcceptPhaseSuggestion', data: { suggestionId: p.suggestion_id } }, { actor: MANAGER });
    }
    await writer.execute(pending[0].account_id, { type: 'ChangePhase', data: { to: 'DEFENCE', reason: 'rival offered a discount' } }, { actor: MANAGER });
    const [duplicate, survivor] = [pending[9].account_id, pending[10].account_id];
    const { state } = await writer.read(duplicate);
    if (state.status === 'none') throw new Error('no duplicate');
    await writer.execute(survivor, { type: 'AbsorbDuplicateAccount', data: { duplicateAccountId: duplicate, duplicateName: state.name, duplicateRegion: state.region, reason: 'same' } }, { actor: MANAGER });
    await writer.execute(duplicate, { type: 'MergeAccountInto', data: { survivorAccountId: survivor, reason: 'same' } }, { actor: MANAGER });
    expect((await h.store.readStream(accountStreamId(duplicate))).at(-1)?.type).toBe('AccountMergedInto');

    await h.waitUntilCaughtUp([accountSummaryProjection.name], 120_000);
    await Promise.all(runners.map((r) => r.stop()));
    const incremental = await snapshot();
    expect(incremental.deals).toHaveLength(150);
    expect(incremental.stays.length).toBeGreaterThan(incremental.accounts.length);
    expect(incremental.accounts.filter((a) => a.status === 'merged')).toHaveLength(1);

    const rebuilt = await rebuildProjection({ pool: h.pool, store: h.store }, accountSummaryProjection, { batchSize: 1000 });
    expect(rebuilt.generation).toBe(2);
    expect(await snapshot()).toEqual(incremental);
  }, 300_000);
});
