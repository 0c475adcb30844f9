/**
 * The SQL analytics (libs/read-models/src/analytics) against the reference — the first
 * implementation, which loads the rows and computes with the pure functions of
 * libs/domain/src/metrics — on a generated history with random millisecond times, overrides,
 * skips, regressions, losses and reopenings. The same answers, field for field, for every
 * endpoint and a spread of filters, periods, asOf instants and skip policies; and the answer
 * cache never serves an answer older than the read models.
 */
import { DEFAULT_STALL_SETTINGS } from '@funnel/domain/metrics/stall-limits';
import { AnomaliesQuery, AnomalyItem } from '@funnel/read-models/analytics/anomalies.query';
import { decodeAnomalyCursor } from '@funnel/read-models/analytics/anomaly-cursor';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { ConversionQuery } from '@funnel/read-models/analytics/conversion.query';
import { CycleTimeQuery } from '@funnel/read-models/analytics/cycle-time.query';
import { DwellTimesQuery } from '@funnel/read-models/analytics/dwell-times.query';
import { RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { DealIndex } from '@funnel/read-models/analytics/deal-index';
import { nextStage, Stage } from '@funnel/domain/playbook/stage';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { ReferenceAnomaliesQuery } from '@funnel/read-models/testing/reference-analytics/anomalies.reference';
import { ReferenceConversionQuery } from '@funnel/read-models/testing/reference-analytics/conversion.reference';
import { ReferenceCycleTimeQuery } from '@funnel/read-models/testing/reference-analytics/cycle-time.reference';
import { ReferenceDwellTimesQuery } from '@funnel/read-models/testing/reference-analytics/dwell-times.reference';
import { ReferenceRepPerformanceQuery } from '@funnel/read-models/testing/reference-analytics/rep-performance.reference';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const at = (iso: string) => new Date(iso);
const FILTERS = [{}, { owner: 'rep-bo' }, { team: 'south', region: 'EMEA' }, { industry: 'retail' }];
const PERIODS = [{}, { from: at('2024-03-01T00:00:00Z'), to: at('2024-09-01T00:00:00Z') }, { from: at('2024-07-15T12:00:00Z') }];

describe('SQL analytics agree with the reference implementation', () => {
  let h: ReadModelHarness;
  let cache: AnswerCache;
  let stays: StayIndex;
  let dealIndex: DealIndex;

  beforeAll(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 700, seed: 1313 })];
    await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 2000 });
    // A loaded machine projects 16,000 events slowly: the wait is generous, the answers exact.
    await h.project(ALL_PROJECTIONS, { batchSize: 2000, timeoutMs: 240_000 });
    cache = new AnswerCache(h.pool);
    stays = new StayIndex(h.pool, h.store);
    dealIndex = new DealIndex(h.pool, h.store, stays);
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the history exercises every path: skips, overrides, regressions, losses, open stays', async () => {
    const [kinds] = await h.rows<{ skipped: number; regressed: number; lost: number; open: number; overrides: number }>(`
      SELECT count(*) FILTER (WHERE exit_kind = 'skipped')::int AS skipped, count(*) FILTER (WHERE exit_kind = 'regressed')::int AS regressed,
             count(*) FILTER (WHERE exit_kind = 'lost')::int AS lost, count(*) FILTER (WHERE exited_at IS NULL AND stage <> 'WON')::int AS open,
             (SELECT count(*)::int FROM rm.stage_overrides) AS overrides
        FROM rm.stage_intervals`);
    for (const count of Object.values(kinds)) expect(count).toBeGreaterThan(5);
  });

  it('dwell-times/1', async () => {
    const sql = new DwellTimesQuery(stays);
    const reference = new ReferenceDwellTimesQuery(h.pool);
    for (const filters of FILTERS) {
      for (const period of PERIODS) {
        for (const asOf of [at('2030-01-01T00:00:00Z'), at('2024-08-17T13:14:15.678Z')]) {
          expect(await sql.answer(filters, period, asOf)).toEqual(await reference.answer(filters, period, asOf));
        }
      }
    }
  }, 120_000);

  it('conversion/1 and win-rate/1, both skip policies', async () => {
    const sql = new ConversionQuery(h.pool, cache, dealIndex);
    const reference = new ReferenceConversionQuery(h.pool);
    for (const filters of FILTERS) {
      for (const period of PERIODS) {
        for (const policy of ['strict', 'any'] as const) {
          expect(await sql.answer(filters, period, policy)).toEqual(await reference.answer(filters, period, policy));
        }
      }
    }
  }, 120_000);

  it('cycle-time/1 and sales-velocity/1, from opening and from a stage', async () => {
    const sql = new CycleTimeQuery(h.pool, cache);
    const reference = new ReferenceCycleTimeQuery(h.pool);
    for (const filters of FILTERS) {
      for (const period of PERIODS) {
        for (const [fromStage, policy] of [[undefined, 'strict'], ['PROJECT', 'strict'], ['PROJECT', 'any'], ['INTENT', 'any']] as const) {
          expect(await sql.answer(filters, period, fromStage, policy)).toEqual(await reference.answer(filters, period, fromStage, policy));
        }
      }
    }
  }, 120_000);

  it('rep-performance/1 by owner and by team, with stays ending after now', async () => {
    const sql = new RepPerformanceQuery(h.pool, cache);
    const reference = new ReferenceRepPerformanceQuery(h.pool);
    const period = { from: at('2024-05-01T00:00:00Z'), to: at('2024-09-01T00:00:00Z') };
    for (const filters of FILTERS) {
      for (const groupBy of ['owner', 'team'] as const) {
        for (const now of [at('2024-08-15T08:00:00Z'), at('2030-01-01T00:00:00Z')]) {
          expect(await sql.answer(filters, period, groupBy, now)).toEqual(await reference.answer(filters, period, groupBy, now));
        }
      }
    }
  }, 120_000);

  it('anomalies/1: the pages, followed to the end, are the reference list in its order', async () => {
    const sql = new AnomaliesQuery(h.pool, cache);
    const reference = new ReferenceAnomaliesQuery(h.pool);
    for (const filters of FILTERS) {
      for (const period of PERIODS) {
        for (const asOf of [at('2024-10-01T00:00:00Z'), at('2025-06-30T23:59:59.999Z')]) {
          for (const kind of [undefined, 'stalled', 'inactive'] as const) {
            const options = { asOf, inactiveDays: 30, kind, settings: DEFAULT_STALL_SETTINGS };
            const expected = await reference.answer(filters, period, options);
            const items: AnomalyItem[] = [];
            let page = await sql.answer(filters, period, { ...options, limit: 97 });
            items.push(...page.items);
            while (page.next) {
              page = await sql.answer(filters, period, { ...options, limit: 97, after: decodeAnomalyCursor(page.next) });
              items.push(...page.items);
            }
            expect(items).toEqual(expected.items);
            const { items: _i, count: _c, next: _n, ...rest } = page;
            const { items: _ri, count: _rc, ...expectedRest } = expected;
            expect(rest).toEqual(expectedRest);
          }
        }
      }
    }
    expect(cache.stats().hits).toBeGreaterThan(0);
  }, 300_000);

  it('the stays and deals in memory follow the read model: new deals, moves and a reassignment merged in, the same answers', async () => {
    const dwell = new DwellTimesQuery(stays);
    const reference = new ReferenceDwellTimesQuery(h.pool);
    const conversion = new ConversionQuery(h.pool, cache, dealIndex);
    const conversionReference = new ReferenceConversionQuery(h.pool);
    const now = at('2030-01-01T00:00:00Z');
    // Answered before the moves: the answers after them are patched from these.
    for (const filters of FILTERS) expect(await dwell.answer(filters, {}, now)).toEqual(await reference.answer(filters, {}, now));
    for (const filters of FILTERS) expect(await conversion.answer(filters, {}, 'any')).toEqual(await conversionReference.answer(filters, {}, 'any'));
    const before = await dealIndex.current();
    // Stays still open in the middle of the order of deals: each of those deals moves on.
    const open = await h.rows<{ deal_id: string; stage: Stage; entered_at: Date }>(`
      SELECT deal_id, stage, entered_at FROM rm.stage_intervals
       WHERE exited_at IS NULL AND stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
       ORDER BY deal_id LIMIT 5 OFFSET 20`);
    expect(open).toHaveLength(5);
    for (const stay of open) {
      const occurredAt = new Date(stay.entered_at.getTime() + 3 * 86_400_000 + 12_345).toISOString();
      const to = nextStage(stay.stage) as Stage;
      await h.append(stay.deal_id, [{ type: 'StageAdvanced', data: { from: stay.stage, to, skipped: [], playbookVersion: 'default/1', occurredAt } }]);
    }
    // A deal of another rep handed to rep-bo: conversion filters on the deal's current owner.
    const [handed] = await h.rows<{ deal_id: string; owner: string; last_activity_at: Date }>(
      `SELECT deal_id, owner, last_activity_at FROM rm.deal_summary WHERE owner <> 'rep-bo' ORDER BY deal_id LIMIT 1 OFFSET 7`,
    );
    await h.append(handed.deal_id, [
      { type: 'OwnerReassigned', data: { from: handed.owner, to: 'rep-bo', occurredAt: new Date(handed.last_activity_at.getTime() + 60_000).toISOString() } },
    ]);
    for (const more of generateDealHistories({ deals: 3, seed: 4242 })) await h.append(more.dealId, more.events);
    await h.project(ALL_PROJECTIONS);
    for (const filters of FILTERS) {
      for (const policy of ['strict', 'any'] as const) {
        expect(await conversion.answer(filters, {}, policy)).toEqual(await conversionReference.answer(filters, {}, policy));
      }
    }
    // The index moved with the read model: the same deal numbers, the reassigned deal's owner now rep-bo's.
    const patched = await dealIndex.current();
    expect(patched).not.toBe(before);
    const number = stays.dealNumber(handed.deal_id);
    expect(stays.owners.values[patched.columns.owner[number]]).toBe('rep-bo');
    expect(stays.owners.values[before.columns.owner[number]]).toBe(handed.owner);
    for (const filters of FILTERS) {
      for (const asOf of [now, at('2024-08-17T13:14:15.678Z')]) {
        expect(await dwell.answer(filters, {}, asOf)).toEqual(await reference.answer(filters, {}, asOf));
      }
    }
    // Merged in order: the same columns as loading everything afresh.
    const merged = await stays.current();
    const loaded = await new StayIndex(h.pool, h.store).current();
    expect(merged.count).toBe(loaded.count);
    expect(merged.columns.seq).toEqual(loaded.columns.seq);
    expect(merged.columns.exited).toEqual(loaded.columns.exited);
    expect([...merged.columns.deal].map((d) => stays.dealIds[d])).toEqual([...loaded.columns.deal].map((d) => loaded.index.dealIds[d]));
  }, 120_000);

  it('a cached answer is replaced as soon as the read models move', async () => {
    const sql = new ConversionQuery(h.pool, cache, dealIndex);
    const before = await sql.answer({}, {}, 'strict');
    expect(await sql.answer({}, {}, 'strict')).toBe(before);
    const [more] = [...generateDealHistories({ deals: 1, seed: 77 })];
    await h.append(more.dealId, more.events);
    await h.project(ALL_PROJECTIONS);
    const after = await sql.answer({}, {}, 'strict');
    expect(after.stages[0].entered).toBe(before.stages[0].entered + 1);
    expect(after).toEqual(await new ReferenceConversionQuery(h.pool).answer({}, {}, 'strict'));
  }, 60_000);
});
