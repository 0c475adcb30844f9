/**
 * How analytics responses round: computations keep full precision; only the answer is rounded,
 * days to 2 decimals (≈ 15 minutes), rates to 4, amounts to cents.
 */
import { DistributionSummary } from '@funnel/domain/metrics/statistics';

function roundTo(value: number | null, decimals: number): number | null {
  if (value === null) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export const roundDays = (days: number | null) => roundTo(days, 2);
export const roundRate = (rate: number | null) => roundTo(rate, 4);
export const roundAmount = (amount: number | null) => roundTo(amount, 2);

export function roundSummary(summary: DistributionSummary): DistributionSummary {
  return {
    n: summary.n,
    mean: roundDays(summary.mean),
    median: roundDays(summary.median),
    p75: roundDays(summary.p75),
    p90: roundDays(summary.p90),
  };
}
