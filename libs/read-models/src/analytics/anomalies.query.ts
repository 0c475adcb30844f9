import { Inject, Injectable } from '@nestjs/common';
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
import { DealStatusStage, Stage } from '@funnel/domain/playbook/stage';
import { DealFilters, echoFilters, filterParams, periodParams } from './analytics-filters';
import { roundDays } from './analytics-numbers';
import { AnomalyCursor, encodeAnomalyCursor } from './anomaly-cursor';
import { AnswerCache } from './answer-cache';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

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

/** The latest exit of any stay: an asOf at or after it sees every completed stay. */
const LATEST_EXIT = `SELECT max(exited_at) AS latest FROM rm.stage_intervals`;

/**
 * The end of one branch of ANOMALY_PAGE, given its key expressions: its kind is the one asked
 * for ($12, or any), its key (since, deal, kind, detail) lies after the cursor ($13…$16, or no
 * cursor), and only its first $17 rows in the page order are kept.
 */
function branchPage(since: string, dealId: string, kind: string, detail: string): string {
  return `AND ($12::text IS NULL OR ${kind} = $12)
        AND ($13::timestamptz IS NULL
             OR (${since}, ${dealId}, ${kind} COLLATE "C", ${detail} COLLATE "C") > ($13::timestamptz, $14::uuid, $15::text COLLATE "C", $16::text COLLATE "C"))
      ORDER BY ${since}, ${dealId}, ${kind} COLLATE "C", ${detail} COLLATE "C" LIMIT $17`;
}

/**
 * One page of anomalies in the documented order (since, deal, kind), found in SQL so that only
 * the page crosses to Node. Each branch is the rule of libs/domain/src/metrics/anomaly-findings.ts
 * written as a predicate, with the same float8 arithmetic (days = whole ms / 86 400 000):
 * - stalled: days in stage > the stage's p90 ($8 stages, $9 p90s, null when too few stays) or
 *   > its limit ($10); since = entered_stage_at;
 * - close_date_passed: APPROVED/NEGOTIATION with asOf ≥ the day after the expected close date;
 * - inactive: days since last activity ≥ inactiveDays ($11);
 * - stages_skipped / gate_overridden: overrides in [from, to) ($5, $6);
 * - regressed: stays that ended by moving back in [from, to) — not by a move imported from
 *   another system's history (history, not something to look into here).
 * $7 = asOf, $12 = kind or null, $13…$16 = the cursor (since, deal, kind, detail) or nulls,
 * $17 = rows to return. `detail` breaks ties between two items of one deal, kind and instant.
 * Kinds compare in "C" collation, which for these names is the order localeCompare gives.
 *
 * What keeps a page cheap as history grows: each branch applies the cursor and takes only its
 * own first $17 rows in the page order (the page is the first $17 of their union), so the
 * regressions are read along the exited_at index from the cursor on and stop early instead of
 * being all found and sorted; the page's details are then looked up per item by key.
 */
const ANOMALY_PAGE = `
  WITH open_deals AS (
    SELECT deal_id, account_name, owner, team, stage, status, entered_stage_at, last_activity_at,
           expected_close_date, probability
      FROM rm.deal_summary
     WHERE status = 'open'
       AND ($1::text IS NULL OR owner = $1)
       AND ($2::text IS NULL OR team = $2)
       AND ($3::text IS NULL OR region = $3)
       AND ($4::text IS NULL OR industry = $4)
  ),
  benchmarks AS (
    SELECT * FROM unnest($8::text[], $9::float8[], $10::float8[]) AS b(stage, p90, limit_days)
  ),
  found AS (
    (SELECT d.deal_id, 'stalled'::text AS kind, d.entered_stage_at AS since, ''::text AS detail, NULL::int AS seq
       FROM open_deals d JOIN benchmarks b ON b.stage = d.stage
      WHERE (((extract(epoch FROM $7::timestamptz) - extract(epoch FROM d.entered_stage_at)) * 1000)::float8 / 86400000 > b.p90
         OR ((extract(epoch FROM $7::timestamptz) - extract(epoch FROM d.entered_stage_at)) * 1000)::float8 / 86400000 > b.limit_days)
        ${branchPage('d.entered_stage_at', 'd.deal_id', "'stalled'::text", "''::text")})
    UNION ALL
    (SELECT d.deal_id, 'close_date_passed', (d.expected_close_date + 1)::timestamp AT TIME ZONE 'UTC' AS since, '' AS detail, NULL::int
       FROM open_deals d
      WHERE d.stage IN ('APPROVED', 'NEGOTIATION') AND d.expected_close_date IS NOT NULL
        AND $7::timestamptz >= (d.expected_close_date + 1)::timestamp AT TIME ZONE 'UTC'
        ${branchPage("((d.expected_close_date + 1)::timestamp AT TIME ZONE 'UTC')", 'd.deal_id', "'close_date_passed'::text", "''::text")})
    UNION ALL
    (SELECT d.deal_id, 'inactive', d.last_activity_at AS since, '' AS detail, NULL::int
       FROM open_deals d
      WHERE ((extract(epoch FROM $7::timestamptz) - extract(epoch FROM d.last_activity_at)) * 1000)::float8 / 86400000 >= $11::float8
        ${branchPage('d.last_activity_at', 'd.deal_id', "'inactive'::text", "''::text")})
    UNION ALL
    (SELECT o.deal_id, CASE WHEN cardinality(o.skipped) > 0 THEN 'stages_skipped' ELSE 'gate_overridden' END AS kind, o.occurred_at AS since,
            o.from_stage || '>' || o.to_stage AS detail, NULL::int
       FROM rm.stage_overrides o
      -- every override's deal has its summary: the deal is looked up only when a filter needs it
      WHERE (($1::text IS NULL AND $2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL)
             OR EXISTS (SELECT 1 FROM rm.deal_summary d
                         WHERE d.deal_id = o.deal_id
                           AND ($1::text IS NULL OR d.owner = $1)
                           AND ($2::text IS NULL OR d.team = $2)
                           AND ($3::text IS NULL OR d.region = $3)
                           AND ($4::text IS NULL OR d.industry = $4)))
        AND ($5::timestamptz IS NULL OR o.occurred_at >= $5)
        AND ($6::timestamptz IS NULL OR o.occurred_at < $6)
        ${branchPage('o.occurred_at', 'o.deal_id', "(CASE WHEN cardinality(o.skipped) > 0 THEN 'stages_skipped' ELSE 'gate_overridden' END)", "(o.from_stage || '>' || o.to_stage)")})
    UNION ALL
    (SELECT i.deal_id, 'regressed', i.exited_at AS since, lpad(i.seq::text, 10, '0') AS detail, i.seq
       FROM rm.stage_intervals i
       JOIN rm.deal_summary d ON d.deal_id = i.deal_id
      WHERE i.exit_kind = 'regressed' AND NOT i.exit_imported
        AND ($1::text IS NULL OR d.owner = $1)
        AND ($2::text IS NULL OR d.team = $2)
        AND ($3::text IS NULL OR d.region = $3)
        AND ($4::text IS NULL OR d.industry = $4)
        AND ($5::timestamptz IS NULL OR i.exited_at >= $5)
        AND ($6::timestamptz IS NULL OR i.exited_at < $6)
        AND ($13::timestamptz IS NULL OR i.exited_at >= $13)
        ${branchPage('i.exited_at', 'i.deal_id', "'regressed'::text", "lpad(i.seq::text, 10, '0')")})
  ),
  page AS (
    SELECT * FROM found ORDER BY since, deal_id, kind COLLATE "C", detail COLLATE "C" LIMIT $17
  )
  SELECT p.kind, p.since, p.detail,
         d.deal_id, d.account_name, d.owner, d.team, d.stage, d.status, d.entered_stage_at, d.last_activity_at,
         d.expected_close_date::text AS expected_close_date, d.probability,
         o.occurred_at, o.from_stage AS override_from, o.to_stage AS override_to, o.skipped, o.reason, o.by_actor,
         coalesce(jsonb_array_length(o.unmet), 0)::int AS unmet,
         i.stage AS regressed_from, i.next_stage AS regressed_to, i.exited_at
    FROM page p
    JOIN rm.deal_summary d ON d.deal_id = p.deal_id
    LEFT JOIN LATERAL (
      SELECT * FROM rm.stage_overrides o
       WHERE p.kind IN ('stages_skipped', 'gate_overridden') AND o.deal_id = p.deal_id AND o.occurred_at = p.since
         AND o.from_stage || '>' || o.to_stage = p.detail
      OFFSET 0 -- looked up per item by its index, not joined as a whole table
    ) o ON true
    LEFT JOIN LATERAL (
      SELECT i.stage, i.next_stage, i.exited_at FROM rm.stage_intervals i WHERE p.kind = 'regressed' AND i.deal_id = p.deal_id AND i.seq = p.seq
      OFFSET 0
    ) i ON true
   ORDER BY p.since, p.deal_id, p.kind COLLATE "C", p.detail COLLATE "C"`;

interface DealColumns {
  deal_id: string;
  account_name: string;
  owner: string;
  team: string;
  stage: DealStatusStage;
  status: 'open' | 'won' | 'lost';
}

interface StageBenchmarkRow {
  stage: OpenStage;
  n: number;
  /** float8 from percentile_cont. */
  p90: number;
}

/** A row of ANOMALY_PAGE: the item's key, its deal, and the facts its reason is written from. */
interface PageRow extends DealColumns {
  kind: AnomalyKind;
  since: Date;
  detail: string;
  entered_stage_at: Date;
  last_activity_at: Date;
  expected_close_date: string | null;
  probability: number | null;
  occurred_at: Date | null;
  override_from: string | null;
  override_to: string | null;
  skipped: string[] | null;
  reason: string | null;
  by_actor: string | null;
  unmet: number;
  regressed_from: string | null;
  regressed_to: string | null;
  exited_at: Date | null;
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
  /** Items on this page. */
  count: number;
  /** At most `limit`, in the order (since, dealId, kind). */
  items: AnomalyItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next: string | null;
}

export interface AnomalyOptions {
  asOf: Date;
  inactiveDays: number;
  kind?: AnomalyKind;
  settings: StallSettings;
  /** Items per page. */
  limit: number;
  /** Where the previous page ended (its asOf is the page's asOf). */
  after?: AnomalyCursor;
}

/** Default and largest page: a page stays well under a megabyte. */
export const ANOMALY_PAGE_SIZE = { default: 500, max: 5000 };

/** Stalled, overdue and inactive describe deals now; overrides and regressions, events in the period. */
@Injectable()
export class AnomaliesQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  async answer(filters: DealFilters, period: Period, options: AnomalyOptions): Promise<AnomaliesAnswer> {
    const { asOf, inactiveDays, settings, after } = options;
    const params = filterParams(filters);
    const benchmarks = await this.completedStayP90(asOf);
    const benchmark = (stage: OpenStage) => {
      const row = benchmarks.find((b) => b.stage === stage);
      return { n: row?.n ?? 0, p90: row ? row.p90 : null };
    };
    const usableP90 = (stage: OpenStage) => {
      const b = benchmark(stage);
      return b.p90 !== null && b.n >= settings.minCompletedStaysForP90 ? b.p90 : null;
    };
    const page = await rows<PageRow>(this.pool, ANOMALY_PAGE, [
      ...params,
      ...periodParams(period),
      asOf,
      OPEN_STAGES,
      OPEN_STAGES.map(usableP90),
      OPEN_STAGES.map((stage) => settings.limitDays[stage]),
      inactiveDays,
      options.kind ?? null,
      after?.since ?? null,
      after?.dealId ?? null,
      after?.kind ?? null,
      after?.detail ?? null,
      options.limit + 1,
    ]);
    const more = page.length > options.limit;
    const shown = more ? page.slice(0, options.limit) : page;
    const items = shown.map((row) => item(row, describe(row, benchmark, settings, asOf, inactiveDays)));
    const last = shown[shown.length - 1];
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
      next: more && last ? encodeAnomalyCursor({ asOf, since: last.since, dealId: last.deal_id, kind: last.kind, detail: last.detail }) : null,
    };
  }

  /**
   * The p90 benchmark scans every completed stay. At an asOf past the latest exit (the usual
   * "now") it is the same for every such asOf, so it is cached by read-model position alone.
   */
  private async completedStayP90(asOf: Date): Promise<StageBenchmarkRow[]> {
    const [{ latest }] = await rows<{ latest: Date | null }>(this.pool, LATEST_EXIT, []);
    const seesEveryExit = latest === null || asOf.getTime() >= latest.getTime();
    return this.cache.answer('completed-stay-p90', [seesEveryExit ? 'every exit' : asOf], ['stage_history'], () =>
      rows<StageBenchmarkRow>(this.pool, COMPLETED_STAY_P90_BY_STAGE, [asOf]),
    );
  }
}

/** The finding the domain rule gives for a row the SQL found (the same rule, so the same kind). */
function describe(
  row: PageRow,
  benchmark: (stage: OpenStage) => { n: number; p90: number | null },
  settings: StallSettings,
  asOf: Date,
  inactiveDays: number,
): AnomalyFinding | undefined {
  switch (row.kind) {
    case 'stalled': {
      const stage = row.stage as OpenStage;
      return findStall({ stage, enteredStageAt: row.entered_stage_at }, benchmark(stage), settings, asOf);
    }
    case 'close_date_passed':
      return findPassedCloseDate({ stage: row.stage as Stage, expectedCloseDate: row.expected_close_date as string, probability: row.probability }, asOf);
    case 'inactive':
      return findInactivity({ lastActivityAt: row.last_activity_at }, inactiveDays, asOf);
    case 'stages_skipped':
    case 'gate_overridden':
      return describeOverride({
        from: row.override_from as string,
        to: row.override_to as string,
        skipped: row.skipped ?? [],
        by: row.by_actor as string,
        reason: row.reason as string,
        unmet: row.unmet,
        at: row.occurred_at as Date,
      });
    case 'regressed':
      return describeRegression({ from: row.regressed_from as string, to: row.regressed_to as string, at: row.exited_at as Date });
    default: {
      const unknown: never = row.kind;
      throw new Error(`unknown anomaly kind ${String(unknown)}`);
    }
  }
}

function item(row: PageRow, finding: AnomalyFinding | undefined): AnomalyItem {
  // SQL and the domain rule are the same predicate; a disagreement is a bug, not a data case.
  if (!finding || finding.kind !== row.kind) throw new Error(`anomaly ${row.kind} of ${row.deal_id}: the rule does not confirm it`);
  return {
    dealId: row.deal_id,
    account: row.account_name,
    owner: row.owner,
    team: row.team,
    stage: row.stage,
    status: row.status,
    kind: finding.kind,
    since: finding.since.toISOString(),
    reason: finding.reason,
  };
}
