/**
 * For specs: a deal's stays from the stages it went through, as the projector records them.
 * journey('d1', ['TARGET', '2024-01-05'], ['PROJECT', '2024-01-20'], ['LOST', '2024-02-01']).
 * The last stay is open unless `closedAt` closes it.
 */
import { DealStatusStage, STAGES, Stage } from '../playbook/stage';
import { StageStay, StayExitKind } from './stage-stay';

export function journey(dealId: string, ...steps: [DealStatusStage, string][]): StageStay[] {
  return steps.map(([stage, at], i) => {
    const next = steps[i + 1];
    return {
      dealId,
      seq: i + 1,
      stage,
      enteredAt: new Date(`${at}T00:00:00Z`),
      exitedAt: next ? new Date(`${next[1]}T00:00:00Z`) : null,
      exitKind: next ? exitKind(stage, next[0]) : null,
      nextStage: next ? next[0] : null,
    };
  });
}

const index = (s: DealStatusStage) => STAGES.indexOf(s as Stage);

function move(from: DealStatusStage, to: DealStatusStage): 'advanced' | 'skipped' | 'regressed' | 'lost' | 'reopened' {
  if (to === 'LOST') return 'lost';
  if (from === 'LOST') return 'reopened';
  if (index(to) < index(from)) return 'regressed';
  return index(to) === index(from) + 1 ? 'advanced' : 'skipped';
}

function exitKind(from: DealStatusStage, to: DealStatusStage): StayExitKind {
  return to === 'WON' ? 'won' : move(from, to);
}
