/**
 * The live pipeline forecast's basis read from `rm.stage_moves` in one statement, instead of
 * every move as an object (deal-timeline.rows.ts) folded in Node: PostgreSQL pairs each move
 * with the next (a stay) and hands over, per stage, the stays' lengths and where they went; the
 * openings; and the open deals with their latest forecasts. The same fold as
 * forecastBasis() (libs/domain/src/metrics/pipeline-forecast.ts) over the moves known at asOf —
 * the same instants (ms, as node-postgres reads them), order (business time, then revision;
 * deals by id) and filters — so the forecast is the same number for number
 * (test/calibration/forecast-basis.spec.ts compares the two). The backtest, which also bounds
 * what was recorded, still folds the moves.
 */
import { Pool } from 'pg';
import { MS_PER_DAY } from '@funnel/domain/metrics/business-time';
import { ForecastBasis, LatestForecast, OpenDeal } from '@funnel/domain/metrics/pipeline-forecast';
import { CompletedStays, DealOpening, transitionsFromStays } from '@funnel/domain/metrics/pipeline-simulation';
import { OPEN_STAGES, OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { DealFilters, filterParams } from '../analytics/analytics-filters';
import { inPoolTransaction } from '../projection/transaction';

// $1 asOf, $2…$5 owner/team/region/industry (matched at the opening for the arrivals, at the
// latest move for the open deals), $6 the open stages. A move "happened by asOf" when its
// instant truncated to the ms is ≤ asOf, as Date.getTime() sees it. The moves CTE is read (and
// sorted per deal) once; the three answers are aggregated from it.
const FORECAST_BASIS = `
  WITH moves AS MATERIALIZED (
    SELECT deal_id, kind, to_stage, amount, currency, at_ms,
           ($2::text IS NULL OR owner = $2) AND ($3::text IS NULL OR team = $3)
             AND ($4::text IS NULL OR region = $4) AND ($5::text IS NULL OR industry = $5) AS mine,
           lead(at_ms) OVER w AS next_ms,
           lead(to_stage) OVER w AS next_stage,
           first_value(kind) OVER w AS first_kind,
           row_number() OVER w AS seq
      FROM (SELECT m.*, floor(extract(epoch FROM m.occurred_at) * 1000)::bigint AS at_ms
              FROM rm.stage_moves m
             WHERE m.occurred_at < $1::timestamptz + interval '1 millisecond') known
    WINDOW w AS (PARTITION BY deal_id ORDER BY at_ms, revision)
  ), latest AS (
    SELECT DISTINCT ON (deal_id) deal_id, probability, expected_close_date::text AS expected_close_date
      FROM rm.forecast_updates
     WHERE occurred_at < $1::timestamptz + interval '1 millisecond'
     ORDER BY deal_id, floor(extract(epoch FROM occurred_at) * 1000) DESC, revision DESC
  )
  SELECT
    (SELECT coalesce(json_agg(s), '[]') FROM (
       SELECT to_stage AS stage, array_agg(next_ms - at_ms) AS ms, array_agg(next_stage) AS "to"
         FROM moves
        WHERE first_kind = 'opened' AND next_ms IS NOT NULL AND to_stage = ANY($6::text[])
        GROUP BY to_stage) s) AS stays,
    (SELECT coalesce(json_agg(json_build_array(at_ms, amount::float8, currency) ORDER BY deal_id), '[]')
       FROM moves
      WHERE mine AND seq = 1 AND kind = 'opened') AS openings,
    (SELECT coalesce(json_agg(json_build_array(d.deal_id, d.to_stage, d.at_ms, d.amount::float8, d.currency, l.probability, l.expected_close_date) ORDER BY d.deal_id), '[]')
       FROM moves d LEFT JOIN latest l USING (deal_id)
      WHERE d.mine AND d.first_kind = 'opened' AND d.next_ms IS NULL AND d.to_stage = ANY($6::text[])) AS open,
    (SELECT greatest(max(at_ms), (SELECT floor(extract(epoch FROM max(occurred_at)) * 1000)::bigint FROM rm.forecast_updates
                                   WHERE occurred_at < $1::timestamptz + interval '1 millisecond'))::float8
       FROM moves) AS newest`;

type OpenRow = [dealId: string, stage: OpenStage, lastMs: number, amount: number, currency: string, probability: number | null, expectedCloseDate: string | null];

interface BasisRow {
  stays: { stage: OpenStage; ms: number[]; to: DealStatusStage[] }[];
  openings: [atMs: number, amount: number, currency: string][];
  open: OpenRow[];
  newest: number | null;
}

/**
 * The basis as read: each open deal with the instant of its latest move (its age depends on
 * asOf), and the latest business time among the moves and forecasts read. Read with no asOf
 * (every move), it is the basis at any asOf from `newestMs` on — nothing read happened later —
 * which is what the forecast keeps between requests.
 */
export interface ForecastBasisRead extends Omit<ForecastBasis, 'open'> {
  open: (Omit<OpenDeal, 'ageDays'> & { lastMs: number })[];
  newestMs: number;
}

export async function loadForecastBasis(pool: Pool, asOf: Date, filters: DealFilters): Promise<ForecastBasis> {
  return basisAt(await readForecastBasis(pool, asOf, filters), asOf);
}

/** The basis of the moves that happened by asOf (null: every move). */
export async function readForecastBasis(pool: Pool, asOf: Date | null, filters: DealFilters): Promise<ForecastBasisRead> {
  const row = await inPoolTransaction(pool, async (client) => {
    // The moves of 30,000 deals sort in memory with this; the default 4 MB spills them to disk.
    await client.query(`SET LOCAL work_mem = '64MB'`);
    return (await client.query<BasisRow>(FORECAST_BASIS, [asOf?.toISOString() ?? 'infinity', ...filterParams(filters), OPEN_STAGES])).rows[0];
  });
  const stays: CompletedStays[] = row.stays;
  const openings: DealOpening[] = row.openings.map(([atMs, amount, currency]) => ({ openedAt: new Date(atMs), amount, currency }));
  const open: ForecastBasisRead['open'] = [];
  const latest = new Map<string, LatestForecast>();
  for (const [dealId, stage, lastMs, amount, currency, probability, expectedCloseDate] of row.open) {
    open.push({ dealId, stage, lastMs, amount, currency });
    if (probability !== null && expectedCloseDate !== null) latest.set(dealId, { probability, expectedCloseDate });
  }
  return { transitions: transitionsFromStays(stays), openings, open, latest, newestMs: row.newest ?? -Infinity };
}

/** The basis at asOf: each open deal's age is the time since its latest move. */
export function basisAt(read: ForecastBasisRead, asOf: Date): ForecastBasis {
  const until = asOf.getTime();
  const open = read.open.map(({ dealId, stage, lastMs, amount, currency }) => ({ dealId, stage, ageDays: (until - lastMs) / MS_PER_DAY, amount, currency }));
  return { transitions: read.transitions, openings: read.openings, open, latest: read.latest };
}
