/**
 * Deals won or lost in [from, to) ($5, $6), by their current owner/team/region/industry: the
 * population of the win rate, and (won ones) of cycle times. closed_at is the business time of
 * the WON stage change or of the loss.
 *
 * Counted in SQL, per group ($7: 'owner', 'team', or null for one group), status and currency:
 * the win rate needs only counts and amount sums. Amounts are summed as numeric (exact cents)
 * and then turned into float8.
 */
import { WinRate } from '@funnel/domain/metrics/win-rate';
import { ratio } from '@funnel/domain/metrics/statistics';

export const CLOSED_DEALS_BY_STATUS_AND_CURRENCY = `
  SELECT CASE $7::text WHEN 'team' THEN team WHEN 'owner' THEN owner ELSE '' END AS group_key,
         status, currency, count(*)::int AS deals, sum(amount)::float8 AS amount
    FROM rm.deal_summary
   WHERE status IN ('won', 'lost')
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
     AND ($5::timestamptz IS NULL OR closed_at >= $5)
     AND ($6::timestamptz IS NULL OR closed_at < $6)
   GROUP BY 1, 2, 3`;

export interface ClosedDealsRow {
  group_key: string;
  status: 'won' | 'lost';
  currency: string;
  deals: number;
  amount: number;
}

/** win-rate/1 from the grouped counts (the same figures winRate() gives over the deals). */
export function winRateOf(closed: readonly ClosedDealsRow[]): WinRate {
  const count = (status: 'won' | 'lost', currency?: string) =>
    closed.filter((r) => r.status === status && (currency === undefined || r.currency === currency)).reduce((n, r) => n + r.deals, 0);
  const amount = (status: 'won' | 'lost', currency: string) =>
    closed.filter((r) => r.status === status && r.currency === currency).reduce((n, r) => n + r.amount, 0);
  const won = count('won');
  const lost = count('lost');
  const currencies = [...new Set(closed.map((r) => r.currency))].sort();
  return {
    won,
    lost,
    byCount: ratio(won, won + lost),
    byAmount: currencies.map((currency) => {
      const wonAmount = amount('won', currency);
      const lostAmount = amount('lost', currency);
      return { currency, wonAmount, lostAmount, rate: ratio(wonAmount, wonAmount + lostAmount) };
    }),
  };
}

/** The rows of the first query, as the reference implementation selects them (kept for it). */
export const DEALS_CLOSED_IN_PERIOD = `
  SELECT deal_id, owner, team, status, amount::float8 AS amount, currency, opened_at, closed_at
    FROM rm.deal_summary
   WHERE status IN ('won', 'lost')
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
     AND ($5::timestamptz IS NULL OR closed_at >= $5)
     AND ($6::timestamptz IS NULL OR closed_at < $6)`;

export interface ClosedDealRow {
  deal_id: string;
  owner: string;
  team: string;
  status: 'won' | 'lost';
  amount: number;
  currency: string;
  opened_at: Date;
  closed_at: Date;
}
