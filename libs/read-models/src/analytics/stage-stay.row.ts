/** A row of rm.stage_intervals as the analytics queries select it, and its domain shape. */
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { StageStay, StayExitKind } from '@funnel/domain/metrics/stage-stay';

export interface StageStayRow {
  deal_id: string;
  seq: number;
  stage: DealStatusStage;
  entered_at: Date;
  exited_at: Date | null;
  exit_kind: StayExitKind | null;
  next_stage: DealStatusStage | null;
}

export function toStageStay(row: StageStayRow): StageStay {
  return {
    dealId: row.deal_id,
    seq: Number(row.seq),
    stage: row.stage,
    enteredAt: row.entered_at,
    exitedAt: row.exited_at,
    exitKind: row.exit_kind,
    nextStage: row.next_stage,
  };
}
