/**
 * What an imported stage change amounts to, in the words native stage changes use: the read
 * models and metrics then treat imported moves exactly like native ones (a jump over stages is a
 * skip, a move back is a regression), while the event itself says it was not decided here.
 */
import { DealStatusStage, Stage, isStage, stageIndex, stagesBetween } from '../playbook/stage';

export type ImportedMoveKind = 'advanced' | 'skipped' | 'won' | 'regressed' | 'lost' | 'reopened';

export interface ImportedMove {
  kind: ImportedMoveKind;
  /** Stages jumped over on a forward move (none otherwise). */
  skipped: Stage[];
}

/** undefined when the deal stays where it is (e.g. only the amount changed). */
export function importedMove(from: DealStatusStage, to: DealStatusStage): ImportedMove | undefined {
  if (from === to) return undefined;
  if (to === 'LOST') return { kind: 'lost', skipped: [] };
  if (from === 'LOST' || !isStage(from)) return { kind: 'reopened', skipped: [] };
  if (stageIndex(to) < stageIndex(from)) return { kind: 'regressed', skipped: [] };
  const skipped = stagesBetween(from, to);
  if (to === 'WON') return { kind: 'won', skipped };
  return { kind: skipped.length > 0 ? 'skipped' : 'advanced', skipped };
}
