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
 * function of the snapshot alone and is computed once per snapshot and filters (after new events,
 * patched from the previous snapshot's answer: see settledStays). The median then
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
  /** Per deal with no stay open, its days in the stage, ascending. */
  totals: Float64Array;
}

/** A stage's values as a scan finds them (unsorted), and its sums in (deal, seq) order. */
interface Collected {
  ended: number[];
  events: number[];
  openEntered: number[];
  totals: number[];
  staySum: number;
  dealSum: number;
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
      ? snapshot.remember(`dwell-times|now|${key}`, () => settledStays(snapshot, filter, `dwell-times|now|${key}`))
      : snapshot.remember(`dwell-times|${at}|${key}`, () => sortedStays(collect(snapshot, filter, at)));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.dwellTimes,
      asOf: asOf.toISOString(),
      filters: echoFilters(filters, period),
      unit: 'days' as const,
      stages: OPEN_STAGES.map((stage, s) => stageAnswer(stage, stages[s], at)),
    };
  }
}

/**
 * The stays of a snapshot past every recorded instant. When the snapshot was merged from one that
 * already answered the same filters, that answer is patched: the touched deals' old values are
 * taken out of its sorted arrays and their new ones merged in (linear, no sort of the whole), and
 * the sums are added again in order over the new snapshot — the same numbers as computing afresh.
 */
function settledStays(snapshot: StaySnapshot, filter: StayFilter, key: string): StageStays[] {
  const previous = snapshot.previous;
  const kept = previous?.snapshot.recall<StageStays[]>(key);
  if (!previous || !kept) return sortedStays(collect(snapshot, filter, snapshot.latest));
  const removed = collect(previous.snapshot, filter, previous.snapshot.latest, previous.touched);
  const added = collect(snapshot, filter, snapshot.latest, previous.touched);
  return kept.map((old, s) => {
    const ended = replaceSorted(old.ended, removed[s].ended, added[s].ended);
    const totals = replaceSorted(old.totals, removed[s].totals, added[s].totals);
    return {
      perStay: summaryOfSorted(ended, added[s].staySum),
      perDeal: summaryOfSorted(totals, added[s].dealSum),
      ended,
      events: replaceSorted(old.events, removed[s].events, added[s].events),
      openEntered: replaceSorted(old.openEntered, removed[s].openEntered, added[s].openEntered),
      totals,
    };
  });
}

function sortedStays(collected: Collected[]): StageStays[] {
  return collected.map((c) => {
    const ended = sorted(c.ended);
    const totals = sorted(c.totals);
    return {
      perStay: summaryOfSorted(ended, c.staySum),
      perDeal: summaryOfSorted(totals, c.dealSum),
      ended,
      events: sorted(c.events),
      openEntered: sorted(c.openEntered),
      totals,
    };
  });
}

const sorted = (values: number[]) => Float64Array.from(values).sort();

/** `base` (ascending) without the values of `remove` and with those of `add`, ascending. */
function replaceSorted(base: Float64Array, remove: number[], add: number[]): Float64Array {
  const gone = sorted(remove);
  const come = sorted(add);
  const out = new Float64Array(base.length - gone.length + come.length);
  let r = 0;
  let a = 0;
  let o = 0;
  for (let i = 0; i < base.length; i++) {
    const value = base[i];
    if (r < gone.length && gone[r] === value) {
      r++;
      continue;
    }
    if (r < gone.length && gone[r] < value) break;
    while (a < come.length && come[a] < value) out[o++] = come[a++];
    out[o++] = value;
  }
  // Every removed value was in base (the same stays, the same arithmetic), or the index is wrong.
  if (r < gone.length) throw new Error('dwell times: a value to patch out of a kept answer was not in it');
  while (a < come.length) out[o++] = come[a++];
  return out;
}

/**
 * Per open stage (OPEN_STAGES order, which is the index's stage codes 0–5), its stays as of
 * `at`; with `only`, the values of those deals' stays alone, but the sums over all.
 */
function collect(snapshot: StaySnapshot, filter: StayFilter, at: number, only?: ReadonlySet<number>): Collected[] {
  const c = snapshot.columns;
  const stages = OPEN_STAGES.length;
  const found: Collected[] = OPEN_STAGES.map(() => ({ ended: [], events: [], openEntered: [], totals: [], staySum: 0, dealSum: 0 }));
  const keep = new Uint8Array(snapshot.index.dealIds.length).fill(only ? 0 : 1);
  for (const deal of only ?? []) keep[deal] = 1;
  // The deal whose stays in the stage are being added up, its total so far, and whether one is open.
  const deal = new Int32Array(stages).fill(-1);
  const total = new Float64Array(stages);
  const open = new Uint8Array(stages);
  const closeDeal = (s: number) => {
    if (deal[s] >= 0 && !open[s]) {
      if (keep[deal[s]]) found[s].totals.push(total[s]);
      found[s].dealSum += total[s];
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
    const kept = keep[c.deal[i]];
    if (c.exited[i] <= at) {
      const days = (c.exited[i] - c.entered[i]) / MS_PER_DAY;
      found[s].staySum += days;
      total[s] += days;
      if (kept) {
        found[s].ended.push(days);
        if (FORWARD_EXIT[c.exitKind[i]]) found[s].events.push(days);
      }
    } else {
      open[s] = 1;
      if (kept) found[s].openEntered.push(c.entered[i]);
    }
  }
  for (let s = 0; s < stages; s++) closeDeal(s);
  return found;
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
