/**
 * stagePasses() (libs/domain/src/metrics/stage-passes.ts) in SQL, for the deals of a `deals`
 * CTE the including query defines: every instant a deal entered a stage (a stay's entered_at;
 * LOST is not a stage on the way) and — under skip policy 'any' ($skipPolicy) — passed over
 * one, at the instant of the jump: the stages strictly between a forward exit's stage and its
 * next stage. $stages is STAGES in order, so array positions give the stage order.
 */
export function stagePassesSql(skipPolicy: string, stages: string): string {
  return `
  passes AS (
    SELECT i.deal_id, i.stage, i.entered_at AS at
      FROM rm.stage_intervals i JOIN deals USING (deal_id)
     WHERE i.stage <> 'LOST'
    UNION ALL
    SELECT i.deal_id, (${stages}::text[])[k] AS stage, i.exited_at AS at
      FROM rm.stage_intervals i JOIN deals USING (deal_id)
     CROSS JOIN LATERAL generate_series(array_position(${stages}::text[], i.stage) + 1,
                                        array_position(${stages}::text[], i.next_stage) - 1) AS k
     WHERE ${skipPolicy}::text = 'any'
       AND i.exited_at IS NOT NULL AND i.exit_kind IN ('advanced', 'skipped', 'won')
       AND i.stage <> 'LOST' AND i.next_stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON')
  )`;
}
