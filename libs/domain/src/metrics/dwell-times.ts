/**
 * How long deals stay in each stage (机会升迁耗时). Three views of the same stays:
 * - per stay: every ended stay counts once, however it ended (advanced, skipped, won, regressed,
 *   lost) — the time actually spent there;
 * - per deal: a deal's stays in the stage summed (a deal that regressed and came back counts its
 *   total), for deals with none of those stays still open;
 * - Kaplan–Meier "time to advance": event = the stay ended by moving forward (advanced, skipped,
 *   won); censored = still open at asOf, or ended by regression or loss (it never advanced; we
 *   know only that it did not advance before then).
 */
import { daysBetween } from './business-time';
import { kaplanMeier } from './kaplan-meier';
import { OPEN_STAGES, OpenStage, StageStay, leftForward, stayAsOf } from './stage-stay';
import { DistributionSummary, summarize } from './statistics';

export interface StageDwellTimes {
  stage: OpenStage;
  /** Ended stays, in days. */
  perStay: DistributionSummary;
  /** Per deal: the sum of its stays in the stage, in days (deals with no open stay there). */
  perDeal: DistributionSummary;
  /** Stays still open at asOf (ignored by perStay, censored by the Kaplan–Meier estimate). */
  openStays: number;
  kaplanMeier: {
    n: number;
    /** Stays that ended by moving forward. */
    events: number;
    /** Open at asOf, regressed or lost. */
    censored: number;
    /** Days; null when fewer than half the stays are known to have advanced. */
    median: number | null;
  };
}

/** Dwell times per open stage of the given stays, as they stood at `asOf`. */
export function dwellTimes(stays: readonly StageStay[], asOf: Date): StageDwellTimes[] {
  const known = stays.map((s) => stayAsOf(s, asOf)).filter((s): s is StageStay => s !== undefined);
  return OPEN_STAGES.map((stage) => dwellTimesIn(stage, known.filter((s) => s.stage === stage), asOf));
}

function dwellTimesIn(stage: OpenStage, stays: StageStay[], asOf: Date): StageDwellTimes {
  const ended = stays.filter((s) => s.exitedAt !== null);
  const perStay = ended.map((s) => daysBetween(s.enteredAt, s.exitedAt as Date));

  const totals = new Map<string, { days: number; open: boolean }>();
  for (const s of stays) {
    const total = totals.get(s.dealId) ?? { days: 0, open: false };
    if (s.exitedAt === null) total.open = true;
    else total.days += daysBetween(s.enteredAt, s.exitedAt);
    totals.set(s.dealId, total);
  }
  const perDeal = [...totals.values()].filter((t) => !t.open).map((t) => t.days);

  const km = kaplanMeier(
    stays.map((s) => ({
      time: daysBetween(s.enteredAt, s.exitedAt ?? asOf),
      event: s.exitedAt !== null && leftForward(s),
    })),
  );
  return {
    stage,
    perStay: summarize(perStay),
    perDeal: summarize(perDeal),
    openStays: stays.length - ended.length,
    kaplanMeier: { n: km.n, events: km.events, censored: km.censored, median: km.median },
  };
}
