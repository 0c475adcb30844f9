import { Injectable } from '@nestjs/common';
import { MS_PER_DAY } from '@funnel/domain/metrics/business-time';
import { HALF_TOLERANCE } from '@funnel/domain/metrics/kaplan-meier';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DistributionSummary } from '@funnel/domain/metrics/statistics';
import { DealFilters, echoFilters } from './analytics-filters';
import { roundDays, roundSummary } from './analytics-numbers';
import { EXIT_KINDS, StaySnapshot, StayIndex } from './stay-index';
import { StayFilter, stayFilter, stayMatches, summaryOfSorted } from './stay-filter';

/**
 * dwell-times/1 over the stays held in memory (StayIndex): a scan over the stays of the open
 * stages entered in [from, to) and by asOf, matched on the owner/team/region/industry recorded at
 * entry, each as it stood at asOf (an exit after asOf is not known yet: stayAsOf() in
 * libs/domain/src/metrics/stage-stay.ts). Days are whole milliseconds / 86 400 000, as
 * daysBetween() computes them; quantiles are type 7 over the sorted values (quantileOfSorted).
 * The stays are in (deal, seq) order, so every sum adds in the reference's order: per deal, its
 * ended stays in seq order (deals with a stay still open left out); means in (deal, seq) order —
 * a mean like 22.705 sits exactly on a rounding edge, where the last bit of a float sum decides
 * between 22.70 and 22.71.
 *
 * What depends on the clock: at an asOf at or after the latest entry or exit the index holds (the
 * usual "now"), which stays have ended — and so every figure but the Kaplan–Meier median — is a
 * function of the snapshot alone and is computed once per snapshot and filters. The median then
 * sweeps the sorted ended times and the open stays' times (asOf − entry, in the order of entry,
 * latest first) in ascending order: n at risk at t = observations with time ≥ t (censorings tied
 * with an event are at risk), the curve multiplies (1 − d/n) over event times in ascending order,
 * and the median is the first event time where it reaches ½ within HALF_TOLERANCE — the steps of
 * kaplanMeier(), in the same order, so the same floats.
 */
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

/** What a stage's figures are made of, as of the instant its stays were classified by. */
interface StageStays {
  perStay: DistributionSummary;
  perDeal: DistributionSummary;
  /** Ended stays' days, ascending; of those, the ones that left forward (the KM events). */
  ended: Float64Array;
  events: Float64Array;
  /** Entry times (ms) of the stays still open, ascending. */
  openEntered: Float64Array;
}

const FORWARD_EXIT = new Uint8Array(EXIT_KINDS.length);
for (const kind of ['advanced', 'skipped', 'won'] as const) FORWARD_EXIT[EXIT_KINDS.indexOf(kind)] = 1;

@Injectable()
export class DwellTimesQuery {
  constructor(private readonly index: StayIndex) {}

  async answer(filters: DealFilters, period: Period, asOf: Date): Promise<DwellTimesAnswer> {
    const snapshot = await this.index.current();
    const at = asOf.getTime();
    const filter = stayFilter(this.index, filters, period);
    const key = JSON.stringify(filter);
    // Past every recorded instant, the stays are classified the same for any asOf: once per snapshot.
    const settled = at >= snapshot.latest;
    const stages = settled
      ? snapshot.remember(`dwell-times|now|${key}`, () => stageStays(snapshot, filter, snapshot.latest))
      : snapshot.remember(`dwell-times|${at}|${key}`, () => stageStays(snapshot, filter, at));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.dwellTimes,
      asOf: asOf.toISOString(),
      filters: echoFilters(filters, period),
      unit: 'days' as const,
      stages: OPEN_STAGES.map((stage, s) => stageAnswer(stage, stages[s], at)),
    };
  }
}

/** Per open stage (OPEN_STAGES order, which is the index's stage codes 0–5), its stays as of `at`. */
function stageStays(snapshot: StaySnapshot, filter: StayFilter, at: number): StageStays[] {
  const c = snapshot.columns;
  const stages = OPEN_STAGES.length;
  const ended: number[][] = OPEN_STAGES.map(() => []);
  const events: number[][] = OPEN_STAGES.map(() => []);
  const openEntered: number[][] = OPEN_STAGES.map(() => []);
  const totals: number[][] = OPEN_STAGES.map(() => []);
  const staySum = new Float64Array(stages);
  const dealSum = new Float64Array(stages);
  // The deal whose stays in the stage are being added up, its total so far, and whether one is open.
  const deal = new Int32Array(stages).fill(-1);
  const total = new Float64Array(stages);
  const open = new Uint8Array(stages);
  const closeDeal = (s: number) => {
    if (deal[s] >= 0 && !open[s]) {
      totals[s].push(total[s]);
      dealSum[s] += total[s];
    }
  };
  for (let i = 0; i < snapshot.count; i++) {
    const s = c.stage[i];
    if (s >= stages || c.entered[i] > at || !stayMatches(c, i, filter)) continue;
    if (c.deal[i] !== deal[s]) {
      closeDeal(s);
      deal[s] = c.deal[i];
      total[s] = 0;
      open[s] = 0;
    }
    if (c.exited[i] <= at) {
      const days = (c.exited[i] - c.entered[i]) / MS_PER_DAY;
      ended[s].push(days);
      staySum[s] += days;
      total[s] += days;
      if (FORWARD_EXIT[c.exitKind[i]]) events[s].push(days);
    } else {
      open[s] = 1;
      openEntered[s].push(c.entered[i]);
    }
  }
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  return OPEN_STAGES.map((_, s) => {
    closeDeal(s);
    const endedDays = sorted(ended[s]);
    return {
      perStay: summaryOfSorted(endedDays, staySum[s]),
      perDeal: summaryOfSorted(sorted(totals[s]), dealSum[s]),
      ended: endedDays,
      events: sorted(events[s]),
      openEntered: sorted(openEntered[s]),
    };
  });
}

/** The Kaplan–Meier median of time to advance as of `at` (the open stays censored at `at`). */
function kaplanMeierMedian(stays: StageStays, at: number): number | null {
  const { ended, events, openEntered } = stays;
  let atRisk = ended.length + openEntered.length;
  let survival = 1;
  let i = 0;
  let k = 0;
  let j = openEntered.length - 1;
  const openTime = (index: number) => (index >= 0 ? (at - openEntered[index]) / MS_PER_DAY : Infinity);
  while (i < ended.length || j >= 0) {
    const time = Math.min(i < ended.length ? ended[i] : Infinity, openTime(j));
    let here = 0;
    for (; i < ended.length && ended[i] === time; i++) here++;
    for (; j >= 0 && openTime(j) === time; j--) here++;
    let happened = 0;
    for (; k < events.length && events[k] === time; k++) happened++;
    if (happened > 0) {
      survival *= 1 - happened / atRisk;
      if (survival <= 0.5 + HALF_TOLERANCE) return time;
    }
    atRisk -= here;
  }
  return null;
}

function stageAnswer(stage: OpenStage, stays: StageStays, at: number): StageDwellTimesAnswer {
  const n = stays.ended.length + stays.openEntered.length;
  const events = stays.events.length;
  return {
    stage,
    perStay: roundSummary(stays.perStay),
    perDeal: roundSummary(stays.perDeal),
    openStays: stays.openEntered.length,
    kaplanMeier: { n, events, censored: n - events, median: roundDays(kaplanMeierMedian(stays, at)) },
  };
}
