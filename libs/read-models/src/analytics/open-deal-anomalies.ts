/**
 * The anomalies about open deals now (stalled, close_date_passed, inactive) found in memory: the
 * open deals of rm.deal_summary at one read-model position, each rule's deals sorted once by
 * that rule's page order (since, deal). A request walks the lists from its cursor, merged with
 * the events' page, and stops when the page is full — a few hundred comparisons instead of a
 * query over every open deal per request. The rules are ANOMALY_PAGE's predicates with the same float8
 * arithmetic: days = whole ms / 86 400 000, instants read as whole epoch ms.
 */
import { AnomalyKind } from '@funnel/domain/metrics/anomaly-findings';
import { MS_PER_DAY } from '@funnel/domain/metrics/business-time';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { DealFilters } from './analytics-filters';

/** Every open deal with what the three rules read (instants as epoch ms, as StayIndex reads them). */
export const OPEN_DEALS = `
  SELECT deal_id::text AS deal_id, account_name, owner, team, region, industry, stage, status,
         (extract(epoch FROM entered_stage_at) * 1000)::float8 AS entered_stage_ms,
         (extract(epoch FROM last_activity_at) * 1000)::float8 AS last_activity_ms,
         expected_close_date::text AS expected_close_date, probability
    FROM rm.deal_summary
   WHERE status = 'open'`;

export interface OpenDealRow {
  deal_id: string;
  account_name: string;
  owner: string;
  team: string;
  region: string;
  industry: string;
  stage: DealStatusStage;
  status: 'open';
  entered_stage_ms: number;
  last_activity_ms: number;
  expected_close_date: string | null;
  probability: number | null;
}

/** An open deal and the instant each rule's anomaly would hold since. */
export interface OpenDeal extends OpenDealRow {
  /** The day after the expected close date, 00:00 UTC (epoch ms); NaN without one. */
  overdue_from_ms: number;
}

/** One found anomaly's key in the page order, and its deal. */
export interface OpenDealHit {
  kind: Extract<AnomalyKind, 'stalled' | 'close_date_passed' | 'inactive'>;
  key: AnomalyKey;
  deal: OpenDeal;
}

/** The sort key of an item: since, deal, kind and detail ("C" order: plain code-unit comparison). */
export interface AnomalyKey {
  sinceMs: number;
  dealId: string;
  kind: string;
  detail: string;
}

export function compareKeys(a: AnomalyKey, b: AnomalyKey): number {
  if (a.sinceMs !== b.sinceMs) return a.sinceMs < b.sinceMs ? -1 : 1;
  // uuids as lower-case text compare as PostgreSQL compares uuids (byte by byte)
  if (a.dealId !== b.dealId) return a.dealId < b.dealId ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.detail !== b.detail) return a.detail < b.detail ? -1 : 1;
  return 0;
}

/** What the stalled rule compares with, per open stage: the usable p90 (or null) and the limit. */
export type StallThresholds = Record<OpenStage, { p90: number | null; limitDays: number }>;

export interface OpenDealAsk {
  filters: DealFilters;
  asOf: Date;
  inactiveDays: number;
  thresholds: StallThresholds;
  kind?: AnomalyKind;
  /** Only items strictly after this key. */
  after?: AnomalyKey;
}

const OVERDUE_STAGES: readonly string[] = ['APPROVED', 'NEGOTIATION'];

/** The open deals at one position, sorted per branch. Never changed once built. */
export class OpenDealAnomalies {
  private readonly byEntered: OpenDeal[];
  private readonly byOverdue: OpenDeal[];
  private readonly byActivity: OpenDeal[];

  constructor(rows: readonly OpenDealRow[]) {
    const deals: OpenDeal[] = rows.map((row) => ({
      ...row,
      overdue_from_ms: row.expected_close_date === null ? NaN : Date.parse(`${row.expected_close_date}T00:00:00.000Z`) + MS_PER_DAY,
    }));
    const by = (since: (d: OpenDeal) => number) => (a: OpenDeal, b: OpenDeal) =>
      since(a) !== since(b) ? since(a) - since(b) : a.deal_id < b.deal_id ? -1 : a.deal_id > b.deal_id ? 1 : 0;
    this.byEntered = deals.filter((d) => (OPEN_STAGES as readonly string[]).includes(d.stage)).sort(by((d) => d.entered_stage_ms));
    this.byOverdue = deals
      .filter((d) => OVERDUE_STAGES.includes(d.stage) && !Number.isNaN(d.overdue_from_ms))
      .sort(by((d) => d.overdue_from_ms));
    this.byActivity = deals.sort(by((d) => d.last_activity_ms));
  }

  /** Per asked rule, its anomalies after the cursor in the page order, each found when it is taken. */
  find(ask: OpenDealAsk): Iterator<OpenDealHit>[] {
    const at = ask.asOf.getTime();
    const days = (fromMs: number) => (at - fromMs) / MS_PER_DAY;
    const wants = (kind: OpenDealHit['kind']) => ask.kind === undefined || ask.kind === kind;
    const found: Iterator<OpenDealHit>[] = [];
    if (wants('stalled')) {
      found.push(
        walk(this.byEntered, 'stalled', (d) => d.entered_stage_ms, ask, (d) => {
          const threshold = ask.thresholds[d.stage as OpenStage];
          const inStage = days(d.entered_stage_ms);
          return (threshold.p90 !== null && inStage > threshold.p90) || inStage > threshold.limitDays;
        }),
      );
    }
    if (wants('close_date_passed')) found.push(walk(this.byOverdue, 'close_date_passed', (d) => d.overdue_from_ms, ask, (d) => at >= d.overdue_from_ms));
    if (wants('inactive')) found.push(walk(this.byActivity, 'inactive', (d) => d.last_activity_ms, ask, (d) => days(d.last_activity_ms) >= ask.inactiveDays));
    return found;
  }
}

/** The deals of a sorted list that lie after the cursor and match, in order. */
function* walk(
  deals: readonly OpenDeal[],
  kind: OpenDealHit['kind'],
  since: (d: OpenDeal) => number,
  ask: OpenDealAsk,
  holds: (d: OpenDeal) => boolean,
): Generator<OpenDealHit> {
  const key = (d: OpenDeal): AnomalyKey => ({ sinceMs: since(d), dealId: d.deal_id, kind, detail: '' });
  const after = ask.after;
  // The first deal after the cursor: the list is in key order (kind and detail are the branch's constants).
  let lo = 0;
  if (after) {
    let hi = deals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(key(deals[mid]), after) > 0) hi = mid;
      else lo = mid + 1;
    }
  }
  const { owner, team, region, industry } = ask.filters;
  for (let i = lo; i < deals.length; i++) {
    const d = deals[i];
    if (owner !== undefined && d.owner !== owner) continue;
    if (team !== undefined && d.team !== team) continue;
    if (region !== undefined && d.region !== region) continue;
    if (industry !== undefined && d.industry !== industry) continue;
    if (holds(d)) yield { kind, key: key(d), deal: d };
  }
}

/** The first `count` items of sources each in the page order, in that order (a merge that stops there). */
export function firstInOrder<T extends { key: AnomalyKey }>(sources: readonly Iterator<T>[], count: number): T[] {
  const heads = sources.map((source) => source.next());
  const taken: T[] = [];
  while (taken.length < count) {
    let best: number | undefined;
    let bestKey: AnomalyKey | undefined;
    heads.forEach((head, s) => {
      if (!head.done && (bestKey === undefined || compareKeys(head.value.key, bestKey) < 0)) {
        best = s;
        bestKey = head.value.key;
      }
    });
    if (best === undefined) break;
    taken.push((heads[best] as IteratorYieldResult<T>).value);
    heads[best] = sources[best].next();
  }
  return taken;
}
