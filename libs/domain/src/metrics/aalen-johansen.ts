/**
 * Aalen–Johansen estimate of a cumulative incidence function (CIF) with one competing risk.
 * A deal that entered a stage ends its journey WON (the event of interest) or LOST (the
 * competing event), or is still open (censored). The naive won / (won + lost) only looks at the
 * deals that have closed, and the quick closers are not a fair sample; KM with LOST censored
 * would answer "if nobody were ever lost", which is no question at all. The CIF answers "what
 * share of the deals are WON within t days", with the open ones contributing while at risk.
 *
 * Variance: the delta-method ("Greenwood-type") estimator of Collett, Modelling Survival Data
 * in Medical Research (3rd ed., §12.2), also used by SAS PROC LIFETEST and Python's lifelines;
 * 95 % interval on the log(−log) scale, so it stays inside [0, 1].
 */

export type CompetingOutcome = 'event' | 'competing' | 'censored';

export interface CompetingObservation {
  /** Time observed (days since entering the stage). */
  time: number;
  outcome: CompetingOutcome;
}

/** One step of the curve, at a time where an event or a competing event happened. */
export interface IncidenceStep {
  time: number;
  /** Observations with time ≥ this time (censorings tied here still count at risk). */
  atRisk: number;
  events: number;
  competing: number;
  /** Overall survival (neither event) just before this time, S(t−). */
  survivalBefore: number;
  /** F(t) = Σ over steps tⱼ ≤ t of S(tⱼ−) · eventsⱼ / atRiskⱼ. */
  incidence: number;
}

export interface IncidenceAt {
  time: number;
  /** F(time); null when no observation reaches `time` while some are still undecided. */
  incidence: number | null;
  variance: number | null;
  standardError: number | null;
  /** 95 % log(−log) interval; [F, F] when F is 0 or 1 or its variance is 0. */
  lower: number | null;
  upper: number | null;
  /** Observations still at risk at `time` (time ≥ `time`). */
  atRisk: number;
}

export interface CumulativeIncidence {
  n: number;
  events: number;
  competing: number;
  censored: number;
  steps: IncidenceStep[];
}

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export function cumulativeIncidence(observations: readonly CompetingObservation[]): CumulativeIncidence {
  for (const o of observations) {
    if (!(o.time >= 0) || !Number.isFinite(o.time)) throw new RangeError(`time must be a finite number ≥ 0, got ${o.time}`);
  }
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const steps: IncidenceStep[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  let incidence = 0;
  for (let i = 0; i < sorted.length; ) {
    const time = sorted[i].time;
    let events = 0;
    let competing = 0;
    let here = 0;
    for (; i < sorted.length && sorted[i].time === time; i++, here++) {
      if (sorted[i].outcome === 'event') events++;
      else if (sorted[i].outcome === 'competing') competing++;
    }
    if (events + competing > 0) {
      const survivalBefore = survival;
      incidence += (survivalBefore * events) / atRisk;
      survival = survivalBefore * (1 - (events + competing) / atRisk);
      steps.push({ time, atRisk, events, competing, survivalBefore, incidence });
    }
    atRisk -= here;
  }
  const count = (outcome: CompetingOutcome) => observations.filter((o) => o.outcome === outcome).length;
  return { n: observations.length, events: count('event'), competing: count('competing'), censored: count('censored'), steps };
}

/**
 * F(t), its variance and 95 % interval. Collett's delta-method variance over the steps tⱼ ≤ t,
 * with nⱼ at risk, dⱼ = eventsⱼ + competingⱼ, d₁ⱼ = eventsⱼ:
 *
 *   Var F(t) = Σ [F(t) − F(tⱼ)]² · dⱼ / (nⱼ (nⱼ − dⱼ))
 *            + Σ S(tⱼ−)² · d₁ⱼ (nⱼ − d₁ⱼ) / nⱼ³
 *            − 2 Σ [F(t) − F(tⱼ)] · S(tⱼ−) · d₁ⱼ / nⱼ²
 *
 * A step where everyone at risk closes (nⱼ = dⱼ) ends the curve, so F(t) = F(tⱼ) there and its
 * first term is 0 (not 0/0). Interval on the log(−log) scale: F^exp(∓z·se / (F·ln F)).
 *
 * F(t) is unknown (null) when every observation ended before t while some were censored:
 * past the last follow-up the curve says nothing.
 */
export function incidenceAt(curve: CumulativeIncidence, observations: readonly CompetingObservation[], time: number): IncidenceAt {
  const atRisk = observations.filter((o) => o.time >= time).length;
  const upTo = curve.steps.filter((s) => s.time <= time);
  const last = upTo[upTo.length - 1];
  const incidence = last?.incidence ?? 0;
  const survivalAfterLast = last ? last.survivalBefore * (1 - (last.events + last.competing) / last.atRisk) : 1;
  const maxTime = observations.reduce((m, o) => Math.max(m, o.time), -Infinity);
  if (observations.length === 0 || (maxTime < time && survivalAfterLast > 0)) {
    return { time, incidence: null, variance: null, standardError: null, lower: null, upper: null, atRisk };
  }
  let variance = 0;
  for (const s of upTo) {
    const d = s.events + s.competing;
    const gap = incidence - s.incidence;
    if (s.atRisk > d) variance += (gap * gap * d) / (s.atRisk * (s.atRisk - d));
    variance += (s.survivalBefore ** 2 * s.events * (s.atRisk - s.events)) / s.atRisk ** 3;
    variance -= (2 * gap * s.survivalBefore * s.events) / s.atRisk ** 2;
  }
  variance = Math.max(0, variance);
  const standardError = Math.sqrt(variance);
  const [lower, upper] = logLogInterval(incidence, standardError);
  return { time, incidence, variance, standardError, lower, upper, atRisk };
}

function logLogInterval(f: number, standardError: number): [number, number] {
  if (f <= 0 || f >= 1 || standardError === 0) return [f, f];
  const spread = (Z_95 * standardError) / (f * Math.abs(Math.log(f)));
  const center = Math.log(-Math.log(f));
  return [Math.exp(-Math.exp(center + spread)), Math.exp(-Math.exp(center - spread))];
}
