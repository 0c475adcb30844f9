/**
 * Stage conversion (机会阶段转化率) by cohort: the deals that first entered stage s in a month,
 * and how many of them later reached s + 1 and WON. A cohort view, so a recent month's low
 * numbers mean "not yet", and a deal is counted once per stage however often it came back.
 */
import { Stage, nextStage } from '../playbook/stage';
import { isoMonth } from './business-time';
import { OPEN_STAGES, OpenStage, StageStay, staysByDeal } from './stage-stay';
import { SkipPolicy, stagePasses } from './stage-passes';
import { Period, inPeriod } from './period';
import { ratio } from './statistics';

export interface ConversionCounts {
  /** Deals whose first entry into the stage lies in the period (or month). */
  entered: number;
  /** Of those, deals that entered (or passed) the next stage at or after that first entry. */
  reachedNext: number;
  /** Of those, deals that are WON. */
  won: number;
  toNextRate: number | null;
  toWonRate: number | null;
}

export interface StageConversion extends ConversionCounts {
  stage: OpenStage;
  next: Stage;
  /** By UTC month of first entry, "YYYY-MM", ascending; months with no entries are left out. */
  cohorts: (ConversionCounts & { cohort: string })[];
}

/** Conversion per open stage of the deals whose stays are given (all stays of each deal). */
export function conversionByStage(stays: readonly StageStay[], policy: SkipPolicy, period: Period): StageConversion[] {
  const deals = [...staysByDeal(stays).values()].map((dealStays) => ({
    passes: stagePasses(dealStays, policy),
    won: dealStays.some((s) => s.stage === 'WON'),
  }));
  return OPEN_STAGES.map((stage) => {
    const next = nextStage(stage) as Stage;
    const rows: { cohort: string; reachedNext: boolean; won: boolean }[] = [];
    for (const deal of deals) {
      const first = deal.passes.get(stage)?.[0];
      if (!first || !inPeriod(first, period)) continue;
      const reachedNext = (deal.passes.get(next) ?? []).some((at) => at.getTime() >= first.getTime());
      rows.push({ cohort: isoMonth(first), reachedNext, won: deal.won });
    }
    const cohortKeys = [...new Set(rows.map((r) => r.cohort))].sort();
    return {
      stage,
      next,
      ...counts(rows),
      cohorts: cohortKeys.map((cohort) => ({ cohort, ...counts(rows.filter((r) => r.cohort === cohort)) })),
    };
  });
}

function counts(rows: { reachedNext: boolean; won: boolean }[]): ConversionCounts {
  const entered = rows.length;
  const reachedNext = rows.filter((r) => r.reachedNext).length;
  const won = rows.filter((r) => r.won).length;
  return { entered, reachedNext, won, toNextRate: ratio(reachedNext, entered), toWonRate: ratio(won, entered) };
}
