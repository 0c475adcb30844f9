/**
 * Deals won or lost in [from, to) ($5, $6), by their current owner/team/region/industry: the
 * population of the win rate, and (won ones) of cycle times. closed_at is the business time of
 * the WON stage change or of the loss.
 */
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
