import { Inject, Injectable, Optional } from '@nestjs/common';
import { Pool } from 'pg';
import { MS_PER_DAY, weeksBetween } from '@funnel/domain/metrics/business-time';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { quantileOfSorted, ratio } from '@funnel/domain/metrics/statistics';
import { DEAL_STATUS_STAGES } from '@funnel/domain/playbook/stage';
import { sum } from '@funnel/domain/metrics/win-rate';
import { DealFilters, echoFilters, filterParams, periodParams } from './analytics-filters';
import { roundAmount, roundDays, roundRate } from './analytics-numbers';
import { AnswerCache } from './answer-cache';
import { CLOSED_DEALS_BY_STATUS_AND_CURRENCY, ClosedDealsRow, winRateOf } from './closed-deals.sql';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';
import { EXIT_KINDS, StayIndex } from './stay-index';
import { stayFilter, stayMatches } from './stay-filter';

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

/**
 * Per stage, the stays entered in [from, to), credited to the owner (or team) recorded when the
 * stay began: `ended` and `advanced` count stays with an exit (stageAdvance()); the median is of
 * the stays ended by now ($8), as perStay of dwell-times/1 takes them (days = whole ms / 86 400 000
 * in float8, percentile_cont type 7).
 */
const STAGES_BY_GROUP = `
  SELECT CASE WHEN $5::text = 'team' THEN team ELSE owner END AS group_key, stage,
         count(*) FILTER (WHERE exited_at IS NOT NULL)::int AS ended,
         count(*) FILTER (WHERE exited_at IS NOT NULL AND exit_kind IN ('advanced', 'skipped', 'won'))::int AS advanced,
         percentile_cont(0.5) WITHIN GROUP (
           ORDER BY ((extract(epoch FROM exited_at) - extract(epoch FROM entered_at)) * 1000)::float8 / 86400000
         ) FILTER (WHERE exited_at <= $8 AND entered_at <= $8) AS median_days
    FROM rm.stage_intervals
   WHERE stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
     AND entered_at >= $6 AND entered_at < $7
   GROUP BY 1, 2`;

/**
 * Visits in [from, to), credited to the visit's own owner (or team); rm.visits carries no region
 * or industry, so those filters go through the deal (every visit's deal has its summary).
 *
 * Read per owner (or team) along the visits' (owner, occurred_at) or (team, occurred_at) index:
 * the distinct keys are found by skipping through the index (a recursive CTE, one probe a key),
 * then each key's visits in the period are a range of the index — the period's visits, not the
 * whole history's. `column` is one of two constants, never request text; $5, $6 = from, to.
 */
function visitsByGroup(column: RepGrouping): string {
  return `
  WITH RECURSIVE keys AS (
    SELECT min(${column}) AS group_key FROM rm.visits
    UNION ALL
    SELECT (SELECT min(${column}) FROM rm.visits WHERE ${column} > k.group_key) FROM keys k WHERE k.group_key IS NOT NULL
  )
  SELECT k.group_key, count(*)::int AS visits, count(*) FILTER (WHERE v.reviewed)::int AS reviewed
    FROM keys k
    JOIN rm.visits v ON v.${column} = k.group_key AND v.occurred_at >= $5 AND v.occurred_at < $6
   WHERE ($1::text IS NULL OR v.owner = $1)
     AND ($2::text IS NULL OR v.team = $2)
     AND (($3::text IS NULL AND $4::text IS NULL)
          OR EXISTS (SELECT 1 FROM rm.deal_summary d
                      WHERE d.deal_id = v.deal_id
                        AND ($3::text IS NULL OR d.region = $3)
                        AND ($4::text IS NULL OR d.industry = $4)))
   GROUP BY 1`;
}

const VISITS_BY_GROUP: Record<RepGrouping, string> = { owner: visitsByGroup('owner'), team: visitsByGroup('team') };

interface PipelineRow {
  group_key: string;
  currency: string;
  deals: number;
  amount: number;
  weighted: number;
}

interface StageRow {
  group_key: string;
  stage: OpenStage;
  ended: number;
  advanced: number;
  median_days: number | null;
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

@Injectable()
export class RepPerformanceQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
    /** The stays held in memory: when given, the per-stage figures are a scan of them instead of STAGES_BY_GROUP. */
    @Optional() private readonly stays?: StayIndex,
  ) {}

  /**
   * The open pipeline does not depend on the period or the clock: it is cached by deal_summary's
   * position. The rest is read per request — its default period ends now, so a "now" answer is
   * never the same twice (and the medians count only the stays ended by `now`).
   */
  async answer(filters: DealFilters, period: Required<Period>, groupBy: RepGrouping, now: Date): Promise<RepPerformanceAnswer> {
    const params = filterParams(filters);
    const [pipeline, closed, stageRows, visits] = await Promise.all([
      this.cache.answer('reps-open-pipeline', [...params, groupBy], ['deal_summary'], () => rows<PipelineRow>(this.pool, OPEN_PIPELINE_BY_GROUP, [...params, groupBy])),
      rows<ClosedDealsRow>(this.pool, CLOSED_DEALS_BY_STATUS_AND_CURRENCY, [...params, ...periodParams(period), groupBy]),
      this.stays ? stagesByGroup(this.stays, filters, period, groupBy, now) : rows<StageRow>(this.pool, STAGES_BY_GROUP, [...params, groupBy, period.from, period.to, now]),
      rows<VisitCountRow>(this.pool, VISITS_BY_GROUP[groupBy], [...params, period.from, period.to]),
    ]);
    const keys = [
      ...new Set([...pipeline.map((p) => p.group_key), ...closed.map((c) => c.group_key), ...stageRows.map((s) => s.group_key), ...visits.map((v) => v.group_key)]),
    ].sort();
    const weeks = weeksBetween(period.from, period.to);
    const groups = keys.map((key) => this.group(key, pipeline, closed, stageRows, visits, weeks));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.repPerformance,
      groupBy,
      filters: echoFilters(filters, period),
      period: { from: period.from.toISOString(), to: period.to.toISOString(), weeks: roundRate(weeks) as number },
      groups,
    };
  }

  private group(key: string, pipeline: PipelineRow[], closed: ClosedDealsRow[], stageRows: StageRow[], visits: VisitCountRow[], weeks: number): RepPerformance {
    const open = pipeline.filter((p) => p.group_key === key);
    const rate = winRateOf(closed.filter((c) => c.group_key === key));
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
        won: rate.won,
        lost: rate.lost,
        winRate: roundRate(rate.byCount),
        wonAmountByCurrency: rate.byAmount
          .filter((a) => closed.some((c) => c.group_key === key && c.status === 'won' && c.currency === a.currency))
          .map((a) => ({ currency: a.currency, amount: roundAmount(a.wonAmount) as number })),
      },
      stages: OPEN_STAGES.map((stage) => {
        const row = stageRows.find((r) => r.group_key === key && r.stage === stage);
        const ended = row?.ended ?? 0;
        const advanced = row?.advanced ?? 0;
        return { stage, ended, advanced, advanceRate: roundRate(ratio(advanced, ended)), medianDwellDays: roundDays(row?.median_days ?? null) };
      }),
      visits: {
        count: visit?.visits ?? 0,
        reviewed: visit?.reviewed ?? 0,
        perWeek: roundRate(ratio(visit?.visits ?? 0, weeks)),
      },
    };
  }
}

const OPEN_STAGE_CODES = OPEN_STAGES.map((stage) => DEAL_STATUS_STAGES.indexOf(stage));
const FORWARD_EXIT = new Uint8Array(EXIT_KINDS.length);
for (const kind of ['advanced', 'skipped', 'won'] as const) FORWARD_EXIT[EXIT_KINDS.indexOf(kind)] = 1;

/**
 * STAGES_BY_GROUP over the stays held in memory (StayIndex, level with stage_history's
 * checkpoint): one scan for the stays of the open stages entered in [from, to) that match the
 * filters recorded at entry, counted per owner (or team) and stage; the median is of the days
 * (whole ms / 86 400 000) of the stays ended by `now` and entered by it, type 7 as median()
 * computes it. A "now" period moves with the clock, so nothing here is kept between requests.
 */
async function stagesByGroup(stays: StayIndex, filters: DealFilters, period: Required<Period>, groupBy: RepGrouping, now: Date): Promise<StageRow[]> {
  const snapshot = await stays.current();
  // A period that begins after every recorded entry and exit (a "now" window over a quiet history) holds no stay.
  if (period.from.getTime() > snapshot.latest) return [];
  const c = snapshot.columns;
  const filter = stayFilter(stays, filters, period);
  const group = groupBy === 'team' ? c.team : c.owner;
  const names = groupBy === 'team' ? stays.teams : stays.owners;
  const at = now.getTime();
  const stageIndex = new Int8Array(256).fill(-1);
  OPEN_STAGE_CODES.forEach((code, s) => (stageIndex[code] = s));
  const cells = new Map<number, { group: number; stage: number; ended: number; advanced: number; days: number[] }>();
  for (let i = 0; i < snapshot.count; i++) {
    const s = stageIndex[c.stage[i]];
    if (s < 0 || !stayMatches(c, i, filter)) continue;
    const id = group[i] * OPEN_STAGES.length + s;
    let cell = cells.get(id);
    if (!cell) cells.set(id, (cell = { group: group[i], stage: s, ended: 0, advanced: 0, days: [] }));
    const exited = c.exited[i];
    if (Number.isNaN(exited)) continue;
    cell.ended++;
    cell.advanced += FORWARD_EXIT[c.exitKind[i]];
    if (exited <= at && c.entered[i] <= at) cell.days.push((exited - c.entered[i]) / MS_PER_DAY);
  }
  return [...cells.values()].map((cell) => ({
    group_key: names.values[cell.group],
    stage: OPEN_STAGES[cell.stage],
    ended: cell.ended,
    advanced: cell.advanced,
    median_days: quantileOfSorted(Float64Array.from(cell.days).sort(), 0.5),
  }));
}
