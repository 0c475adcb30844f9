/**
 * The analytics as first written: every matching row loaded into Node and the metric computed by
 * the pure functions of libs/domain/src/metrics. Kept as the reference the SQL implementations
 * in libs/read-models/src/analytics must agree with (test/analytics/analytics-agreement.spec.ts)
 * and as the "before" column of bench/analytics.bench.ts. Not used by the api.
 */
import { Pool } from 'pg';
import {
  AnomalyFinding,
  AnomalyKind,
  describeOverride,
  describeRegression,
  findInactivity,
  findPassedCloseDate,
  findStall,
} from '@funnel/domain/metrics/anomaly-findings';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { StallSettings } from '@funnel/domain/metrics/stall-limits';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { DealFilters, echoFilters, filterParams, periodParams } from '../../analytics/analytics-filters';
import { roundDays } from '../../analytics/analytics-numbers';
import { rows } from '../../analytics/rows';

/** Open deals matching the filters, with what the stalled, overdue and inactive rules read. */
const OPEN_DEALS = `
  SELECT deal_id, account_name, owner, team, stage, status, entered_stage_at, last_activity_at,
         expected_close_date::text AS expected_close_date, probability
    FROM rm.deal_summary
   WHERE status = 'open'
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)`;

/**
 * What "stalled" compares with: the p90 of every stay completed by asOf per stage, over the whole
 * company and history — deliberately not narrowed by the filters, so a rep is measured against
 * the company rather than against their own habits. percentile_cont is the same linear
 * interpolation (type 7) as quantile() in libs/domain/src/metrics/statistics.ts.
 */
const COMPLETED_STAY_P90_BY_STAGE = `
  SELECT stage,
         count(*)::int AS n,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM exited_at - entered_at) / 86400) AS p90
    FROM rm.stage_intervals
   WHERE exited_at IS NOT NULL AND exited_at <= $1
     AND stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
   GROUP BY stage`;

/** Manager overrides recorded in [from, to), on deals matching the filters (any status). */
const OVERRIDES_IN_PERIOD = `
  SELECT o.deal_id, d.account_name, d.owner, d.team, d.stage, d.status,
         o.occurred_at, o.from_stage, o.to_stage, o.skipped, o.reason, o.by_actor,
         coalesce(jsonb_array_length(o.unmet), 0)::int AS unmet
    FROM rm.stage_overrides o
    JOIN rm.deal_summary d ON d.deal_id = o.deal_id
   WHERE ($1::text IS NULL OR d.owner = $1)
     AND ($2::text IS NULL OR d.team = $2)
     AND ($3::text IS NULL OR d.region = $3)
     AND ($4::text IS NULL OR d.industry = $4)
     AND ($5::timestamptz IS NULL OR o.occurred_at >= $5)
     AND ($6::timestamptz IS NULL OR o.occurred_at < $6)`;

/** Regressions in [from, to): stays that ended by moving back, and where to. */
const REGRESSIONS_IN_PERIOD = `
  SELECT i.deal_id, d.account_name, d.owner, d.team, d.stage, d.status,
         i.stage AS from_stage, i.next_stage AS to_stage, i.exited_at
    FROM rm.stage_intervals i
    JOIN rm.deal_summary d ON d.deal_id = i.deal_id
   WHERE i.exit_kind = 'regressed'
     AND ($1::text IS NULL OR d.owner = $1)
     AND ($2::text IS NULL OR d.team = $2)
     AND ($3::text IS NULL OR d.region = $3)
     AND ($4::text IS NULL OR d.industry = $4)
     AND ($5::timestamptz IS NULL OR i.exited_at >= $5)
     AND ($6::timestamptz IS NULL OR i.exited_at < $6)`;

interface DealColumns {
  deal_id: string;
  account_name: string;
  owner: string;
  team: string;
  stage: DealStatusStage;
  status: 'open' | 'won' | 'lost';
}

interface OpenDealRow extends DealColumns {
  entered_stage_at: Date;
  last_activity_at: Date;
  expected_close_date: string | null;
  probability: number | null;
}

interface StageBenchmarkRow {
  stage: OpenStage;
  n: number;
  /** float8 from percentile_cont. */
  p90: number;
}

interface OverrideRow extends DealColumns {
  occurred_at: Date;
  from_stage: string;
  to_stage: string;
  skipped: string[];
  reason: string;
  by_actor: string;
  unmet: number;
}

interface RegressionRow extends DealColumns {
  from_stage: string;
  to_stage: string;
  exited_at: Date;
}

export interface AnomalyItem {
  dealId: string;
  account: string;
  owner: string;
  team: string;
  /** The deal's current stage (for a lost deal, the stage it was lost from) and status. */
  stage: DealStatusStage;
  status: 'open' | 'won' | 'lost';
  kind: AnomalyKind;
  since: string;
  reason: string;
}

export interface AnomaliesAnswer {
  metricDefinitionVersion: string;
  asOf: string;
  filters: ReturnType<typeof echoFilters> & { kind: AnomalyKind | null; inactiveDays: number };
  settings: { stallLimitDays: StallSettings['limitDays']; minCompletedStaysForP90: number; inactiveDays: number };
  /** The p90 the stalled rule used per stage, in days (null: too few completed stays). */
  completedStayP90: Record<OpenStage, { n: number; p90Days: number | null }>;
  count: number;
  items: AnomalyItem[];
}

export interface AnomalyOptions {
  asOf: Date;
  inactiveDays: number;
  kind?: AnomalyKind;
  settings: StallSettings;
}

/** Stalled, overdue and inactive describe deals now; overrides and regressions, events in the period. */

export class ReferenceAnomaliesQuery {
  constructor(private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, options: AnomalyOptions): Promise<AnomaliesAnswer> {
    const { asOf, inactiveDays, settings } = options;
    const params = filterParams(filters);
    const [open, benchmarks, overrides, regressions] = await Promise.all([
      rows<OpenDealRow>(this.pool, OPEN_DEALS, params),
      rows<StageBenchmarkRow>(this.pool, COMPLETED_STAY_P90_BY_STAGE, [asOf]),
      rows<OverrideRow>(this.pool, OVERRIDES_IN_PERIOD, [...params, ...periodParams(period)]),
      rows<RegressionRow>(this.pool, REGRESSIONS_IN_PERIOD, [...params, ...periodParams(period)]),
    ]);
    const benchmark = (stage: OpenStage) => {
      const row = benchmarks.find((b) => b.stage === stage);
      return { n: row?.n ?? 0, p90: row ? row.p90 : null };
    };

    const items: AnomalyItem[] = [];
    const add = (deal: DealColumns, finding: AnomalyFinding | undefined) => {
      if (!finding || (options.kind && finding.kind !== options.kind)) return;
      items.push({
        dealId: deal.deal_id,
        account: deal.account_name,
        owner: deal.owner,
        team: deal.team,
        stage: deal.stage,
        status: deal.status,
        kind: finding.kind,
        since: finding.since.toISOString(),
        reason: finding.reason,
      });
    };
    for (const deal of open) {
      const stage = deal.stage as OpenStage;
      if ((OPEN_STAGES as readonly string[]).includes(stage)) {
        add(deal, findStall({ stage, enteredStageAt: deal.entered_stage_at }, benchmark(stage), settings, asOf));
      }
      // A forecast's close date matters once the customer has approved (APPROVED, NEGOTIATION).
      if ((stage === 'APPROVED' || stage === 'NEGOTIATION') && deal.expected_close_date) {
        add(deal, findPassedCloseDate({ stage, expectedCloseDate: deal.expected_close_date, probability: deal.probability }, asOf));
      }
      add(deal, findInactivity({ lastActivityAt: deal.last_activity_at }, inactiveDays, asOf));
    }
    for (const o of overrides) {
      add(o, describeOverride({ from: o.from_stage, to: o.to_stage, skipped: o.skipped ?? [], by: o.by_actor, reason: o.reason, unmet: o.unmet, at: o.occurred_at }));
    }
    for (const r of regressions) add(r, describeRegression({ from: r.from_stage, to: r.to_stage, at: r.exited_at }));

    items.sort((a, b) => a.since.localeCompare(b.since) || a.dealId.localeCompare(b.dealId) || a.kind.localeCompare(b.kind));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.anomalies,
      asOf: asOf.toISOString(),
      filters: { ...echoFilters(filters, period), kind: options.kind ?? null, inactiveDays },
      settings: { stallLimitDays: settings.limitDays, minCompletedStaysForP90: settings.minCompletedStaysForP90, inactiveDays },
      completedStayP90: Object.fromEntries(
        OPEN_STAGES.map((stage) => {
          const b = benchmark(stage);
          return [stage, { n: b.n, p90Days: b.n >= settings.minCompletedStaysForP90 ? roundDays(b.p90) : null }];
        }),
      ) as AnomaliesAnswer['completedStayP90'],
      count: items.length,
      items,
    };
  }
}
