import { kaplanMeier } from './kaplan-meier';

describe('Kaplan–Meier', () => {
  // Freireich et al. (1963), 6-MP arm: weeks of remission, + = censored. The textbook example
  // (Kleinbaum & Klein, Survival Analysis, ch. 2): median survival 23 weeks.
  const sixMp = '6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+'
    .split(' ')
    .map((t) => ({ time: Number.parseInt(t, 10), event: !t.endsWith('+') }));

  it('reproduces the textbook 6-MP curve and its median of 23 weeks', () => {
    const km = kaplanMeier(sixMp);
    expect(km).toMatchObject({ n: 21, events: 9, censored: 12, median: 23 });
    expect(km.steps.map((s) => [s.time, s.atRisk, s.events])).toEqual([
      [6, 21, 3],
      [7, 17, 1],
      [10, 15, 1],
      [13, 12, 1],
      [16, 11, 1],
      [22, 7, 1],
      [23, 6, 1],
    ]);
    const survival = km.steps.map((s) => s.survival);
    const expected = [18 / 21, 96 / 119, 1344 / 1785, 0.690196, 0.627451, 0.537815, 0.448179];
    survival.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 5));
  });

  it('counts a censoring tied with an event as still at risk, and takes S(t) ≤ 0.5 (not < 0.5)', () => {
    const km = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: true },
      { time: 2, event: false },
      { time: 3, event: true },
    ]);
    // t = 1: 4 at risk → 3/4; t = 2: 3 at risk (the censored one included) → 3/4 · 2/3 = 1/2.
    expect(km.steps[1]).toEqual({ time: 2, atRisk: 3, events: 1, censored: 1, survival: 0.5 });
    expect(km.median).toBe(2);
  });

  it('has no median while fewer than half are known to have had the event', () => {
    const km = kaplanMeier([
      { time: 5, event: true },
      { time: 8, event: false },
      { time: 9, event: false },
    ]);
    expect(km.steps).toHaveLength(1);
    expect(km.steps[0].survival).toBeCloseTo(2 / 3, 12);
    expect(km.median).toBeNull();
    expect(kaplanMeier([]).median).toBeNull();
  });

  it('finds the median where S(t) is exactly one half, though floating point misses it by 1e-16', () => {
    // S(4) = 9/10 · 7/9 · 5/7 = 1/2 exactly; multiplied in floating point it is 0.5000000000000001.
    const days = [2, 3, 3, 4, 4, 6, 6, 6, 6, 6];
    const km = kaplanMeier(days.map((time) => ({ time, event: true })));
    expect(km.steps.map((s) => [s.time, s.atRisk, s.events])).toEqual([[2, 10, 1], [3, 9, 2], [4, 7, 2], [6, 5, 5]]);
    expect(km.median).toBe(4);
  });
});
