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
  /** The smallest event time t with S(t) ≤ 0.5, decided exactly; null when the curve never gets there. */
  median: number | null;
}

export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierEstimate {
  for (const o of observations) {
    if (!(o.time >= 0) || !Number.isFinite(o.time)) throw new RangeError(`survival time must be a finite number ≥ 0, got ${o.time}`);
  }
  const times = [...new Set(observations.map((o) => o.time))].sort((a, b) => a - b);
  const steps: SurvivalStep[] = [];
  let atRisk = observations.length;
  let survival = 1;
  let median: number | null = null;
  for (const time of times) {
    const here = observations.filter((o) => o.time === time);
    const events = here.filter((o) => o.event).length;
    const censored = here.length - events;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      steps.push({ time, atRisk, events, censored, survival });
      if (median === null && atMostHalf(survival, steps)) median = time;
    }
    atRisk -= here.length;
  }
  const events = observations.filter((o) => o.event).length;
  return { n: observations.length, events, censored: observations.length - events, steps, median };
}

/** Floating-point products of the factors drift by a few ulps per step; beyond this they are decisive. */
const FLOAT_MARGIN = 1e-9;

/**
 * Whether S(t) ≤ ½, exactly: the floating-point product decides unless it is within a hair of
 * ½, where the product is recomputed as a fraction of big integers, Π(nᵢ − dᵢ) / Π nᵢ. A step
 * that lands exactly on ½ is the median (documented in docs/metrics.md); in floating point
 * 9/10 · 7/9 · 5/7 is 0.5000000000000001 and the median would move a whole step later.
 */
function atMostHalf(survival: number, steps: readonly SurvivalStep[]): boolean {
  if (survival < 0.5 - FLOAT_MARGIN) return true;
  if (survival > 0.5 + FLOAT_MARGIN) return false;
  let survivors = 1n;
  let atRisk = 1n;
  for (const step of steps) {
    survivors *= BigInt(step.atRisk - step.events);
    atRisk *= BigInt(step.atRisk);
  }
  return 2n * survivors <= atRisk;
}
