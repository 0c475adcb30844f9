import { DealEvent, ImportedFrom } from '@funnel/domain/deal/deal.events';
import { DealStatusStage, Stage } from '@funnel/domain/playbook/stage';
import { activityProjection } from '@funnel/read-models/activity/activity.projection';
import { dealTimelineProjection } from '@funnel/read-models/deal-timeline/deal-timeline.projection';
import { Projection } from '@funnel/read-models/projection/projection';
import { stageHistoryProjection } from '@funnel/read-models/stage-history/stage-history.projection';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { story } from '../read-models/support/deal-story';
import { builtBothWays } from './support/built-both-ways';

/**
 * The builders of the deal-keyed projections over imported history (DealImported,
 * StageChangeImported — which the generated histories of bulk-build.spec.ts never hold) mixed
 * with native deals, one event per commit so that every deal's events spread over many batches
 * and flushes: an imported stay closed by a flush after the one that wrote it, an amount restated
 * alone, a visit reviewed or recorded again after its first flush, reviews and events of deals
 * the projection never saw opened.
 */
describe('a generation built in bulk over imported history equals one built batch by batch', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
    await bulkInsertEvents(h.pool, interleaveByOccurredAt([...generateDealHistories({ deals: 12, seed: 4242 })]), { chunkSize: 17 });
    const stories = [
      importedStory('3c000000-0000-4000-8000-000000000001', 'import\tivo', 'INTENT', [
        ['2025-01-10T09:00:00.000Z', 'POTENTIAL', 120_000],
        ['2025-01-20T09:00:00.000Z', 'POTENTIAL', 130_000.5],
        ['2025-02-01T09:00:00.000Z', 'NEGOTIATION'],
        ['2025-02-10T09:00:00.000Z', 'LOST'],
        ['2025-03-01T09:00:00.000Z', 'APPROVED', 90_000],
        ['2025-04-01T09:00:00.000Z', 'WON'],
      ]),
      [
        ...importedStory('3c000000-0000-4000-8000-000000000002', 'import\\eve', 'TARGET', [
          ['2025-01-12T09:00:00.000Z', 'INTENT'],
          ['2025-01-13T09:00:00.000Z', 'INTENT', 55_000],
        ]),
        ...story('3c000000-0000-4000-8000-000000000002', 'INTENT')
          .visit('2025-01-14T09:00:00.000Z', 'v "1"')
          .advanced('2025-01-15T09:00:00.000Z', 'NEGOTIATION', { by: 'manager-mia', reason: 'after\nimport' })
          .reassigned('2025-01-16T09:00:00.000Z', 'import\\eve', 'rep-bo', 'south')
          .visitReviewed('2025-01-17T09:00:00.000Z', 'v "1"')
          .forecast('2025-01-18T09:00:00.000Z', 70, '2025-05-31')
          .visit('2025-01-19T09:00:00.000Z', 'v "1"')
          .regressed('2025-01-20T09:00:00.000Z', 'POTENTIAL').events,
      ],
      story('3c000000-0000-4000-8000-000000000003')
        .opened('2025-01-09T09:00:00.000Z', { owner: 'native nia', team: 'native' })
        .visit('2025-01-10T09:00:00.000Z', 'v-a')
        .visit('2025-01-10T10:00:00.000Z', 'v-b', true)
        .advanced('2025-01-11T09:00:00.000Z', 'INTENT', { by: 'manager-mia', reason: 'skip' })
        .visitReviewed('2025-01-12T09:00:00.000Z', 'v-a')
        .visitReviewed('2025-01-12T10:00:00.000Z', 'never-recorded')
        .lost('2025-01-13T09:00:00.000Z', 'budget')
        .reopened('2025-01-14T09:00:00.000Z')
        .reassigned('2025-01-15T09:00:00.000Z', 'native nia', 'rep-cy')
        .visit('2025-01-16T09:00:00.000Z', 'v-a')
        .advanced('2025-01-17T09:00:00.000Z', 'WON').events,
      // A deal opened twice (the second opening changes nothing) and a stream whose opening the feed never had.
      [...story('3c000000-0000-4000-8000-000000000004').opened('2025-01-09T09:00:00.000Z').events, ...importedStory('3c000000-0000-4000-8000-000000000004', 'other', 'APPROVED', [['2025-01-11T09:00:00.000Z', 'WON']])],
      story('3c000000-0000-4000-8000-000000000005', 'POTENTIAL')
        .visit('2025-01-10T09:00:00.000Z', 'orphan')
        .visitReviewed('2025-01-11T09:00:00.000Z', 'orphan')
        .reassigned('2025-01-12T09:00:00.000Z', 'nobody', 'rep-bo')
        .advanced('2025-01-13T09:00:00.000Z', 'INTENT').events,
    ];
    // One event per append, round robin over the deals: every deal's history spans many batches.
    const ids = ['1', '2', '3', '4', '5'].map((n) => `3c000000-0000-4000-8000-00000000000${n}`);
    for (let i = 0; stories.some((s) => s.length > i); i++) {
      for (let d = 0; d < stories.length; d++) if (stories[d][i]) await h.append(ids[d], [stories[d][i]]);
    }
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  const projections: Projection[] = [stageHistoryProjection, dealTimelineProjection, activityProjection];
  const cuts = [
    { batchSize: 3, flushRows: 1 },
    { batchSize: 7, flushRows: 11 },
    { batchSize: 1000, flushRows: 1_000_000 },
  ];
  for (const projection of projections) {
    for (const cut of cuts) {
      it(`${projection.name}: every table equals apply's (batches of ${cut.batchSize}, a flush at ${cut.flushRows} pending rows)`, async () => {
        expect(projection.builder).toBeDefined();
        const { applied, built } = await builtBothWays(h, projection, cut);
        expect(Object.keys(built)).toEqual(Object.keys(applied));
        for (const table of Object.keys(applied)) expect({ table, rows: built[table] }).toEqual({ table, rows: applied[table] });
        // The imported deals made rows: the history is not passed over.
        const all = Object.values(applied).flat().join('\n');
        expect(all).toContain('3c000000-0000-4000-8000-000000000001');
        expect(all).toContain('3c000000-0000-4000-8000-000000000002');
      }, 120_000);
    }
  }
});

/** DealImported at `stage`, then StageChangeImported moves (with a restated amount where given): the shapes importHistory makes. */
function importedStory(dealId: string, owner: string, stage: Stage, moves: [string, DealStatusStage, number?][]): DealEvent[] {
  const from = (i: number): ImportedFrom => ({ system: 'crm-x', file: 'history.csv', line: i + 2, externalId: `${dealId}#${i}`, importedBy: 'manager-mia' });
  const events: DealEvent[] = [
    {
      type: 'DealImported',
      data: {
        dealId,
        account: { name: 'Nordwind\tSteel', industry: 'manufacturing', region: 'EMEA' },
        owner,
        team: 'imported "team"',
        amount: 100_000,
        currency: 'EUR',
        stage,
        playbookVersion: 'default/1',
        importedFrom: from(0),
        occurredAt: '2025-01-05T09:00:00.000Z',
      },
    },
  ];
  let current: DealStatusStage = stage;
  moves.forEach(([at, to, amount], i) => {
    events.push({ type: 'StageChangeImported', data: { from: current, to, ...(amount !== undefined ? { amount } : {}), importedFrom: from(i + 1), occurredAt: at } });
    current = to;
  });
  return events;
}
