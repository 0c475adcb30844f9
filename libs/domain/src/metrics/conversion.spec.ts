import { conversionByStage } from './conversion';
import { journey } from './stage-journey.testing';
import { firstPass, stagePasses } from './stage-passes';

// d1 jumps from INTENT over PROJECT to APPROVED (an override) and is won;
// d2 is lost in PROJECT; d3 is still in POTENTIAL.
const stays = [
  ...journey('d1', ['TARGET', '2024-01-05'], ['POTENTIAL', '2024-01-10'], ['INTENT', '2024-01-20'], ['APPROVED', '2024-02-01'], ['NEGOTIATION', '2024-02-10'], ['WON', '2024-02-20']),
  ...journey('d2', ['TARGET', '2024-01-07'], ['POTENTIAL', '2024-01-15'], ['INTENT', '2024-02-03'], ['PROJECT', '2024-02-10'], ['LOST', '2024-02-20']),
  ...journey('d3', ['TARGET', '2024-02-02'], ['POTENTIAL', '2024-02-12']),
];
const counts = (policy: 'strict' | 'any', period = {}) =>
  Object.fromEntries(conversionByStage(stays, policy, period).map((c) => [c.stage, [c.entered, c.reachedNext, c.won]]));

describe('conversion cohorts', () => {
  it('strict: a deal that jumped over PROJECT neither entered nor passed it', () => {
    expect(counts('strict')).toEqual({
      TARGET: [3, 3, 1],
      POTENTIAL: [3, 2, 1],
      INTENT: [2, 1, 1],
      PROJECT: [1, 0, 0],
      APPROVED: [1, 1, 1],
      NEGOTIATION: [1, 1, 1],
    });
  });

  it('any: the jump counts as passing PROJECT, so INTENT converts 2 of 2 and PROJECT 1 of 2', () => {
    expect(counts('any')).toMatchObject({ INTENT: [2, 2, 1], PROJECT: [2, 1, 1] });
  });

  it('groups by the UTC month of first entry, with rates', () => {
    const potential = conversionByStage(stays, 'strict', {}).find((c) => c.stage === 'POTENTIAL')!;
    expect(potential.toNextRate).toBeCloseTo(2 / 3, 12);
    expect(potential.cohorts).toEqual([
      { cohort: '2024-01', entered: 2, reachedNext: 2, won: 1, toNextRate: 1, toWonRate: 0.5 },
      { cohort: '2024-02', entered: 1, reachedNext: 0, won: 0, toNextRate: 0, toWonRate: 0 },
    ]);
  });

  it('takes only deals whose first entry lies in the period [from, to)', () => {
    const february = counts('strict', { from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z') });
    expect(february).toMatchObject({ TARGET: [1, 1, 0], POTENTIAL: [1, 0, 0], INTENT: [1, 1, 0], APPROVED: [1, 1, 1] });
    expect(counts('strict', { to: new Date('2024-01-07T00:00:00Z') }).TARGET).toEqual([1, 1, 1]);
  });
});

describe('stage passes', () => {
  // Jumped from INTENT to APPROVED on Feb 1, moved back to PROJECT on Feb 5, APPROVED again Feb 9.
  const bounced = journey('d4', ['INTENT', '2024-01-20'], ['APPROVED', '2024-02-01'], ['PROJECT', '2024-02-05'], ['APPROVED', '2024-02-09']);

  it('strict: only stays; any: also the instant of a jump over the stage', () => {
    expect(stagePasses(bounced, 'strict').get('PROJECT')).toEqual([new Date('2024-02-05T00:00:00Z')]);
    expect(stagePasses(bounced, 'any').get('PROJECT')).toEqual([new Date('2024-02-01T00:00:00Z'), new Date('2024-02-05T00:00:00Z')]);
    expect(firstPass(bounced, 'APPROVED', 'strict')).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(firstPass(bounced, 'TARGET', 'any')).toBeUndefined();
  });

  it('a regression does not pass the stages it moves back over', () => {
    const back = journey('d5', ['APPROVED', '2024-01-01'], ['INTENT', '2024-01-05']);
    expect(stagePasses(back, 'any').get('PROJECT')).toBeUndefined();
  });
});
