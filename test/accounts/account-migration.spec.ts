/**
 * `funnel accounts migrate` on a store written before accounts existed: every deal gets its
 * account (and its facts, and the suggestions they make), the account read models are rebuilt,
 * and the deal streams stay byte for byte as they were.
 */
import { accountIdFor } from '@funnel/domain/account/account-identity';
import { DEAL_ID, day, dealIn, dealOpened, stageAdvanced } from '@funnel/domain/testing/deal-fixtures';
import { migrateAccounts } from '../../apps/projector/src/cli/accounts.command';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const LOST_DEAL = '7a2d3b5f-9c2e-4d4f-8a8b-3e6f9d0c1b22';
const OTHER_CUSTOMER_DEAL = '8b3e4c6a-0d3f-4e5a-9b9c-4f7a0e1d2c33';

describe('funnel accounts migrate', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  // Every column of every deal event and every deal stream head, as the store holds them.
  const dealStreams = () =>
    h.rows(`
      SELECT global_position::text, transaction_id::text, event_id, stream_id, stream_revision::text, event_type,
             data::text AS data, metadata::text AS metadata, recorded_at::text
        FROM events WHERE stream_id LIKE 'deal-%' ORDER BY global_position`);
  const dealHeads = () => h.rows(`SELECT stream_id, revision::text, last_hash, last_transaction_id::text FROM event_streams WHERE stream_id LIKE 'deal-%' ORDER BY stream_id`);
  const ctx = () => ({ pool: h.pool, store: h.store, eventsDatabase: h.pool, batchSize: 100, out: () => undefined });

  it('opens the accounts of old deals, notes their facts and suggestions, rebuilds, and leaves the deal streams untouched', async () => {
    // History written before accounts: DealOpened without accountId.
    await h.append(DEAL_ID, [...dealIn('NEGOTIATION'), stageAdvanced('NEGOTIATION', 'WON', day(50))]);
    await h.append(LOST_DEAL, [
      dealOpened({ dealId: LOST_DEAL }),
      { type: 'DealLost', data: { from: 'TARGET', reason: 'price', competitor: 'Rival Soft', occurredAt: day(55) } },
    ]);
    await h.append(OTHER_CUSTOMER_DEAL, [dealOpened({ dealId: OTHER_CUSTOMER_DEAL, account: { name: 'Wuhan Optics', industry: 'Optics', region: 'Central China' } })]);
    const eventsBefore = await dealStreams();
    const headsBefore = await dealHeads();
    expect(eventsBefore.length).toBeGreaterThan(10);
    expect(await h.rows(`SELECT 1 FROM events WHERE stream_id LIKE 'account-%'`)).toEqual([]);

    const first = await migrateAccounts(ctx());
    expect(first.accountEventsAppended).toBeGreaterThan(0);

    expect(await dealStreams()).toEqual(eventsBefore);
    expect(await dealHeads()).toEqual(headsBefore);

    const castings = accountIdFor('Hangzhou Precision Castings', 'East China');
    const optics = accountIdFor('Wuhan Optics', 'Central China');
    const accounts = await h.rows(`SELECT account_id, origin, phase, to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS opened FROM rm.accounts ORDER BY name`);
    expect(accounts).toEqual([
      { account_id: castings, origin: 'MIGRATION', phase: 'BREAKTHROUGH', opened: dealOpened().data.occurredAt.slice(0, 10) },
      { account_id: optics, origin: 'MIGRATION', phase: 'BREAKTHROUGH', opened: dealOpened().data.occurredAt.slice(0, 10) },
    ]);
    expect(await h.rows(`SELECT account_id, count(*)::int AS deals FROM rm.account_deals GROUP BY account_id ORDER BY deals DESC`)).toEqual([
      { account_id: castings, deals: 2 },
      { account_id: optics, deals: 1 },
    ]);
    // The first win suggested consolidation; the loss to a competitor came in breakthrough: only noted.
    expect(await h.rows(`SELECT account_id, rule_id, to_phase, status FROM rm.account_suggestions`)).toEqual([
      { account_id: castings, rule_id: 'FIRST_WIN', to_phase: 'CONSOLIDATION', status: 'pending' },
    ]);

    // Again: nothing new, and still no deal event touched.
    const second = await migrateAccounts(ctx());
    expect(second.accountEventsAppended).toBe(0);
    expect(second.rebuiltGeneration).toBe(first.rebuiltGeneration + 1);
    expect(await dealStreams()).toEqual(eventsBefore);
  });
});
