/**
 * Queries of the account read models. A merged account's deals count as its survivor's: the
 * recursive `owner` CTE follows merged_into to the account that is not merged.
 */
import { Pool } from 'pg';

export interface AccountListFilters {
  phase?: string;
  keyAccount?: boolean;
  region?: string;
  industry?: string;
  status?: 'active' | 'closed' | 'merged';
  limit: number;
  offset: number;
}

export interface AccountListItem {
  accountId: string;
  name: string;
  industry: string;
  region: string;
  size: string | null;
  keyAccount: boolean;
  status: string;
  mergedInto: string | null;
  phase: string;
  phaseSince: string;
  pendingSuggestions: number;
  /** Sum of the amounts of open deals, per currency (decimal strings). */
  openPipeline: Record<string, string>;
  /** Sum of the amounts of won deals, per currency (decimal strings). */
  wonToDate: Record<string, string>;
  openDeals: number;
  wonDeals: number;
  lastActivityAt: string;
}

export interface AccountDealRow {
  dealId: string;
  accountId: string;
  status: string;
  stage: string;
  amount: string;
  currency: string;
  openedAt: string;
  wonAt: string | null;
  lostAt: string | null;
  lastActivityAt: string;
}

// Each account's owner: itself, or the end of its chain of merges.
const OWNER = `
  WITH RECURSIVE owner AS (
    SELECT account_id, account_id AS owner_id, merged_into, 0 AS hops FROM rm.accounts
    UNION ALL
    SELECT o.account_id, a.account_id, a.merged_into, o.hops + 1
      FROM owner o JOIN rm.accounts a ON a.account_id = o.merged_into
     WHERE o.hops < 8
  ), owners AS (
    SELECT DISTINCT ON (account_id) account_id, owner_id FROM owner ORDER BY account_id, hops DESC
  )`;

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Pipeline and wins per currency are summed in numeric and handed out as text: never floats.
const LIST = `${OWNER},
  deals AS (
    SELECT w.owner_id, d.* FROM rm.account_deals d JOIN owners w ON w.account_id = d.account_id
  ), per_currency AS (
    SELECT owner_id, currency,
           sum(amount) FILTER (WHERE status = 'open') AS open_amount,
           sum(amount) FILTER (WHERE status = 'won') AS won_amount,
           count(*) FILTER (WHERE status = 'open') AS open_count,
           count(*) FILTER (WHERE status = 'won') AS won_count,
           max(last_activity_at) AS last_activity_at
      FROM deals GROUP BY owner_id, currency
  ), money AS (
    SELECT owner_id,
           coalesce(jsonb_object_agg(currency, open_amount::text) FILTER (WHERE open_amount IS NOT NULL), '{}') AS open_pipeline,
           coalesce(jsonb_object_agg(currency, won_amount::text) FILTER (WHERE won_amount IS NOT NULL), '{}') AS won_to_date,
           sum(open_count)::int AS open_deals, sum(won_count)::int AS won_deals, max(last_activity_at) AS last_activity_at
      FROM per_currency GROUP BY owner_id
  )
  SELECT a.account_id, a.name, a.industry, a.region, a.account_size, a.key_account, a.status, a.merged_into, a.phase,
         ${ISO('a.phase_since')} AS phase_since,
         (SELECT count(*)::int FROM rm.account_suggestions s
           WHERE s.account_id = a.account_id AND s.status = 'pending' AND s.from_phase = a.phase) AS pending_suggestions,
         coalesce(m.open_pipeline, '{}') AS open_pipeline, coalesce(m.won_to_date, '{}') AS won_to_date,
         coalesce(m.open_deals, 0) AS open_deals, coalesce(m.won_deals, 0) AS won_deals,
         ${ISO('greatest(a.last_activity_at, m.last_activity_at)')} AS last_activity_at
    FROM rm.accounts a LEFT JOIN money m ON m.owner_id = a.account_id
   WHERE ($1::text IS NULL OR a.phase = $1)
     AND ($2::boolean IS NULL OR a.key_account = $2)
     AND ($3::text IS NULL OR a.region = $3)
     AND ($4::text IS NULL OR a.industry = $4)
     AND (CASE WHEN $5::text IS NULL THEN a.status <> 'merged' ELSE a.status = $5 END)
   ORDER BY a.name, a.account_id
   LIMIT $6 OFFSET $7`;

const DEALS = `${OWNER}
  SELECT d.deal_id, d.account_id, d.status, d.stage, d.amount::text AS amount, d.currency,
         ${ISO('d.opened_at')} AS opened_at, ${ISO('d.won_at')} AS won_at, ${ISO('d.lost_at')} AS lost_at,
         ${ISO('d.last_activity_at')} AS last_activity_at
    FROM rm.account_deals d JOIN owners w ON w.account_id = d.account_id
   WHERE (w.owner_id = $1 OR d.account_id = $1) AND ($2::timestamptz IS NULL OR d.opened_at <= $2)
   ORDER BY d.opened_at, d.deal_id`;

export class AccountsQuery {
  constructor(private readonly pool: Pool) {}

  async list(filters: AccountListFilters): Promise<AccountListItem[]> {
    const result = await this.pool.query<Record<string, unknown>>(LIST, [
      filters.phase ?? null,
      filters.keyAccount ?? null,
      filters.region ?? null,
      filters.industry ?? null,
      filters.status ?? null,
      filters.limit,
      filters.offset,
    ]);
    return result.rows.map((r) => ({
      accountId: r.account_id as string,
      name: r.name as string,
      industry: r.industry as string,
      region: r.region as string,
      size: (r.account_size as string | null) ?? null,
      keyAccount: r.key_account as boolean,
      status: r.status as string,
      mergedInto: (r.merged_into as string | null) ?? null,
      phase: r.phase as string,
      phaseSince: r.phase_since as string,
      pendingSuggestions: r.pending_suggestions as number,
      openPipeline: r.open_pipeline as Record<string, string>,
      wonToDate: r.won_to_date as Record<string, string>,
      openDeals: r.open_deals as number,
      wonDeals: r.won_deals as number,
      lastActivityAt: r.last_activity_at as string,
    }));
  }

  /** The deals that count as the account's (its own and its merged duplicates'), opened by `asOf` when given. */
  async deals(accountId: string, asOf?: Date): Promise<AccountDealRow[]> {
    const result = await this.pool.query<Record<string, string | null>>(DEALS, [accountId, asOf?.toISOString() ?? null]);
    return result.rows.map((r) => ({
      dealId: r.deal_id!,
      accountId: r.account_id!,
      status: r.status!,
      stage: r.stage!,
      amount: r.amount!,
      currency: r.currency!,
      openedAt: r.opened_at!,
      wonAt: r.won_at,
      lostAt: r.lost_at,
      lastActivityAt: r.last_activity_at!,
    }));
  }
}
