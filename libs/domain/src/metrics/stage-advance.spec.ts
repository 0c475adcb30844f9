import { stageAdvance } from './stage-advance';
import { journey } from './stage-journey.testing';

describe('stage advance', () => {
  it('is the share of ended stays that moved forward; open stays do not count', () => {
    const stays = [
      ...journey('A', ['PROJECT', '2024-01-01'], ['APPROVED', '2024-01-11']),
      ...journey('C', ['PROJECT', '2024-01-01'], ['LOST', '2024-01-31']),
      ...journey('D', ['PROJECT', '2024-04-22']),
      ...journey('E', ['PROJECT', '2024-02-01'], ['INTENT', '2024-02-06'], ['PROJECT', '2024-02-10'], ['WON', '2024-02-25']),
    ];
    const project = stageAdvance(stays).find((s) => s.stage === 'PROJECT');
    // Ended: A (advanced), C (lost), E1 (regressed), E2 (won, jumping over APPROVED and NEGOTIATION).
    expect(project).toEqual({ stage: 'PROJECT', ended: 4, advanced: 2, rate: 0.5 });
  });
});
