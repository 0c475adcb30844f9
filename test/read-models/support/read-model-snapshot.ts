import { Pool } from 'pg';

/** Every row of every published read model, in a stable order, for row-for-row comparisons. */
const VIEWS: Record<string, string> = {
  deal_summary: `SELECT * FROM rm.deal_summary ORDER BY deal_id`,
  stage_intervals: `SELECT * FROM rm.stage_intervals ORDER BY deal_id, seq`,
  stage_overrides: `SELECT * FROM rm.stage_overrides ORDER BY deal_id, occurred_at, to_stage`,
  visits: `SELECT * FROM rm.visits ORDER BY deal_id, visit_id`,
  stage_moves: `SELECT * FROM rm.stage_moves ORDER BY deal_id, revision`,
  forecast_updates: `SELECT * FROM rm.forecast_updates ORDER BY deal_id, revision`,
  audit_events: `SELECT * FROM rm.audit_events ORDER BY pos_commit, pos_prepare`,
};

export type ReadModelSnapshot = Record<string, Record<string, unknown>[]>;

export async function snapshotReadModels(pool: Pool): Promise<ReadModelSnapshot> {
  const snapshot: ReadModelSnapshot = {};
  for (const [view, sql] of Object.entries(VIEWS)) snapshot[view] = (await pool.query(sql)).rows;
  return snapshot;
}
