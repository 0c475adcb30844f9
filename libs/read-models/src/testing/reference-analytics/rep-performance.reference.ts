/**
 * The analytics as first written: every matching row loaded into Node and the metric computed by
 * the pure functions of libs/domain/src/metrics. Kept as the reference the SQL implementations
 * in libs/read-models/src/analytics must agree with (test/analytics/analytics-agreement.spec.ts)
 * and as the "before" column of bench/analytics.bench.ts. Not used by the api.
 */
import { Pool } from 'pg';
import { weeksBetween } from '@funnel/domain/metrics/business-time';
import { dwellTimes } from '@funnel/domain/metrics/dwell-times';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { stageAdvance } from '@funnel/domain/metrics/stage-advance';
import { OpenStage } from '@funnel/domain/metrics/stage-stay';
import { ratio } from '@funnel/domain/metrics/statistics';
import { sum } from '@funnel/domain/metrics/win-rate';
import { DealFilters, echoFilters, filterParams, periodParams } from '../../analytics/analytics-filters';
import { roundAmount, roundDays, roundRate } from '../../analytics/analytics-numbers';
import { ClosedDealRow, DEALS_CLOSED_IN_PERIOD } from '../../analytics/closed-deals.sql';
import { StageStayRow, toStageStay } from '../../analytics/stage-stay.row';
import { rows } from '../../analytics/rows';

export type RepGrouping = 'owner' | 'team';

// $5 picks the grouping column: a bound value, never SQL text spliced in.

/** Open deals now, per current owner (or team) and currency. */
const OPEN_PIPELINE_BY_GROUP = `
  SELECT CASE WHEN $5::text = 'team' THEN team ELSE owner END AS group_key,
         currency,
         count(*)::int AS deals,
         sum(amount)::float8 AS amount,
         sum(weighted_amount)::float8 AS weighted
    FROM rm.deal_summary
   WHERE status = 'open'
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
   GROUP BY 1, 2`;

/** Stays entered in [from, to), credited to the owner (or team) recorded when the stay began. */
const STAYS_BY_GROUP = `
  SELECT CASE WHEN $5::text = 'team' THEN team ELSE owner END AS group_key,
         deal_id, seq, stage, entered_at, exited_at, exit_kind, next_stage
    FROM rm.stage_intervals
   WHERE stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
     AND entered_at >= $6 AND entered_at < $7
   ORDER BY deal_id, seq`;

/**
 * Visits in [from, to), credited to the visit's own owner (or team); rm.visits carries no region
 * or industry, so those filters go through the deal.
 */
const VISITS_BY_GROUP = `
  SELECT CASE WHEN $5::text = 'team' THEN v.team ELSE v.owner END AS group_key,
         count(*)::int AS visits,
         count(*) FILTER (WHERE v.reviewed)::int AS reviewed
    FROM rm.visits v
    JOIN rm.deal_summary d ON d.deal_id = v.deal_id
   WHERE ($1::text IS NULL OR v.owner = $1)
     AND ($2::text IS NULL OR v.team = $2)
     AND ($3::text IS NULL OR d.region = $3)
     AND ($4::text IS NULL OR d.industry = $4)
     AND v.occurred_at >= $6 AND v.occurred_at < $7
   GROUP BY 1`;

interface PipelineRow {
  group_key: string;
  currency: string;
  deals: number;
  amount: number;
  weighted: number;
}

interface VisitCountRow {
  group_key: string;
  visits: number;
  reviewed: number;
}

export interface RepStagePerformance {
  stage: OpenStage;
  /** Stays in the stage (entered in the period) that have ended. */
  ended: number;
  /** Of those, left forward. */
  advanced: number;
  advanceRate: number | null;
  /** Median days of the ended stays. */
  medianDwellDays: number | null;
}

export interface RepPerformance {
  key: string;
  openPipeline: { deals: number; byCurrency: { currency: string; deals: number; amount: number; weighted: number }[] };
  closed: { won: number; lost: number; winRate: number | null; wonAmountByCurrency: { currency: string; amount: number }[] };
  stages: RepStagePerformance[];
  visits: { count: number; reviewed: number; perWeek: number | null };
}

export interface RepPerformanceAnswer {
  metricDefinitionVersion: string;
  groupBy: RepGrouping;
  filters: ReturnType<typeof echoFilters>;
  period: { from: string; to: string; weeks: number };
  groups: RepPerformance[];
}


export class ReferenceRepPerformanceQuery {
  constructor(private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Required<Period>, groupBy: RepGrouping, now: Date): Promise<RepPerformanceAnswer> {
    const params = filterParams(filters);
    const [pipeline, closed, stayRows, visits] = await Promise.all([
      rows<PipelineRow>(this.pool, OPEN_PIPELINE_BY_GROUP, [...params, groupBy]),
      rows<ClosedDealRow>(this.pool, DEALS_CLOSED_IN_PERIOD, [...params, ...periodParams(period)]),
      rows<StageStayRow & { group_key: string }>(this.pool, STAYS_BY_GROUP, [...params, groupBy, period.from, period.to]),
      rows<VisitCountRow>(this.pool, VISITS_BY_GROUP, [...params, groupBy, period.from, period.to]),
    ]);
    const closedKey = (d: ClosedDealRow) => (groupBy === 'team' ? d.team : d.owner);
    const keys = [
      ...new Set([...pipeline.map((p) => p.group_key), ...closed.map(closedKey), ...stayRows.map((s) => s.group_key), ...visits.map((v) => v.group_key)]),
    ].sort();
    const weeks = weeksBetween(period.from, period.to);

    const groups = keys.map((key): RepPerformance => {
      const open = pipeline.filter((p) => p.group_key === key);
      const theirClosed = closed.filter((d) => closedKey(d) === key);
      const won = theirClosed.filter((d) => d.status === 'won');
      const stays = stayRows.filter((s) => s.group_key === key).map(toStageStay);
      const dwell = dwellTimes(stays, now);
      const visit = visits.find((v) => v.group_key === key);
      return {
        key,
        openPipeline: {
          deals: sum(open.map((p) => p.deals)),
          byCurrency: open
            .sort((a, b) => a.currency.localeCompare(b.currency))
            .map((p) => ({ currency: p.currency, deals: p.deals, amount: roundAmount(p.amount) as number, weighted: roundAmount(p.weighted) as number })),
        },
        closed: {
          won: won.length,
          lost: theirClosed.length - won.length,
          winRate: roundRate(ratio(won.length, theirClosed.length)),
          wonAmountByCurrency: [...new Set(won.map((d) => d.currency))].sort().map((currency) => ({
            currency,
            amount: roundAmount(sum(won.filter((d) => d.currency === currency).map((d) => d.amount))) as number,
          })),
        },
        stages: stageAdvance(stays).map((a) => ({
          stage: a.stage,
          ended: a.ended,
          advanced: a.advanced,
          advanceRate: roundRate(a.rate),
          medianDwellDays: roundDays(dwell.find((d) => d.stage === a.stage)?.perStay.median ?? null),
        })),
        visits: {
          count: visit?.visits ?? 0,
          reviewed: visit?.reviewed ?? 0,
          perWeek: roundRate(ratio(visit?.visits ?? 0, weeks)),
        },
      };
    });
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.repPerformance,
      groupBy,
      filters: echoFilters(filters, period),
      period: { from: period.from.toISOString(), to: period.to.toISOString(), weeks: roundRate(weeks) as number },
      groups,
    };
  }
}
