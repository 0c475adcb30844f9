/**
 * The deal timeline read model (`rm.stage_moves`, `rm.forecast_updates`) as the domain's
 * StageMove and RepForecast. The calibration and forecast metrics fold them in TypeScript
 * (libs/domain/src/metrics): each needs every move of a deal to know where it went next.
 */
import { Pool } from 'pg';
import { RepForecast } from '@funnel/domain/metrics/rep-forecast';
import { StageMove, StageMoveKind } from '@funnel/domain/metrics/stage-move';
import { DealStatusStage, Stage } from '@funnel/domain/playbook/stage';
import { DealFilters } from '../analytics/analytics-filters';
import { rows } from '../analytics/rows';

/** Every stage change with both of its times, in each deal's business-time order. */
const STAGE_MOVES = `
  SELECT deal_id, revision::int AS revision, kind, occurred_at, recorded_at, from_stage, to_stage, skipped,
         playbook_version, unmet, owner, team, region, industry, amount::float8 AS amount, currency
    FROM rm.stage_moves
   ORDER BY deal_id, occurred_at, revision`;

/** Every forecast with both of its times. */
const FORECAST_UPDATES = `
  SELECT deal_id, revision::int AS revision, occurred_at, recorded_at, probability,
         expected_close_date::text AS expected_close_date, owner, team, region, industry
    FROM rm.forecast_updates
   ORDER BY deal_id, occurred_at, revision`;

interface StageMoveRow {
  deal_id: string;
  revision: number;
  kind: StageMoveKind;
  occurred_at: Date;
  recorded_at: Date;
  from_stage: DealStatusStage | null;
  to_stage: DealStatusStage;
  skipped: Stage[];
  playbook_version: string | null;
  unmet: string[] | null;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: number;
  currency: string;
}

interface ForecastRow {
  deal_id: string;
  revision: number;
  occurred_at: Date;
  recorded_at: Date;
  probability: number;
  expected_close_date: string;
  owner: string;
  team: string;
  region: string;
  industry: string;
}

export async function loadStageMoves(pool: Pool): Promise<StageMove[]> {
  return (await rows<StageMoveRow>(pool, STAGE_MOVES, [])).map((r) => ({
    dealId: r.deal_id,
    revision: r.revision,
    kind: r.kind,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    from: r.from_stage,
    to: r.to_stage,
    owner: r.owner,
    team: r.team,
    region: r.region,
    industry: r.industry,
    amount: r.amount,
    currency: r.currency,
    playbookVersion: r.playbook_version,
    skipped: r.skipped,
    unmet: r.unmet,
  }));
}

export async function loadRepForecasts(pool: Pool): Promise<RepForecast[]> {
  return (await rows<ForecastRow>(pool, FORECAST_UPDATES, [])).map((r) => ({
    dealId: r.deal_id,
    revision: r.revision,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    probability: r.probability,
    expectedCloseDate: r.expected_close_date,
    owner: r.owner,
    team: r.team,
    region: r.region,
    industry: r.industry,
  }));
}

/** The filters as a predicate on the owner/team/region/industry a row recorded. */
export function matchesFilters(filters: DealFilters): (row: { owner: string; team: string; region: string; industry: string }) => boolean {
  return (row) =>
    (!filters.owner || row.owner === filters.owner) &&
    (!filters.team || row.team === filters.team) &&
    (!filters.region || row.region === filters.region) &&
    (!filters.industry || row.industry === filters.industry);
}
