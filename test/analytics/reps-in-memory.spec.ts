/**
 * rep-performance/1 with its per-stage figures from the stays held in memory (StayIndex, as the
 * api wires it) against the same query reading them in SQL and against the reference: the same
 * answers for filters, both groupings, periods and `now` instants that cut stays in two — and
 * again after open stays end, deals are lost and new deals open.
 */
import { nextStage, Stage } from '@funnel/domain/playbook/stage';
import { DealFilters } from '@funnel/read-models/analytics/analytics-filters';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { ReferenceRepPerformanceQuery } from '@funnel/read-models/testing/reference-analytics/rep-performance.reference';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const at = (iso: string) => new Date(iso);
const FILTERS: DealFilters[] = [{}, { owner: 'rep-bo' }, { team: 'south', region: 'EMEA' }, { industry: 'retail' }, { owner: 'nobody' }];
const PERIODS = [
  { from: at('2024-05-01T00:00:00Z'), to: at('2024-09-01T00:00:00Z') },
  { from: at('2024-01-01T00:00:00Z'), to: at('2026-01-01T00:00:00Z') },
  // after every recorded instant: no stay in it, the open pipeline still there
  { from: at('2029-10-01T00:00:00Z'), to: at('2030-01-01T00:00:00Z') },
];
const NOW = [at('2024-08-15T08:00:00Z'), at('2030-01-01T00:00:00Z')];

describe('rep-performance/1 with the stages from the stays in memory', () => {
  let h: ReadModelHarness;
  let inMemory: RepPerformanceQuery;
  let inSql: RepPerformanceQuery;
  let reference: ReferenceRepPerformanceQuery;

  async function expectSameAnswers(): Promise<void> {
    for (const filters of FILTERS) {
      for (const period of PERIODS) {
        for (const groupBy of ['owner', 'team'] as const) {
          for (const now of NOW) {
            const answer = await inMemory.answer(filters, period, groupBy, now);
            expect(answer).toEqual(await inSql.answer(filters, period, groupBy, now));
            expect(answer).toEqual(await reference.answer(filters, period, groupBy, now));
          }
        }
      }
    }
  }

  beforeAll(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 300, seed: 4711 })];
    await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 2000 });
    await h.project(ALL_PROJECTIONS, { batchSize: 2000, timeoutMs: 240_000 });
    const cache = new AnswerCache(h.pool);
    inMemory = new RepPerformanceQuery(h.pool, cache, new StayIndex(h.pool, h.store));
    inSql = new RepPerformanceQuery(h.pool, cache);
    reference = new ReferenceRepPerformanceQuery(h.pool);
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the same answers as SQL and the reference, with ended, advanced and medians to compare', async () => {
    const answer = await inMemory.answer({}, PERIODS[1], 'owner', NOW[1]);
    const stages = answer.groups.flatMap((group) => group.stages);
    expect(stages.filter((s) => s.ended > s.advanced && s.advanced > 0 && s.medianDwellDays !== null).length).toBeGreaterThan(5);
    await expectSameAnswers();
  }, 300_000);

  it('after open stays end, deals are lost and new deals open: the new answers', async () => {
    const before = await inMemory.answer({}, PERIODS[1], 'owner', NOW[1]);
    const open = await h.rows<{ deal_id: string; stage: Stage; entered_stage_at: Date }>(`
      SELECT deal_id, stage, entered_stage_at FROM rm.deal_summary
       WHERE status = 'open' AND stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED')
       ORDER BY deal_id LIMIT 6`);
    expect(open).toHaveLength(6);
    const later = (deal: { entered_stage_at: Date }, days: number) => new Date(deal.entered_stage_at.getTime() + days * 86_400_000 + 777).toISOString();
    for (const deal of open.slice(0, 4)) {
      const to = nextStage(deal.stage) as Stage;
      await h.append(deal.deal_id, [{ type: 'StageAdvanced', data: { from: deal.stage, to, skipped: [], playbookVersion: 'default/1', occurredAt: later(deal, 3) } }]);
    }
    for (const deal of open.slice(4)) {
      await h.append(deal.deal_id, [{ type: 'DealLost', data: { from: deal.stage, reason: 'no budget', occurredAt: later(deal, 6) } }]);
    }
    for (const more of generateDealHistories({ deals: 3, seed: 123 })) await h.append(more.dealId, more.events);
    await h.project(ALL_PROJECTIONS);

    expect(await inMemory.answer({}, PERIODS[1], 'owner', NOW[1])).not.toEqual(before);
    await expectSameAnswers();
  }, 300_000);
});
