import { CompetingObservation, cumulativeIncidence, incidenceAt } from './aalen-johansen';

describe('Aalen–Johansen cumulative incidence of WON, LOST competing, open deals censored', () => {
  // Six deals that entered a stage, days to their outcome: WON 10, LOST 20, open 20+, WON 30,
  // open 40+, WON 50. By hand (nⱼ at risk, S(tⱼ−) overall survival just before tⱼ):
  //   t=10 n=6 won 1: F = 1·1/6 = 1/6             S = 5/6
  //   t=20 n=5 lost 1 (the open 20+ still at risk): F = 1/6      S = 5/6·4/5 = 2/3
  //   t=30 n=3 won 1: F = 1/6 + 2/3·1/3 = 7/18    S = 2/3·2/3 = 4/9
  //   t=50 n=1 won 1: F = 7/18 + 4/9 = 5/6        S = 0
  // The naive won / (won + lost) says 3/4 at any horizon; "won within 30 days" is 7/18.
  const history: CompetingObservation[] = [
    { time: 10, outcome: 'event' },
    { time: 20, outcome: 'competing' },
    { time: 20, outcome: 'censored' },
    { time: 30, outcome: 'event' },
    { time: 40, outcome: 'censored' },
    { time: 50, outcome: 'event' },
  ];
  const curve = cumulativeIncidence(history);

  it('steps up only at WON times, weighted by the share still undecided', () => {
    expect(curve).toMatchObject({ n: 6, events: 3, competing: 1, censored: 2 });
    expect(curve.steps.map((s) => [s.time, s.atRisk, s.events, s.competing])).toEqual([
      [10, 6, 1, 0],
      [20, 5, 0, 1],
      [30, 3, 1, 0],
      [50, 1, 1, 0],
    ]);
    const expected = [1 / 6, 1 / 6, 7 / 18, 5 / 6];
    curve.steps.forEach((s, i) => expect(s.incidence).toBeCloseTo(expected[i], 12));
  });

  it('gives F(30) = 7/18 with the delta-method variance 31/648 worked by hand', () => {
    // Terms over t = 10, 20, 30 (F(30) − F(tⱼ) = 2/9, 2/9, 0):
    //   10: (2/9)²·1/(6·5) + 1²·1·5/6³ − 2·(2/9)·1·1/6² = 2/1215 + 5/216 − 1/81
    //   20: (2/9)²·1/(5·4)                                = 1/405
    //   30: (2/3)²·1·2/3³                                 = 8/243
    // Sum = (16 + 225 − 120 + 24 + 320) / 9720 = 465/9720 = 31/648.
    const at30 = incidenceAt(curve, history, 30);
    expect(at30.incidence).toBeCloseTo(7 / 18, 12);
    expect(at30.variance).toBeCloseTo(31 / 648, 12);
    expect(at30.atRisk).toBe(3);
    // log(−log) interval: F^exp(∓1.96·se/(F·ln F)), se = √(31/648) = 0.21872.
    expect(at30.lower).toBeCloseTo(0.0481, 4);
    expect(at30.upper).toBeCloseTo(0.7453, 4);
  });

  it('holds the curve flat between steps and is final once everyone has closed', () => {
    expect(incidenceAt(curve, history, 29.9).incidence).toBeCloseTo(1 / 6, 12);
    // Nobody is followed to 90 days, but nobody is undecided after day 50 either: F(90) = 5/6.
    const at90 = incidenceAt(curve, history, 90);
    expect(at90.incidence).toBeCloseTo(5 / 6, 12);
    expect(at90.atRisk).toBe(0);
  });

  it('says nothing past the last follow-up while deals are still open', () => {
    const young = [
      { time: 5, outcome: 'event' as const },
      { time: 8, outcome: 'censored' as const },
    ];
    expect(incidenceAt(cumulativeIncidence(young), young, 30)).toMatchObject({ incidence: null, lower: null, upper: null, atRisk: 0 });
    expect(incidenceAt(cumulativeIncidence([]), [], 30).incidence).toBeNull();
  });

  it('has a zero-width interval when nothing was won (F = 0)', () => {
    const lostAll = [
      { time: 3, outcome: 'competing' as const },
      { time: 4, outcome: 'competing' as const },
    ];
    expect(incidenceAt(cumulativeIncidence(lostAll), lostAll, 30)).toMatchObject({ incidence: 0, variance: 0, lower: 0, upper: 0 });
  });
});
