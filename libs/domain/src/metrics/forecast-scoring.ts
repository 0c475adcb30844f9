/**
 * The reps' forecasts held to account. A ForecastUpdated says "p % chance this deal is WON by
 * its expected close date"; once that date has passed it can be scored: WON by the end of that
 * day (1) or not (0). Brier score, a ten-bin reliability table and the Murphy decomposition.
 */
import { MS_PER_DAY } from './business-time';
import { Period, inPeriod } from './period';
import { RepForecast, latestForecasts } from './rep-forecast';
import { ratio } from './statistics';

export interface ScoredForecast {
  /** Predicted probability, 0…1. */
  probability: number;
  /** 1: WON by the end of the expected close date; 0: not. */
  outcome: 0 | 1;
}

export interface ReliabilityBin {
  /** [lower, upper): the last bin also holds 1.0. */
  lower: number;
  upper: number;
  n: number;
  /** Mean predicted probability p̄ₖ; null for an empty bin. */
  meanPredicted: number | null;
  /** Share WON ōₖ; null for an empty bin. */
  observedRate: number | null;
}

/**
 * BS = REL − RES + UNC + WBV − WBC exactly. With binned forecasts REL − RES + UNC alone is exact
 * only when every forecast in a bin is the same; the two within-bin terms make up the rest.
 */
export interface BrierDecomposition {
  /** (1/N) Σₖ nₖ (p̄ₖ − ōₖ)²: how far the bins' forecasts are from what happened. Lower is better. */
  reliability: number;
  /** (1/N) Σₖ nₖ (ōₖ − ō)²: how well the bins separate winners from losers. Higher is better. */
  resolution: number;
  /** ō (1 − ō): how hard the question was. */
  uncertainty: number;
  /** (1/N) Σₖ Σᵢ (pᵢ − p̄ₖ)²: the spread of forecasts inside their bins. */
  withinBinVariance: number;
  /** (2/N) Σₖ Σᵢ (pᵢ − p̄ₖ)(oᵢ − ōₖ): inside a bin, do higher forecasts win more often? */
  withinBinCovariance: number;
}

export interface ForecastScore {
  n: number;
  won: number;
  /** ō = won / n. */
  baseRate: number | null;
  /** (1/N) Σ (pᵢ − oᵢ)²; null for none. */
  brier: number | null;
  decomposition: BrierDecomposition | null;
  bins: ReliabilityBin[];
}

export const RELIABILITY_BINS = 10;

/** Bin k holds [k/10, (k+1)/10); 1.0 goes to the last bin. */
export function binOf(probability: number): number {
  return Math.min(RELIABILITY_BINS - 1, Math.floor(probability * RELIABILITY_BINS + 1e-9));
}

export function scoreForecasts(forecasts: readonly ScoredForecast[]): ForecastScore {
  for (const f of forecasts) {
    if (!(f.probability >= 0 && f.probability <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${f.probability}`);
  }
  const n = forecasts.length;
  const won = forecasts.filter((f) => f.outcome === 1).length;
  const byBin = Array.from({ length: RELIABILITY_BINS }, () => [] as ScoredForecast[]);
  for (const f of forecasts) byBin[binOf(f.probability)].push(f);
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const bins: ReliabilityBin[] = byBin.map((inBin, k) => ({
    lower: k / RELIABILITY_BINS,
    upper: (k + 1) / RELIABILITY_BINS,
    n: inBin.length,
    meanPredicted: inBin.length ? mean(inBin.map((f) => f.probability)) : null,
    observedRate: inBin.length ? mean(inBin.map((f) => f.outcome)) : null,
  }));
  if (n === 0) return { n, won, baseRate: null, brier: null, decomposition: null, bins };

  const baseRate = won / n;
  const brier = mean(forecasts.map((f) => (f.probability - f.outcome) ** 2));
  let reliability = 0;
  let resolution = 0;
  let withinBinVariance = 0;
  let withinBinCovariance = 0;
  byBin.forEach((inBin, k) => {
    if (inBin.length === 0) return;
    const p = bins[k].meanPredicted as number;
    const o = bins[k].observedRate as number;
    reliability += inBin.length * (p - o) ** 2;
    resolution += inBin.length * (o - baseRate) ** 2;
    for (const f of inBin) {
      withinBinVariance += (f.probability - p) ** 2;
      withinBinCovariance += 2 * (f.probability - p) * (f.outcome - o);
    }
  });
  return {
    n,
    won,
    baseRate: ratio(won, n),
    brier,
    decomposition: {
      reliability: reliability / n,
      resolution: resolution / n,
      uncertainty: baseRate * (1 - baseRate),
      withinBinVariance: withinBinVariance / n,
      withinBinCovariance: withinBinCovariance / n,
    },
    bins,
  };
}

/** `latest`: each deal's last forecast before the cut-off; `every`: every forecast before it. */
export type ForecastSelection = 'latest' | 'every';
export const FORECAST_SELECTIONS: readonly ForecastSelection[] = ['latest', 'every'];

export interface ForecastSelectionOptions {
  selection: ForecastSelection;
  /** Forecasts made strictly before this instant are candidates. */
  cutoff: Date;
  /** A forecast is scored once the whole of its expected close date lies before asOf. */
  asOf: Date;
  /** Keeps the forecasts whose expected close date (00:00 UTC) lies in [from, to). */
  period: Period;
}

/** A forecast with its outcome; probability as a share (0…1), not a percentage. */
export interface ScoredRepForecast extends ScoredForecast {
  dealId: string;
  revision: number;
  occurredAt: Date;
  expectedCloseDate: string;
  owner: string;
  team: string;
}

/**
 * The forecasts that can be scored, each with its outcome: 1 when the deal was WON (at or
 * before asOf) before the end of the expected close date (UTC), else 0.
 */
export function scorableForecasts(
  forecasts: readonly RepForecast[],
  wonAt: ReadonlyMap<string, Date>,
  options: ForecastSelectionOptions,
): ScoredRepForecast[] {
  const before = forecasts.filter((f) => f.occurredAt.getTime() < options.cutoff.getTime());
  const chosen = options.selection === 'every' ? before : [...latestForecasts(before, options.cutoff).values()];
  const scored: ScoredRepForecast[] = [];
  for (const f of chosen) {
    const closeDay = Date.parse(`${f.expectedCloseDate}T00:00:00Z`);
    const dayEnd = closeDay + MS_PER_DAY;
    if (dayEnd > options.asOf.getTime() || !inPeriod(new Date(closeDay), options.period)) continue;
    const won = wonAt.get(f.dealId);
    const outcome = won && won.getTime() < dayEnd && won.getTime() <= options.asOf.getTime() ? 1 : 0;
    const { dealId, revision, occurredAt, expectedCloseDate, owner, team } = f;
    scored.push({ dealId, revision, occurredAt, expectedCloseDate, owner, team, probability: f.probability / 100, outcome });
  }
  return scored.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.dealId.localeCompare(b.dealId) || a.revision - b.revision);
}
