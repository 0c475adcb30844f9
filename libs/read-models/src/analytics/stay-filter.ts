/**
 * The filters of a stay-level metric (owner/team/region/industry recorded at entry, entry in
 * [from, to)) resolved against a StayIndex once per request, then tested per stay with integer
 * and number comparisons only.
 */
import { Period } from '@funnel/domain/metrics/period';
import { DistributionSummary, quantileOfSorted } from '@funnel/domain/metrics/statistics';
import { DealFilters } from './analytics-filters';
import { Dictionary, StayColumns, StayIndex } from './stay-index';

/** Dictionary ids to match (-1: no stay has the value; undefined: not filtered), and the entry bounds in ms. */
export interface StayFilter {
  owner?: number;
  team?: number;
  region?: number;
  industry?: number;
  from: number;
  to: number;
}

export function stayFilter(index: StayIndex, filters: DealFilters, period: Period): StayFilter {
  const id = (dictionary: Dictionary, value: string | undefined) => (value === undefined ? undefined : dictionary.find(value));
  return {
    owner: id(index.owners, filters.owner),
    team: id(index.teams, filters.team),
    region: id(index.regions, filters.region),
    industry: id(index.industries, filters.industry),
    from: period.from?.getTime() ?? -Infinity,
    to: period.to?.getTime() ?? Infinity,
  };
}

/** Whether stay i matches the filter (the stage is the caller's to test). */
export function stayMatches(c: StayColumns, i: number, f: StayFilter): boolean {
  const entered = c.entered[i];
  return (
    entered >= f.from &&
    entered < f.to &&
    (f.owner === undefined || c.owner[i] === f.owner) &&
    (f.team === undefined || c.team[i] === f.team) &&
    (f.region === undefined || c.region[i] === f.region) &&
    (f.industry === undefined || c.industry[i] === f.industry)
  );
}

/**
 * summarize() of values already sorted, given their sum added in the metric's order (the mean
 * is that sum / n, as mean() computes it: a float sum depends on the order of its terms).
 */
export function summaryOfSorted(sorted: Float64Array, sum: number): DistributionSummary {
  return {
    n: sorted.length,
    mean: sorted.length === 0 ? null : sum / sorted.length,
    median: quantileOfSorted(sorted, 0.5),
    p75: quantileOfSorted(sorted, 0.75),
    p90: quantileOfSorted(sorted, 0.9),
  };
}
