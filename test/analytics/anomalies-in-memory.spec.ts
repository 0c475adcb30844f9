/**
 * The anomalies about open deals are found in memory (open deals held per deal_summary
 * position) and the overrides' and regressions' pages are cached by read-model position. After
 * new events — open deals moved on, lost, given a new close date, passed by override, and new
 * deals — the pages, followed to the end, are still the reference list (the rows loaded and the
 * domain rules applied), never the list as it stood before the events.
 */
import { AnomalyKind } from '@funnel/domain/metrics/anomaly-findings';
import { DEFAULT_STALL_SETTINGS } from '@funnel/domain/metrics/stall-limits';
import { nextStage, Stage } from '@funnel/domain/playbook/stage';
import { AnomaliesAnswer, AnomaliesQuery, AnomalyItem } from '@funnel/read-models/analytics/anomalies.query';
import { decodeAnomalyCursor } from '@funnel/read-models/analytics/anomaly-cursor';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { DealFilters } from '@funnel/read-models/analytics/analytics-filters';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { ReferenceAnomaliesQuery } from '@funnel/read-models/testing/reference-analytics/anomalies.reference';
import { Period } from '@funnel/domain/metrics/period';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const at = (iso: string) => new Date(iso);
const FILTERS: DealFilters[] = [{}, { owner: 'rep-bo' }, { team: 'south', region: 'EMEA' }];
const AS_OF = [at('2024-10-01T00:00:00Z'), at('2025-06-30T23:59:59.999Z'), at('2030-01-01T00:00:00Z')];
const KINDS: (AnomalyKind | undefined)[] = [undefined, 'stalled', 'close_date_passed', 'inactive', 'stages_skipped'];

describe('anomalies found in memory and from cached pages follow the read models', () => {
  let h: ReadModelHarness;
  let query: AnomaliesQuery;
  let reference: ReferenceAnomaliesQuery;

  /** Every page of one question, followed to the end, against the reference's whole list. */
  async function expectReferenceList(filters: DealFilters, period: Period, asOf: Date, kind: AnomalyKind | undefined, limit: number): Promise<number> {
    const options = { asOf, inactiveDays: 30, kind, settings: DEFAULT_STALL_SETTINGS };
    const expected = await reference.answer(filters, period, options);
    const items: AnomalyItem[] = [];
    let page: AnomaliesAnswer = await query.answer(filters, period, { ...options, limit });
    items.push(...page.items);
    while (page.next) {
      expect(page.count).toBe(limit);
      page = await query.answer(filters, period, { ...options, limit, after: decodeAnomalyCursor(page.next) });
      items.push(...page.items);
    }
    expect(items).toEqual(expected.items);
    expect(page.completedStayP90).toEqual(expected.completedStayP90);
    return items.length;
  }

  async function expectEveryQuestion(): Promise<void> {
    for (const filters of FILTERS) {
      for (const asOf of AS_OF) {
        for (const kind of KINDS) await expectReferenceList(filters, {}, asOf, kind, 61);
      }
    }
    await expectReferenceList({}, { from: at('2024-07-15T12:00:00Z') }, AS_OF[1], undefined, 61);
  }

  beforeAll(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 300, seed: 2718 })];
    await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 2000 });
    await h.project(ALL_PROJECTIONS, { batchSize: 2000, timeoutMs: 240_000 });
    query = new AnomaliesQuery(h.pool, new AnswerCache(h.pool));
    reference = new ReferenceAnomaliesQuery(h.pool);
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('every kind is on the list, and the pages are the reference list', async () => {
    const all = await reference.answer({}, {}, { asOf: AS_OF[2], inactiveDays: 30, settings: DEFAULT_STALL_SETTINGS });
    const kinds = new Set(all.items.map((item) => item.kind));
    expect([...kinds].sort()).toEqual(['close_date_passed', 'gate_overridden', 'inactive', 'regressed', 'stages_skipped', 'stalled']);
    await expectEveryQuestion();
  }, 300_000);

  it('after open deals move on, are lost, get a new close date or pass a gate by override, and new deals open: the new list', async () => {
    const before = await query.answer({}, {}, { asOf: AS_OF[2], inactiveDays: 30, settings: DEFAULT_STALL_SETTINGS, limit: 5000 });
    const open = await h.rows<{ deal_id: string; stage: Stage; entered_stage_at: Date }>(`
      SELECT deal_id, stage, entered_stage_at FROM rm.deal_summary
       WHERE status = 'open' AND stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED')
       ORDER BY stage = 'APPROVED' DESC, deal_id LIMIT 8`);
    expect(open).toHaveLength(8);
    const later = (stay: { entered_stage_at: Date }, days: number) => new Date(stay.entered_stage_at.getTime() + days * 86_400_000 + 4_321).toISOString();
    // An APPROVED deal first: its new close date makes it overdue.
    expect(open[0].stage).toBe('APPROVED');
    const [forecast, overridden, lost, moved] = [open[0], open[1], open[2], open.slice(3)];
    for (const deal of moved) {
      const to = nextStage(deal.stage) as Stage;
      await h.append(deal.deal_id, [{ type: 'StageAdvanced', data: { from: deal.stage, to, skipped: [], playbookVersion: 'default/1', occurredAt: later(deal, 2) } }]);
    }
    await h.append(lost.deal_id, [{ type: 'DealLost', data: { from: lost.stage, reason: 'budget cut', occurredAt: later(lost, 3) } }]);
    await h.append(forecast.deal_id, [{ type: 'ForecastUpdated', data: { probability: 40, expectedCloseDate: '2025-01-15', occurredAt: later(forecast, 1) } }]);
    const to = nextStage(overridden.stage) as Stage;
    await h.append(overridden.deal_id, [
      {
        type: 'StageAdvanced',
        data: {
          from: overridden.stage,
          to,
          skipped: [],
          override: { by: 'manager-mia', reason: 'the customer signed a letter of intent', unmetAtOverride: [] },
          playbookVersion: 'default/1',
          occurredAt: later(overridden, 5),
        },
      },
    ]);
    for (const more of generateDealHistories({ deals: 4, seed: 99 })) await h.append(more.dealId, more.events);
    await h.project(ALL_PROJECTIONS);

    const after = await query.answer({}, {}, { asOf: AS_OF[2], inactiveDays: 30, settings: DEFAULT_STALL_SETTINGS, limit: 5000 });
    expect(after.items).not.toEqual(before.items);
    const aboutOpenDeal = (item: AnomalyItem) => ['stalled', 'close_date_passed', 'inactive'].includes(item.kind);
    expect(before.items.filter((item) => item.dealId === lost.deal_id && aboutOpenDeal(item)).length).toBeGreaterThan(0);
    expect(after.items.filter((item) => item.dealId === lost.deal_id && aboutOpenDeal(item))).toEqual([]);
    expect(after.items.filter((item) => item.dealId === forecast.deal_id && item.kind === 'close_date_passed')).toHaveLength(1);
    expect(after.items.filter((item) => item.dealId === overridden.deal_id && item.kind === 'gate_overridden')).toHaveLength(1);
    await expectEveryQuestion();
  }, 300_000);
  it("the company's p90 is kept while no stay ends, and follows the first stay that does", async () => {
    const settings = DEFAULT_STALL_SETTINGS;
    const ask = () => query.answer({}, {}, { asOf: AS_OF[2], inactiveDays: 30, settings, limit: 5000 });
    const before = await ask();
    const [deal] = await h.rows<{ deal_id: string; stage: Stage; entered_stage_at: Date; last_activity_at: Date }>(`
      SELECT deal_id, stage, entered_stage_at, last_activity_at FROM rm.deal_summary
       WHERE status = 'open' AND stage IN ('TARGET', 'POTENTIAL', 'INTENT') ORDER BY deal_id LIMIT 1`);
    const at = (days: number) => new Date(deal.last_activity_at.getTime() + days * 86_400_000).toISOString();
    // A write that ends no stay: the read models move, the completed stays do not.
    await h.append(deal.deal_id, [{ type: 'ForecastUpdated', data: { probability: 30, expectedCloseDate: '2031-01-15', occurredAt: at(1) } }]);
    await h.project(ALL_PROJECTIONS);
    const kept = await ask();
    expect(kept.completedStayP90).toEqual(before.completedStayP90);
    expect(await expectReferenceList({}, {}, AS_OF[2], undefined, 61)).toBe(kept.count);
    // The deal moves on: its stay ends, and the benchmark counts it.
    const to = nextStage(deal.stage) as Stage;
    await h.append(deal.deal_id, [{ type: 'StageAdvanced', data: { from: deal.stage, to, skipped: [], playbookVersion: 'default/1', occurredAt: at(2) } }]);
    await h.project(ALL_PROJECTIONS);
    const moved = await ask();
    const stage = deal.stage as keyof AnomaliesAnswer['completedStayP90'];
    expect(moved.completedStayP90[stage].n).toBe(before.completedStayP90[stage].n + 1);
    expect(await expectReferenceList({}, {}, AS_OF[2], undefined, 61)).toBe(moved.count);
  }, 120_000);
});
