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
import {
  AnomalyKey,
  firstInOrder,
  OPEN_DEALS,
  OpenDealAnomalies,
  OpenDealHit,
  OpenDealRow,
  StallThresholds,
} from './open-deal-anomalies';

/**
 * What "stalled" compares with: the p90 of every stay completed by asOf per stage, over the whole
 * company and history — deliberately not narrowed by the filters, so a rep is measured against
 * the company rather than against their own habits. percentile_cont is the same linear
 * interpolation (type 7) as quantile() in libs/domain/src/metrics/statistics.ts.
 */
const completedStayP90Sql = (exitedBy: string) => `
  SELECT stage,
         count(*)::int AS n,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM exited_at - entered_at) / 86400) AS p90
    FROM rm.stage_intervals
   WHERE exited_at IS NOT NULL ${exitedBy}
     AND stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
   GROUP BY stage`;
const COMPLETED_STAY_P90_BY_STAGE = completedStayP90Sql('AND exited_at <= $1');

/** The latest exit of any stay: an asOf at or after it sees every completed stay. */
const LATEST_EXIT = `SELECT max(exited_at) AS latest FROM rm.stage_intervals`;

/**
 * Which completed stays there are, as a stamp: stage_history's live generation and how many stays
 * have ended. Within a generation the completed stays only ever grow — a stay ends once and its
 * entry and exit never change again (the projection updates only the open stay) — so the same
 * count means the same set of stays, whatever else moved. Counted along the exited_at index.
 */
const COMPLETED_STAYS = `
  SELECT (SELECT generation FROM projection_generations WHERE projection = 'stage_history' AND status = 'live') AS generation,
         count(*)::int AS completed, max(exited_at) AS latest
    FROM rm.stage_intervals WHERE exited_at IS NOT NULL`;

/** The p90 over every completed stay, with the stamp of that same set (one statement, one snapshot). */
const COMPLETED_STAY_P90_STAMPED = `
  WITH stamp AS (${COMPLETED_STAYS}),
       p90 AS (${completedStayP90Sql('')})
  SELECT s.generation, s.completed, s.latest, p.stage, p.n, p.p90 FROM stamp s LEFT JOIN p90 p ON true`;

/**
 * The end of one branch of EVENT_PAGE, given its key expressions: its kind is the one asked
 * for ($7, or any), its key (since, deal, kind, detail) lies after the cursor ($8…$11, or no
 * cursor), and only its first $12 rows in the page order are kept.
 */
function branchPage(since: string, dealId: string, kind: string, detail: string): string {
  return `AND ($7::text IS NULL OR ${kind} = $7)
        AND ($8::timestamptz IS NULL
             OR (${since}, ${dealId}, ${kind} COLLATE "C", ${detail} COLLATE "C") > ($8::timestamptz, $9::uuid, $10::text COLLATE "C", $11::text COLLATE "C"))
      ORDER BY ${since}, ${dealId}, ${kind} COLLATE "C", ${detail} COLLATE "C" LIMIT $12`;
}

/**
 * The anomalies about events in [from, to) ($5, $6): the first $12 of them after the cursor in
 * the page order (since, deal, kind, detail), found in SQL with what their reasons are written
 * from. They do not depend on asOf, so a page of them is cached by read-model position; the
 * anomalies about open deals now are found in memory (open-deal-anomalies.ts) and merged in.
 * - stages_skipped / gate_overridden: overrides in [from, to);
 * - regressed: stays that ended by moving back in [from, to) — not by a move imported from
 *   another system's history (history, not something to look into here).
 * `detail` breaks ties between two items of one deal, kind and instant. Kinds compare in "C"
 * collation, which for these names is the order localeCompare gives.
 *
 * What keeps a page cheap as history grows: each branch applies the cursor and takes only its
 * own first $12 rows in the page order (the page is the first $12 of their union), so the
 * regressions are read along the exited_at index from the cursor on and stop early instead of
 * being all found and sorted; the page's details are then looked up per item by key.
 */
const EVENT_PAGE = `
  WITH found AS (
    (SELECT o.deal_id, CASE WHEN cardinality(o.skipped) > 0 THEN 'stages_skipped' ELSE 'gate_overridden' END AS kind, o.occurred_at AS since,
            o.from_stage || '>' || o.to_stage AS detail, NULL::int AS seq
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
        AND ($8::timestamptz IS NULL OR i.exited_at >= $8)
        ${branchPage('i.exited_at', 'i.deal_id', "'regressed'::text", "lpad(i.seq::text, 10, '0')")})
  ),
  page AS (
    SELECT * FROM found ORDER BY since, deal_id, kind COLLATE "C", detail COLLATE "C" LIMIT $12
  )
  SELECT p.kind, p.since, p.detail,
         d.deal_id, d.account_name, d.owner, d.team, d.stage, d.status,
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

interface StageBenchmarkRow {
  stage: OpenStage;
  n: number;
  /** float8 from percentile_cont. */
  p90: number;
}

/** A row of EVENT_PAGE: the item's key, its deal now, and the facts its reason is written from. */
interface EventRow {
  kind: EventKind;
  since: Date;
  detail: string;
  deal_id: string;
  account_name: string;
  owner: string;
  team: string;
  stage: DealStatusStage;
  status: 'open' | 'won' | 'lost';
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

type EventKind = Extract<AnomalyKind, 'stages_skipped' | 'gate_overridden' | 'regressed'>;
const EVENT_KINDS: readonly AnomalyKind[] = ['stages_skipped', 'gate_overridden', 'regressed'];

/** An item of a page and its place in the page order. */
interface Listed {
  key: AnomalyKey;
  item: AnomalyItem;
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

/**
 * Stalled, overdue and inactive describe deals now; overrides and regressions, events in the
 * period. A page is the first `limit` of both in the order (since, deal, kind, detail): the
 * open deals' anomalies found in memory at asOf (the open deals held per deal_summary position),
 * the events' from SQL, cached by read-model position (they do not depend on asOf).
 */
@Injectable()
export class AnomaliesQuery {
  /** The last p90 over every completed stay, reused while no stay has ended since. */
  private keptP90?: CompletedStayP90;

  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  async answer(filters: DealFilters, period: Period, options: AnomalyOptions): Promise<AnomaliesAnswer> {
    const { asOf, inactiveDays, settings, after } = options;
    const afterKey = after && { sinceMs: after.since.getTime(), dealId: after.dealId, kind: after.kind, detail: after.detail };
    const wantsEvents = options.kind === undefined || EVENT_KINDS.includes(options.kind);
    const wantsOpenDeals = options.kind === undefined || !EVENT_KINDS.includes(options.kind);
    const [benchmarks, openDeals, events] = await Promise.all([
      this.completedStayP90(asOf),
      wantsOpenDeals ? this.openDeals() : undefined,
      wantsEvents ? this.eventPage(filters, period, options.kind, after, options.limit + 1) : [],
    ]);
    const benchmark = (stage: OpenStage) => {
      const row = benchmarks.find((b) => b.stage === stage);
      return { n: row?.n ?? 0, p90: row ? row.p90 : null };
    };
    const usableP90 = (stage: OpenStage) => {
      const b = benchmark(stage);
      return b.p90 !== null && b.n >= settings.minCompletedStaysForP90 ? b.p90 : null;
    };
    const openDealHits =
      openDeals?.find({
        filters,
        asOf,
        inactiveDays,
        thresholds: Object.fromEntries(OPEN_STAGES.map((stage) => [stage, { p90: usableP90(stage), limitDays: settings.limitDays[stage] }])) as StallThresholds,
        kind: options.kind,
        after: afterKey,
      }) ?? [];
    // Each source is in the page order after the cursor: the page is the first limit + 1 of their merge.
    const page = firstInOrder<Listed | OpenDealHit>([events[Symbol.iterator](), ...openDealHits], options.limit + 1);
    const more = page.length > options.limit;
    const shown = more ? page.slice(0, options.limit) : page;
    const items = shown.map((c) => ('deal' in c ? openDealItem(c, benchmark, settings, asOf, inactiveDays) : c.item));
    const lastKey = shown[shown.length - 1]?.key;
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
      next:
        more && lastKey
          ? encodeAnomalyCursor({ asOf, since: new Date(lastKey.sinceMs), dealId: lastKey.dealId, kind: lastKey.kind as AnomalyKind, detail: lastKey.detail })
          : null,
    };
  }

  /** The open deals at deal_summary's position, sorted for the three rules (loaded once per position). */
  private openDeals(): Promise<OpenDealAnomalies> {
    return this.cache.answer('anomaly-open-deals', [], ['deal_summary'], async () => new OpenDealAnomalies(await rows<OpenDealRow>(this.pool, OPEN_DEALS, [])));
  }

  /**
   * The first `count` anomalies about events after the cursor, described. They are the same for
   * every asOf, so a first page of at most the default size (what a dashboard asks for again and
   * again) is cached by position; a page further on, or larger, is read once while following
   * `next` and is not kept (the cache holds a few hundred answers, each a few hundred kB at most).
   */
  private eventPage(filters: DealFilters, period: Period, kind: AnomalyKind | undefined, after: AnomalyCursor | undefined, count: number): Promise<Listed[]> {
    const params = [
      ...filterParams(filters),
      ...periodParams(period),
      kind ?? null,
      after?.since ?? null,
      after?.dealId ?? null,
      after?.kind ?? null,
      after?.detail ?? null,
      count,
    ];
    const read = async () =>
      (await rows<EventRow>(this.pool, EVENT_PAGE, params)).map((row) => ({
        key: { sinceMs: row.since.getTime(), dealId: row.deal_id, kind: row.kind, detail: row.detail },
        item: eventItem(row),
      }));
    if (after || count > ANOMALY_PAGE_SIZE.default + 1) return read();
    return this.cache.answer('anomaly-events', params, ['stage_history', 'deal_summary'], read);
  }

  /**
   * The p90 benchmark scans every completed stay. At an asOf past the latest exit (the usual
   * "now") it is the same for every such asOf, so it is cached by read-model position alone; and
   * when the position moved but no stay ended (a visit, an assessment, a new deal: most writes),
   * the p90 computed for the same completed stays is reused — counting them is a fraction of
   * sorting them.
   */
  private async completedStayP90(asOf: Date): Promise<StageBenchmarkRow[]> {
    const [{ latest }] = await rows<{ latest: Date | null }>(this.pool, LATEST_EXIT, []);
    const seesEveryExit = latest === null || asOf.getTime() >= latest.getTime();
    if (seesEveryExit) {
      const everyExit = await this.cache.answer('completed-stay-p90', ['every exit'], ['stage_history'], () => this.p90OfEveryCompletedStay());
      // A stay that ended after asOf may have come in since LATEST_EXIT was read: then asOf does not see every exit.
      if (everyExit.latest === null || asOf.getTime() >= everyExit.latest.getTime()) return everyExit.rows;
    }
    return this.cache.answer('completed-stay-p90', [asOf], ['stage_history'], () => rows<StageBenchmarkRow>(this.pool, COMPLETED_STAY_P90_BY_STAGE, [asOf]));
  }

  private async p90OfEveryCompletedStay(): Promise<CompletedStayP90> {
    const [now] = await rows<CompletedStaysStamp>(this.pool, COMPLETED_STAYS, []);
    const kept = this.keptP90;
    if (kept && kept.generation === now.generation && kept.completed === now.completed) return kept;
    const found = await rows<CompletedStaysStamp & Partial<StageBenchmarkRow>>(this.pool, COMPLETED_STAY_P90_STAMPED, []);
    const [{ generation, completed, latest }] = found;
    const p90 = found.filter((r): r is CompletedStaysStamp & StageBenchmarkRow => r.stage !== null && r.stage !== undefined);
    this.keptP90 = { generation, completed, latest, rows: p90.map(({ stage, n, p90: value }) => ({ stage, n, p90: value })) };
    return this.keptP90;
  }
}

interface CompletedStaysStamp {
  generation: number | null;
  completed: number;
  latest: Date | null;
}

/** The p90 over every completed stay and which stays those were. */
interface CompletedStayP90 extends CompletedStaysStamp {
  rows: StageBenchmarkRow[];
}

/** An open deal's anomaly with its reason from the domain rule (the same rule as the walk's predicate, so the same kind). */
function openDealItem(
  hit: OpenDealHit,
  benchmark: (stage: OpenStage) => { n: number; p90: number | null },
  settings: StallSettings,
  asOf: Date,
  inactiveDays: number,
): AnomalyItem {
  const deal = hit.deal;
  let finding: AnomalyFinding | undefined;
  switch (hit.kind) {
    case 'stalled': {
      const stage = deal.stage as OpenStage;
      finding = findStall({ stage, enteredStageAt: new Date(deal.entered_stage_ms) }, benchmark(stage), settings, asOf);
      break;
    }
    case 'close_date_passed':
      finding = findPassedCloseDate({ stage: deal.stage as Stage, expectedCloseDate: deal.expected_close_date as string, probability: deal.probability }, asOf);
      break;
    case 'inactive':
      finding = findInactivity({ lastActivityAt: new Date(deal.last_activity_ms) }, inactiveDays, asOf);
      break;
    default: {
      const unknown: never = hit.kind;
      throw new Error(`unknown anomaly kind ${String(unknown)}`);
    }
  }
  return item(deal, hit.kind, finding);
}

/** An override's or a regression's item, its reason from the domain's words. */
function eventItem(row: EventRow): AnomalyItem {
  switch (row.kind) {
    case 'stages_skipped':
    case 'gate_overridden':
      return item(
        row,
        row.kind,
        describeOverride({
          from: row.override_from as string,
          to: row.override_to as string,
          skipped: row.skipped ?? [],
          by: row.by_actor as string,
          reason: row.reason as string,
          unmet: row.unmet,
          at: row.occurred_at as Date,
        }),
      );
    case 'regressed':
      return item(row, row.kind, describeRegression({ from: row.regressed_from as string, to: row.regressed_to as string, at: row.exited_at as Date }));
    default: {
      const unknown: never = row.kind;
      throw new Error(`unknown anomaly kind ${String(unknown)}`);
    }
  }
}

function item(
  deal: { deal_id: string; account_name: string; owner: string; team: string; stage: DealStatusStage; status: 'open' | 'won' | 'lost' },
  kind: AnomalyKind,
  finding: AnomalyFinding | undefined,
): AnomalyItem {
  // The predicate that found it and the domain rule are the same; a disagreement is a bug, not a data case.
  if (!finding || finding.kind !== kind) throw new Error(`anomaly ${kind} of ${deal.deal_id}: the rule does not confirm it`);
  return {
    dealId: deal.deal_id,
    account: deal.account_name,
    owner: deal.owner,
    team: deal.team,
    stage: deal.stage,
    status: deal.status,
    kind: finding.kind,
    since: finding.since.toISOString(),
    reason: finding.reason,
  };
}
