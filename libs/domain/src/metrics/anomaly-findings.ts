/**
 * The anomalous-opportunity rules (销售机会的异常), each deciding from plain facts whether a deal
 * is anomalous and saying why in words a sales manager reads without a glossary.
 */
import { Stage } from '../playbook/stage';
import { MS_PER_DAY, daysBetween, formatDays, isoDate } from './business-time';
import { StallSettings } from './stall-limits';
import { OpenStage } from './stage-stay';

export const ANOMALY_KINDS = ['stalled', 'stages_skipped', 'gate_overridden', 'regressed', 'close_date_passed', 'inactive'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface AnomalyFinding {
  kind: AnomalyKind;
  /** Since when the anomaly holds (or when the anomalous event happened). */
  since: Date;
  reason: string;
}

/** The completed stays of a stage that the stalled rule compares with. */
export interface CompletedStaysBenchmark {
  n: number;
  p90: number | null;
}

/**
 * Stalled: longer in the current stage than the p90 of completed stays there (when there are
 * at least `minCompletedStaysForP90` of them), or longer than the stage's limit. Strictly longer.
 */
export function findStall(
  deal: { stage: OpenStage; enteredStageAt: Date },
  benchmark: CompletedStaysBenchmark,
  settings: StallSettings,
  asOf: Date,
): AnomalyFinding | undefined {
  const days = daysBetween(deal.enteredStageAt, asOf);
  const why: string[] = [];
  if (benchmark.p90 !== null && benchmark.n >= settings.minCompletedStaysForP90 && days > benchmark.p90) {
    why.push(`p90 of completed ${deal.stage} stays is ${formatDays(benchmark.p90)} (n = ${benchmark.n})`);
  }
  const limit = settings.limitDays[deal.stage];
  if (days > limit) why.push(`the limit for ${deal.stage} is ${formatDays(limit)}`);
  if (why.length === 0) return undefined;
  return { kind: 'stalled', since: deal.enteredStageAt, reason: `in ${deal.stage} for ${formatDays(days)}; ${why.join('; ')}` };
}

/** The expected close date (a whole UTC day) has passed: the deal is still open after it. */
export function findPassedCloseDate(
  deal: { stage: Stage; expectedCloseDate: string; probability: number | null },
  asOf: Date,
): AnomalyFinding | undefined {
  const overdueFrom = new Date(Date.parse(`${deal.expectedCloseDate}T00:00:00.000Z`) + MS_PER_DAY);
  if (asOf.getTime() < overdueFrom.getTime()) return undefined;
  const forecast = deal.probability === null ? '' : ` (forecast ${deal.probability}%)`;
  return {
    kind: 'close_date_passed',
    since: overdueFrom,
    reason: `still in ${deal.stage}; expected close date ${deal.expectedCloseDate}${forecast} passed ${formatDays(daysBetween(overdueFrom, asOf))} ago`,
  };
}

/** No recorded activity for at least `inactiveDays`. */
export function findInactivity(deal: { lastActivityAt: Date }, inactiveDays: number, asOf: Date): AnomalyFinding | undefined {
  const days = daysBetween(deal.lastActivityAt, asOf);
  if (days < inactiveDays) return undefined;
  return {
    kind: 'inactive',
    since: deal.lastActivityAt,
    reason: `no activity for ${formatDays(days)} (last on ${isoDate(deal.lastActivityAt)}); threshold ${formatDays(inactiveDays)}`,
  };
}

export function describeRegression(regression: { from: string; to: string; at: Date }): AnomalyFinding {
  return {
    kind: 'regressed',
    since: regression.at,
    reason: `moved back from ${regression.from} to ${regression.to} on ${isoDate(regression.at)}`,
  };
}

/** A manager's override: of a failed gate (no stage skipped) or over one or more stages. */
export function describeOverride(override: {
  from: string;
  to: string;
  skipped: readonly string[];
  by: string;
  reason: string;
  unmet: number;
  at: Date;
}): AnomalyFinding {
  const when = `on ${isoDate(override.at)} by ${override.by}`;
  const unmet = override.unmet === 0 ? '' : ` with ${override.unmet} unmet ${override.unmet === 1 ? 'criterion' : 'criteria'}`;
  if (override.skipped.length > 0) {
    return {
      kind: 'stages_skipped',
      since: override.at,
      reason: `jumped from ${override.from} to ${override.to}, skipping ${override.skipped.join(', ')}, by override ${when}${unmet}: "${override.reason}"`,
    };
  }
  return {
    kind: 'gate_overridden',
    since: override.at,
    reason: `entered ${override.to} from ${override.from} by override ${when}${unmet}: "${override.reason}"`,
  };
}
