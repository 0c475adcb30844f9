import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { velocityOfAverage } from '@funnel/domain/metrics/sales-velocity';
import { SkipPolicy } from '@funnel/domain/metrics/stage-passes';
import { OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DistributionSummary } from '@funnel/domain/metrics/statistics';
import { STAGES } from '@funnel/domain/playbook/stage';
import { DealFilters, echoFilters, filterParams, periodParams } from './analytics-filters';
import { roundAmount, roundDays, roundRate, roundSummary } from './analytics-numbers';
import { AnswerCache } from './answer-cache';
import { CLOSED_DEALS_BY_STATUS_AND_CURRENCY, ClosedDealsRow, winRateOf } from './closed-deals.sql';
import { stagePassesSql } from './stage-passes.sql';
import { SummaryColumns, toSummary } from './summary-columns';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

/**
 * cycle-time/1 in SQL: the deals won in [from, to) (current attributes), days from opened_at —
 * or from the first pass into fromStage ($7, under skip policy $8) — to closed_at, summarised
 * with percentile_cont (type 7). Days are whole milliseconds / 86 400 000 in float8, the
 * operation daysBetween() performs. `full` is always opened → won: sales velocity's median.
 */
const CYCLES_OF_WON_DEALS = `
  WITH deals AS (
    SELECT deal_id, opened_at, closed_at FROM rm.deal_summary
     WHERE status = 'won'
       AND ($1::text IS NULL OR owner = $1)
       AND ($2::text IS NULL OR team = $2)
       AND ($3::text IS NULL OR region = $3)
       AND ($4::text IS NULL OR industry = $4)
       AND ($5::timestamptz IS NULL OR closed_at >= $5)
       AND ($6::timestamptz IS NULL OR closed_at < $6)
  ),
  ${stagePassesSql('$8', '$9')},
  starts AS (
    SELECT d.deal_id, d.closed_at,
           CASE WHEN $7::text IS NULL THEN d.opened_at
                ELSE (SELECT min(p.at) FROM passes p WHERE p.deal_id = d.deal_id AND p.stage = $7) END AS started_at,
           ((extract(epoch FROM d.closed_at) - extract(epoch FROM d.opened_at)) * 1000)::float8 / 86400000 AS full_days
      FROM deals d
  ),
  cycles AS (
    SELECT full_days,
           ((extract(epoch FROM closed_at) - extract(epoch FROM started_at)) * 1000)::float8 / 86400000 AS days
      FROM starts
  )
  SELECT count(*)::int AS won,
         count(days)::int AS n,
         sum(days) / nullif(count(days), 0) AS mean,
         percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY days) FILTER (WHERE days IS NOT NULL) AS q,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY full_days) AS full_median
    FROM cycles`;

/** The pipeline that velocity multiplies: deals open now, per currency. */
const OPEN_DEALS_BY_CURRENCY = `
  SELECT currency, count(*)::int AS open_deals
    FROM rm.deal_summary
   WHERE status = 'open'
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
   GROUP BY currency`;

interface CyclesRow {
  won: number;
  n: number;
  mean: number | null;
  q: number[] | null;
  full_median: number | null;
}

export interface CycleTimeAnswer {
  metricDefinitionVersion: string;
  filters: ReturnType<typeof echoFilters> & { fromStage: OpenStage | null; skipPolicy: SkipPolicy };
  unit: 'days';
  /** 'opened' or the stage the cycle is measured from. */
  measuredFrom: OpenStage | 'opened';
  cycle: DistributionSummary;
  /** Won deals left out because they never entered (or, under 'any', passed) fromStage. */
  wonWithoutFromStage: number;
  salesVelocity: {
    metricDefinitionVersion: string;
    winRate: number | null;
    /** Median of opened → won, whatever fromStage says. */
    medianCycleDays: number | null;
    byCurrency: { currency: string; openDeals: number; averageWonAmount: number | null; perDay: number | null }[];
  };
}

@Injectable()
export class CycleTimeQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  answer(filters: DealFilters, period: Period, fromStage: OpenStage | undefined, skipPolicy: SkipPolicy): Promise<CycleTimeAnswer> {
    const params = [...filterParams(filters), ...periodParams(period)];
    // No clock in the definition: cached until the read models move.
    return this.cache.answer('cycle-time', [...params, fromStage ?? null, skipPolicy], ['stage_history', 'deal_summary'], async () => {
      const [[cycles], closed, open] = await Promise.all([
        rows<CyclesRow>(this.pool, CYCLES_OF_WON_DEALS, [...params, fromStage ?? null, skipPolicy, STAGES]),
        rows<ClosedDealsRow>(this.pool, CLOSED_DEALS_BY_STATUS_AND_CURRENCY, [...params, null]),
        rows<{ currency: string; open_deals: number }>(this.pool, OPEN_DEALS_BY_CURRENCY, filterParams(filters)),
      ]);
      const rate = winRateOf(closed).byCount;
      const medianCycleDays = cycles.full_median;
      const won = closed.filter((c) => c.status === 'won');
      const currencies = [...new Set([...open.map((o) => o.currency), ...won.map((d) => d.currency)])].sort();
      const summary: SummaryColumns = { n: cycles.n, mean: cycles.mean, q: cycles.q };
      return {
        metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.cycleTime,
        filters: { ...echoFilters(filters, period), fromStage: fromStage ?? null, skipPolicy },
        unit: 'days' as const,
        measuredFrom: fromStage ?? ('opened' as const),
        cycle: roundSummary(toSummary(summary)),
        wonWithoutFromStage: cycles.won - cycles.n,
        salesVelocity: {
          metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.salesVelocity,
          winRate: roundRate(rate),
          medianCycleDays: roundDays(medianCycleDays),
          byCurrency: currencies.map((currency) => {
            const wonHere = won.find((w) => w.currency === currency);
            const v = velocityOfAverage({
              openDeals: open.find((o) => o.currency === currency)?.open_deals ?? 0,
              averageWonAmount: wonHere ? wonHere.amount / wonHere.deals : null,
              winRate: rate,
              medianCycleDays,
            });
            return { currency, openDeals: v.openDeals, averageWonAmount: roundAmount(v.averageWonAmount), perDay: roundAmount(v.perDay) };
          }),
        },
      };
    });
  }
}
