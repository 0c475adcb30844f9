/**
 * Win rate of closed deals: won / (won + lost), by count and by amount. Amounts are never added
 * across currencies (there is no exchange rate in the event history), so the amount rate is per
 * currency.
 */
import { ratio } from './statistics';

export interface ClosedDeal {
  status: 'won' | 'lost';
  amount: number;
  currency: string;
}

export interface CurrencyWinRate {
  currency: string;
  wonAmount: number;
  lostAmount: number;
  /** wonAmount / (wonAmount + lostAmount). */
  rate: number | null;
}

export interface WinRate {
  won: number;
  lost: number;
  /** won / (won + lost), by count, all currencies together. */
  byCount: number | null;
  /** Ascending by currency code. */
  byAmount: CurrencyWinRate[];
}

export function winRate(deals: readonly ClosedDeal[]): WinRate {
  const won = deals.filter((d) => d.status === 'won').length;
  const lost = deals.length - won;
  const currencies = [...new Set(deals.map((d) => d.currency))].sort();
  return {
    won,
    lost,
    byCount: ratio(won, won + lost),
    byAmount: currencies.map((currency) => {
      const inCurrency = deals.filter((d) => d.currency === currency);
      const wonAmount = sum(inCurrency.filter((d) => d.status === 'won').map((d) => d.amount));
      const lostAmount = sum(inCurrency.filter((d) => d.status === 'lost').map((d) => d.amount));
      return { currency, wonAmount, lostAmount, rate: ratio(wonAmount, wonAmount + lostAmount) };
    }),
  };
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
