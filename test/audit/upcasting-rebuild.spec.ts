import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { stageHistoryProjection } from '@funnel/read-models/stage-history/stage-history.projection';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { verifyChain } from '@funnel/event-store/hash-chain';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const DEAL_OLD = '0a0a0a0a-0000-4000-8000-000000000001';
const DEAL_NEW = '0a0a0a0a-0000-4000-8000-000000000002';
const at = (day: string) => `2024-${day}T09:00:00.000Z`;

function opened(dealId: string) {
  return {
    type: 'DealOpened',
    data: {
      dealId,
      account: { name: 'Acme', industry: 'manufacturing', region: 'EMEA' },
      owner: 'ann',
      team: 'north',
      amount: 1000,
      currency: 'EUR',
      stage: 'TARGET',
      playbookVersion: '1',
      occurredAt: at('01-01'),
    },
    metadata: { schemaVersion: 1 },
  };
}

function advanced(from: string, to: string, day: string) {
  return { type: 'StageAdvanced', data: { from, to, skipped: [], playbookVersion: '1', occurredAt: at(day) }, metadata: { schemaVersion: 1 } };
}

/**
 * A store written over time holds StageRegressed under both schema versions: version 1 (before
 * `skipped` existed) and version 2. A rebuild sees every one of them at version 2, and the
 * stored events stay exactly as written (their hashes still verify).
 */
describe('a rebuild over mixed schema versions', () => {
  let h: ReadModelHarness;

  beforeAll(async () => {
    h = await startReadModelHarness();
    const climb = [advanced('TARGET', 'POTENTIAL', '01-05'), advanced('POTENTIAL', 'INTENT', '01-10'), advanced('INTENT', 'PROJECT', '01-15'), advanced('PROJECT', 'APPROVED', '01-20')];
    // written before version 2: no `skipped`
    await h.store.appendToStream(
      dealStreamId(DEAL_OLD),
      [opened(DEAL_OLD), ...climb, { type: 'StageRegressed', data: { from: 'APPROVED', to: 'POTENTIAL', reason: 'budget frozen', occurredAt: at('02-01') }, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 'no_stream' },
    );
    await h.store.appendToStream(
      dealStreamId(DEAL_NEW),
      [
        opened(DEAL_NEW),
        ...climb,
        { type: 'StageRegressed', data: { from: 'APPROVED', to: 'INTENT', skipped: ['PROJECT'], reason: 'sponsor left', occurredAt: at('02-02') }, metadata: { schemaVersion: 2 } },
      ],
      { expectedRevision: 'no_stream' },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('projects both versions with the stages passed over, incrementally and rebuilt alike', async () => {
    const regressions = `SELECT deal_id, stage, entry_skipped FROM rm.stage_intervals WHERE entry_kind = 'regressed' ORDER BY deal_id`;
    const expected = [
      { deal_id: DEAL_OLD, stage: 'POTENTIAL', entry_skipped: ['INTENT', 'PROJECT'] },
      { deal_id: DEAL_NEW, stage: 'INTENT', entry_skipped: ['PROJECT'] },
    ];
    await h.project([stageHistoryProjection]);
    expect(await h.rows(regressions)).toEqual(expected);

    const result = await rebuildProjection({ pool: h.pool, store: h.store }, stageHistoryProjection, { batchSize: 3 });
    expect(result.generation).toBe(2);
    expect(await h.rows(regressions)).toEqual(expected);
  });

  it('never rewrites the stored events', async () => {
    const stored = await h.store.readStream(dealStreamId(DEAL_OLD));
    const regression = stored[stored.length - 1];
    expect(regression.metadata.schemaVersion).toBe(1);
    expect(regression.data).not.toHaveProperty('skipped');
    expect(verifyChain(stored).valid).toBe(true);
  });
});
