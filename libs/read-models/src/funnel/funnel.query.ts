/**
 * The funnel: per stage (the seven in order, then LOST) how many deals, and per currency their
 * amount and weighted amount — now, from rm.deal_summary, or as it stood at any past instant,
 * from rm.stage_intervals. Amounts are never added across currencies (docs/metrics.md).
 */
import { Pool } from 'pg';
import { DEAL_STATUS_STAGES, DealStatusStage } from '@funnel/domain/playbook/stage';
import { TimeAxes, timeAxes } from '@funnel/domain/time/time-axes';

/**
 * Bump when what a figure means changes, so consumers can tell old numbers from new.
 * funnel/2: the per-stage `amount` and `weightedAmount` (sums across currencies) are gone.
 */
export const FUNNEL_METRIC_DEFINITION_VERSION = 'funnel/2';

export interface FunnelFilters {
  owner: string | null;
  team: string | null;
  region: string | null;
  industry: string | null;
}

export interface FunnelCurrencyFigures {
  currency: string;
  deals: number;
  amount: number;
  weightedAmount: number | null;
}

export interface FunnelStageFigures {
  stage: DealStatusStage;
  /** Deals in the stage: open deals for the seven stages up to NEGOTIATION, won deals for WON, lost ones for LOST. */
  deals: number;
  /** Per currency: deals, Σ amount as recorded, Σ amount × forecast probability (null as of a past instant). */
  byCurrency: FunnelCurrencyFigures[];
}

export interface FunnelView {
  metricDefinitionVersion: string;
  /** The business-time instant the funnel is taken at; null for now. */
  asOf: string | null;
  /** The recorded-time instant: the funnel as the system knew it then; null for everything recorded. */
  knownAt: string | null;
  /** Which time axis the figures used. */
  time: TimeAxes;
  filters: FunnelFilters;
  stages: FunnelStageFigures[];
  notes: string[];
}

interface FigureRow {
  stage: string;
  currency: string;
  deals: number;
  amount: string;
  weighted_amount: string | null;
}

// Now: the current stage of each deal, lost deals under LOST. Owner and team are the current ones.
const CURRENT_FUNNEL = `
  SELECT CASE WHEN status = 'lost' THEN 'LOST' ELSE stage END AS stage, currency,
         count(*)::int AS deals, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted_amount
    FROM rm.deal_summary
   WHERE ($1::text IS NULL OR owner = $1) AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3) AND ($4::text IS NULL OR industry = $4)
   GROUP BY 1, 2`;

// As of t: a deal is in stage s at t when an interval of s has entered_at <= t < exited_at (an
// open or WON interval never ends). The range expression matches the GiST index on intervals.
// Owner and team are those at entry of the interval; the currency (never changes) comes from
// the deal's summary.
const FUNNEL_AS_OF = `
  SELECT i.stage, coalesce(d.currency, '') AS currency,
         count(*)::int AS deals, sum(i.amount)::text AS amount, NULL::text AS weighted_amount
    FROM rm.stage_intervals i
    LEFT JOIN rm.deal_summary d ON d.deal_id = i.deal_id
   WHERE tstzrange(i.entered_at, i.exited_at, '[)') @> $5::timestamptz
     AND ($1::text IS NULL OR i.owner = $1) AND ($2::text IS NULL OR i.team = $2)
     AND ($3::text IS NULL OR i.region = $3) AND ($4::text IS NULL OR i.industry = $4)
   GROUP BY 1, 2`;

// Known at k (and, when $6 is given, as of business time t): an interval belongs to what the
// system knew at k when its entry was recorded by k, and it was still open as known then (no
// exit, or an exit recorded after k). With t, the interval must also contain t on the
// business axis, counting an exit not yet known at k as no exit at all.
const FUNNEL_KNOWN_AT = `
  SELECT i.stage, coalesce(d.currency, '') AS currency,
         count(*)::int AS deals, sum(i.amount)::text AS amount, NULL::text AS weighted_amount
    FROM rm.stage_intervals i
    LEFT JOIN rm.deal_summary d ON d.deal_id = i.deal_id
   WHERE i.entered_recorded_at <= $5::timestamptz
     AND ($6::timestamptz IS NULL OR i.entered_at <= $6::timestamptz)
     AND (i.exited_at IS NULL OR i.exited_recorded_at > $5::timestamptz
          OR ($6::timestamptz IS NOT NULL AND i.exited_at > $6::timestamptz))
     AND ($1::text IS NULL OR i.owner = $1) AND ($2::text IS NULL OR i.team = $2)
     AND ($3::text IS NULL OR i.region = $3) AND ($4::text IS NULL OR i.industry = $4)
   GROUP BY 1, 2`;

export class FunnelQuery {
  constructor(private readonly pool: Pool) {}

  async run(filters: FunnelFilters, asOf: Date | null, knownAt: Date | null = null): Promise<FunnelView> {
    const params = [filters.owner, filters.team, filters.region, filters.industry];
    const result = knownAt
      ? await this.pool.query<FigureRow>(FUNNEL_KNOWN_AT, [...params, knownAt, asOf])
      : asOf
        ? await this.pool.query<FigureRow>(FUNNEL_AS_OF, [...params, asOf])
        : await this.pool.query<FigureRow>(CURRENT_FUNNEL, params);
    const past = asOf !== null || knownAt !== null;
    return {
      metricDefinitionVersion: FUNNEL_METRIC_DEFINITION_VERSION,
      asOf: asOf ? asOf.toISOString() : null,
      knownAt: knownAt ? knownAt.toISOString() : null,
      time: timeAxes(asOf, knownAt),
      filters,
      stages: DEAL_STATUS_STAGES.map((stage) => stageFigures(stage, result.rows, !past)),
      notes: past
        ? [
            'weightedAmount is null as of a past instant: forecast history is not kept, only the current forecast.',
            'owner and team filters match the owner and team a deal had when it entered the stage.',
            'amounts are per currency, as recorded at entry into the stage; never converted or added across currencies.',
          ]
        : ['amounts are per currency, as recorded; never converted or added across currencies.'],
    };
  }
}

function stageFigures(stage: DealStatusStage, rows: FigureRow[], weighted: boolean): FunnelStageFigures {
  const mine = rows.filter((r) => r.stage === stage).sort((a, b) => a.currency.localeCompare(b.currency));
  const byCurrency = mine.map((r) => ({
    currency: r.currency,
    deals: r.deals,
    amount: Number(r.amount),
    weightedAmount: weighted ? Number(r.weighted_amount ?? 0) : null,
  }));
  return {
    stage,
    deals: byCurrency.reduce((n, c) => n + c.deals, 0),
    byCurrency,
  };
}
