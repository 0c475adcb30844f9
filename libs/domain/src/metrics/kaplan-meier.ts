/**
 * Kaplan–Meier estimate of a survival curve. A stage stay that is still open has not yet
 * "happened": ignoring it biases dwell times low (only the quick ones have finished), counting
 * it as finished biases them low too. KM counts it as censored: at risk until its last known
 * time, then gone without an event.
 */

export interface SurvivalObservation {
  /** Time observed (e.g. days in the stage). */
  time: number;
  /** true: the event happened at `time`; false: censored (still waiting, or left otherwise). */
  event: boolean;
}

/** One step of the curve, at a time where at least one event happened. */
export interface SurvivalStep {
  time: number;
  /** Observations with time ≥ this time (events and censorings tied at `time` included). */
  atRisk: number;
  events: number;
  /** Censorings at exactly this time (still counted at risk here, by convention). */
  censored: number;
  /** S(time) = Π over event times tᵢ ≤ time of (1 − eventsᵢ / atRiskᵢ). */
  survival: number;
}

export interface KaplanMeierEstimate {
  n: number;
  events: number;
  censored: number;
  steps: SurvivalStep[];
  /** The smallest event time t with S(t) ≤ 0.5, within HALF_TOLERANCE; null when the curve never gets there. */
  median: number | null;
}

export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierEstimate {
  for (const o of observations) {
    if (!(o.time >= 0) || !Number.isFinite(o.time)) throw new RangeError(`survival time must be a finite number ≥ 0, got ${o.time}`);
  }
  // One sort, then one pass over runs of equal times: O(n log n). (Filtering all observations
  // once per distinct time was quadratic in the number of stays.)
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const steps: SurvivalStep[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  let median: number | null = null;
  let totalEvents = 0;
  for (let i = 0; i < sorted.length; ) {
    const time = sorted[i].time;
    let here = 0;
    let events = 0;
    for (; i < sorted.length && sorted[i].time === time; i++, here++) if (sorted[i].event) events++;
    totalEvents += events;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      steps.push({ time, atRisk, events, censored: here - events, survival });
      if (median === null && atMostHalf(survival)) median = time;
    }
    atRisk -= here;
  }
  return { n: sorted.length, events: totalEvents, censored: sorted.length - totalEvents, steps, median };
}

/**
 * Floating-point products of the factors drift by a few ulps per step: 9/10 · 7/9 · 5/7 is
 * 0.5000000000000001, and a median that lands exactly on ½ would move a whole step later. The
 * rule (docs/metrics.md) is S(t) ≤ ½ + 1e-9; the SQL of the dwell-times query applies the same
 * tolerance, so both give the same median.
 */
export const HALF_TOLERANCE = 1e-9;

function atMostHalf(survival: number): boolean {
  return survival <= 0.5 + HALF_TOLERANCE;
}
