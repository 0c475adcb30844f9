/**
 * How SQL hands a DistributionSummary over: n, the mean, and the three quantiles from one
 * `percentile_cont(ARRAY[0.5, 0.75, 0.9])` (type 7, as quantile() in libs/domain/src/metrics).
 */
import { DistributionSummary } from '@funnel/domain/metrics/statistics';

export interface SummaryColumns {
  n: number;
  mean: number | null;
  /** [median, p75, p90], or null with no values. */
  q: number[] | null;
}

export function toSummary(columns: SummaryColumns): DistributionSummary {
  if (columns.n === 0 || !columns.q) return { n: 0, mean: null, median: null, p75: null, p90: null };
  return { n: columns.n, mean: columns.mean, median: columns.q[0], p75: columns.q[1], p90: columns.q[2] };
}
