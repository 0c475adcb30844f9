import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DistributionSummary } from '@funnel/domain/metrics/statistics';
import { DealFilters, echoFilters, filterParams, periodParams } from './analytics-filters';
import { roundDays, roundSummary } from './analytics-numbers';
import { AnswerCache } from './answer-cache';
import { SummaryColumns, toSummary } from './summary-columns';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

/**
 * dwell-times/1 computed where the stays are, so only six rows cross to Node.
 *
 * `selected` are the stays of the open stages entered in [from, to) and by asOf ($7), matched on
 * the owner/team/region/industry recorded at entry, each as it stood at asOf: an exit after asOf
 * is not known yet (stayAsOf in libs/domain/src/metrics/stage-stay.ts). Days are whole
 * milliseconds as float8 divided by 86 400 000 — the same IEEE operation as daysBetween() — so
 * every duration equals the one the domain functions compute, and percentile_cont is the same
 * type-7 interpolation as quantile(). Per deal, a deal's ended stays are summed in seq order (the
 * order the reference adds them in) and deals with a stay still open are left out. Means add in
 * the reference's order too (deal, seq): a mean like 22.705 sits exactly on a rounding edge,
 * where the last bit of a float sum decides between 22.70 and 22.71.
 *
 * Kaplan–Meier: observations grouped by time; n at risk at t = observations with time ≥ t (a
 * running count from the longest down, so censorings tied with an event are at risk); the curve
 * multiplies (1 − d/n) over event times in ascending order with survival_product (float8mul, see
 * the migration), and the median is the first event time where it reaches 0.5 (within 1e-9, the
 * tolerance of kaplanMeier(): floating-point drift must not move a median that is exactly ½).
 */
const DWELL_TIMES = `
  WITH selected AS (
    SELECT deal_id, seq, stage, exit_kind,
           exited_at IS NOT NULL AND exited_at <= $7 AS ended,
           ((extract(epoch FROM CASE WHEN exited_at <= $7 THEN exited_at ELSE $7 END) - extract(epoch FROM entered_at)) * 1000)::float8
             / 86400000 AS days
      FROM rm.stage_intervals
     WHERE stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
       AND ($1::text IS NULL OR owner = $1)
       AND ($2::text IS NULL OR team = $2)
       AND ($3::text IS NULL OR region = $3)
       AND ($4::text IS NULL OR industry = $4)
       AND ($5::timestamptz IS NULL OR entered_at >= $5)
       AND ($6::timestamptz IS NULL OR entered_at < $6)
       AND entered_at <= $7
  ),
  per_stay AS (
    SELECT stage,
           count(*) FILTER (WHERE ended)::int AS n,
           (sum(days ORDER BY deal_id, seq) FILTER (WHERE ended)) / nullif(count(*) FILTER (WHERE ended), 0) AS mean,
           percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY days) FILTER (WHERE ended) AS q,
           count(*) FILTER (WHERE NOT ended)::int AS open_stays
      FROM selected GROUP BY stage
  ),
  deal_totals AS (
    SELECT stage, deal_id, sum(days ORDER BY seq) AS days
      FROM selected GROUP BY stage, deal_id
    HAVING bool_and(ended)
  ),
  per_deal AS (
    SELECT stage, count(*)::int AS n, sum(days ORDER BY deal_id) / count(*) AS mean,
           percentile_cont(ARRAY[0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY days) AS q
      FROM deal_totals GROUP BY stage
  ),
  km_times AS (
    SELECT stage, days AS time, count(*) AS here,
           count(*) FILTER (WHERE ended AND exit_kind IN ('advanced', 'skipped', 'won')) AS events
      FROM selected GROUP BY stage, days
  ),
  km_risk AS (
    SELECT stage, time, events,
           sum(here) OVER (PARTITION BY stage ORDER BY time DESC) AS at_risk
      FROM km_times
  ),
  km_curve AS (
    SELECT stage, time,
           survival_product(1 - events::float8 / at_risk::float8) OVER (PARTITION BY stage ORDER BY time) AS survival
      FROM km_risk WHERE events > 0
  ),
  km AS (
    SELECT t.stage, sum(t.here)::int AS n, sum(t.events)::int AS events,
           (SELECT min(c.time) FROM km_curve c WHERE c.stage = t.stage AND c.survival <= 0.5 + 1e-9) AS median
      FROM km_times t GROUP BY t.stage
  )
  SELECT km.stage,
         s.n AS stay_n, s.mean AS stay_mean, s.q AS stay_q, s.open_stays,
         d.n AS deal_n, d.mean AS deal_mean, d.q AS deal_q,
         km.n AS km_n, km.events AS km_events, km.median AS km_median
    FROM km
    JOIN per_stay s USING (stage)
    LEFT JOIN per_deal d USING (stage)`;

interface DwellRow {
  stage: OpenStage;
  stay_n: number;
  stay_mean: number | null;
  stay_q: number[] | null;
  open_stays: number;
  deal_n: number | null;
  deal_mean: number | null;
  deal_q: number[] | null;
  km_n: number;
  km_events: number;
  km_median: number | null;
}

export interface StageDwellTimesAnswer {
  stage: OpenStage;
  perStay: DistributionSummary;
  perDeal: DistributionSummary;
  openStays: number;
  kaplanMeier: { n: number; events: number; censored: number; median: number | null };
}

export interface DwellTimesAnswer {
  metricDefinitionVersion: string;
  asOf: string;
  filters: ReturnType<typeof echoFilters>;
  unit: 'days';
  stages: StageDwellTimesAnswer[];
}

@Injectable()
export class DwellTimesQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  async answer(filters: DealFilters, period: Period, asOf: Date): Promise<DwellTimesAnswer> {
    const params = [...filterParams(filters), ...periodParams(period), asOf];
    // Everything depends on asOf, which defaults to now: the key holds the instant itself.
    return this.cache.answer('dwell-times', params, ['stage_history'], async () => {
      const found = await rows<DwellRow>(this.pool, DWELL_TIMES, params);
      return {
        metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.dwellTimes,
        asOf: asOf.toISOString(),
        filters: echoFilters(filters, period),
        unit: 'days' as const,
        stages: OPEN_STAGES.map((stage) => stageAnswer(stage, found.find((r) => r.stage === stage))),
      };
    });
  }
}

function stageAnswer(stage: OpenStage, row: DwellRow | undefined): StageDwellTimesAnswer {
  const perStay: SummaryColumns = { n: row?.stay_n ?? 0, mean: row?.stay_mean ?? null, q: row?.stay_q ?? null };
  const perDeal: SummaryColumns = { n: row?.deal_n ?? 0, mean: row?.deal_mean ?? null, q: row?.deal_q ?? null };
  const n = row?.km_n ?? 0;
  const events = row?.km_events ?? 0;
  return {
    stage,
    perStay: roundSummary(toSummary(perStay)),
    perDeal: roundSummary(toSummary(perDeal)),
    openStays: row?.open_stays ?? 0,
    kaplanMeier: { n, events, censored: n - events, median: roundDays(row?.km_median ?? null) },
  };
}
