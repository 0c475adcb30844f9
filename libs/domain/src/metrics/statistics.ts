/**
 * Descriptive statistics over plain numbers. One quantile method everywhere (Hyndman & Fan
 * type 7, linear interpolation between order statistics — R's default, PostgreSQL's
 * percentile_cont, numpy's 'linear'), so a number here can be checked in a spreadsheet.
 */

/** The arithmetic mean, or null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Quantile `p` (0…1) by linear interpolation (type 7): h = (n − 1)·p, then
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) over the ascending values (0-based). Null for none.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must lie in [0, 1], got ${p}`);
  if (values.length === 0) return null;
  return quantileOfSorted(Float64Array.from(values).sort(), p);
}

/** quantile() over values already sorted ascending: summaries sort once, not once per quantile. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must lie in [0, 1], got ${p}`);
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

/** What every duration metric reports: how many, and where they lie. */
export interface DistributionSummary {
  n: number;
  mean: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
}

export function summarize(values: readonly number[]): DistributionSummary {
  // A typed array sorts numerically without a comparator callback: one fast sort for all three.
  const sorted = Float64Array.from(values).sort();
  return {
    n: values.length,
    mean: mean(values),
    median: quantileOfSorted(sorted, 0.5),
    p75: quantileOfSorted(sorted, 0.75),
    p90: quantileOfSorted(sorted, 0.9),
  };
}

/** numerator / denominator, or null when nothing was counted (a rate of 0/0 is unknown, not 0). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
