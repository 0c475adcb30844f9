import { STAGES, isStage, nextStage, stageIndex, stagesBetween } from './stage';

describe('stages', () => {
  it('run from TARGET to WON', () => {
    expect(STAGES).toEqual(['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON']);
    expect(stageIndex('TARGET')).toBe(0);
    expect(stageIndex('WON')).toBe(6);
  });

  it('each lead to the next, and nothing follows WON', () => {
    expect(nextStage('APPROVED')).toBe('NEGOTIATION');
    expect(nextStage('WON')).toBeUndefined();
  });

  it('name the stages a jump skips', () => {
    expect(stagesBetween('TARGET', 'PROJECT')).toEqual(['POTENTIAL', 'INTENT']);
    expect(stagesBetween('INTENT', 'PROJECT')).toEqual([]);
  });

  it('do not include LOST', () => {
    expect(isStage('LOST')).toBe(false);
    expect(isStage('WON')).toBe(true);
  });
});
