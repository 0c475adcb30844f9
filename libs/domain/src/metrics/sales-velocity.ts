/**
 * Sales velocity: the money the pipeline is expected to turn into per day,
 *   velocity = open deals × average won deal amount × win rate (by count) / median cycle days.
 * Computed per currency (open deals and won amounts of that currency); the win rate and the
 * median cycle are of all currencies, since neither is an amount.
 */
import { mean } from './statistics';

export interface SalesVelocityInputs {
  openDeals: number;
  /** Amounts of the deals won in the period, in one currency. */
  wonAmounts: readonly number[];
  winRate: number | null;
  medianCycleDays: number | null;
}

export interface SalesVelocity {
  openDeals: number;
  averageWonAmount: number | null;
  /** Amount per day; null when any input is unknown or the median cycle is 0 days. */
  perDay: number | null;
}

export function salesVelocity(inputs: SalesVelocityInputs): SalesVelocity {
  return velocityOfAverage({ ...inputs, averageWonAmount: mean(inputs.wonAmounts) });
}

/** The same, from the average won amount (when a database has already averaged the amounts). */
export function velocityOfAverage(inputs: Omit<SalesVelocityInputs, 'wonAmounts'> & { averageWonAmount: number | null }): SalesVelocity {
  const { averageWonAmount } = inputs;
  const known = averageWonAmount !== null && inputs.winRate !== null && inputs.medianCycleDays !== null && inputs.medianCycleDays > 0;
  return {
    openDeals: inputs.openDeals,
    averageWonAmount,
    perDay: known
      ? (inputs.openDeals * (averageWonAmount as number) * (inputs.winRate as number)) / (inputs.medianCycleDays as number)
      : null,
  };
}
