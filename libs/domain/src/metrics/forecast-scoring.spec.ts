import { RepForecast } from './rep-forecast';
import { binOf, scorableForecasts, scoreForecasts } from './forecast-scoring';

describe('scoring the reps’ forecasts: Brier score, reliability and the Murphy decomposition', () => {
  // Five forecasts whose close dates have passed: 80 % won, 80 % not, 60 % won, 30 % not, 35 % won.
  const five = [
    { probability: 0.8, outcome: 1 as const },
    { probability: 0.8, outcome: 0 as const },
    { probability: 0.6, outcome: 1 as const },
    { probability: 0.3, outcome: 0 as const },
    { probability: 0.35, outcome: 1 as const },
  ];

  it('Brier = mean of (p − o)²: (0.04 + 0.64 + 0.16 + 0.09 + 0.4225) / 5 = 0.2705', () => {
    expect(scoreForecasts(five).brier).toBeCloseTo(0.2705, 12);
  });

  it('bins the forecasts by tenths and shows predicted against observed', () => {
    const { bins, n, won, baseRate } = scoreForecasts(five);
    expect({ n, won, baseRate }).toEqual({ n: 5, won: 3, baseRate: 0.6 });
    expect(bins).toHaveLength(10);
    const used = bins.filter((b) => b.n > 0).map((b) => [b.lower, b.n, b.meanPredicted, b.observedRate]);
    expect(used).toEqual([
      [0.3, 2, expect.closeTo(0.325, 12), 0.5],
      [0.6, 1, 0.6, 1],
      [0.8, 2, 0.8, 0.5],
    ]);
    expect(bins[0]).toEqual({ lower: 0, upper: 0.1, n: 0, meanPredicted: null, observedRate: null });
  });

  it('decomposes: REL 0.08025 − RES 0.04 + UNC 0.24 + WBV 0.00025 − WBC 0.01 = 0.2705 exactly', () => {
    // REL = (2·0.3² + 1·0.4² + 2·0.175²)/5; RES = (2·0.1² + 0.4² + 2·0.1²)/5; UNC = 0.6·0.4;
    // within bin 0.3: WBV = 2·0.025²/5, WBC = 2·(0.025·0.5 + 0.025·0.5)/5. Without the two
    // within-bin terms REL − RES + UNC = 0.28025 ≠ 0.2705: the binned identity is not exact.
    const { decomposition, brier } = scoreForecasts(five);
    const d = decomposition!;
    expect(d.reliability).toBeCloseTo(0.08025, 12);
    expect(d.resolution).toBeCloseTo(0.04, 12);
    expect(d.uncertainty).toBeCloseTo(0.24, 12);
    expect(d.withinBinVariance).toBeCloseTo(0.00025, 12);
    expect(d.withinBinCovariance).toBeCloseTo(0.01, 12);
    expect(d.reliability - d.resolution + d.uncertainty + d.withinBinVariance - d.withinBinCovariance).toBeCloseTo(brier!, 12);
  });

  it('puts 1.0 in the last bin and a tenth on its lower edge', () => {
    expect([0, 0.09, 0.1, 0.3, 0.7, 0.99, 1].map(binOf)).toEqual([0, 0, 1, 3, 7, 9, 9]);
    expect(scoreForecasts([])).toMatchObject({ n: 0, brier: null, decomposition: null });
  });

  describe('which forecasts are scored', () => {
    const forecast = (dealId: string, day: string, probability: number, close: string, revision = 1): RepForecast => ({
      dealId,
      revision,
      occurredAt: new Date(`2024-${day}T00:00:00Z`),
      recordedAt: new Date(`2024-${day}T00:00:00Z`),
      probability,
      expectedCloseDate: close,
      owner: 'ann',
      team: 'north',
      region: 'EMEA',
      industry: 'manufacturing',
    });
    const forecasts = [
      forecast('a', '01-10', 40, '2024-03-31', 1),
      forecast('a', '02-10', 70, '2024-03-31', 2),
      forecast('b', '01-15', 60, '2024-02-29'),
      forecast('c', '01-20', 90, '2024-06-30'), // not due by asOf
    ];
    // a won on its close date (counts: by the end of that day), b won a day late.
    const wonAt = new Map([
      ['a', new Date('2024-03-31T18:00:00Z')],
      ['b', new Date('2024-03-01T09:00:00Z')],
    ]);
    const asOf = new Date('2024-05-01T00:00:00Z');

    it('latest: each deal’s last forecast before the cut-off, once its close date has passed', () => {
      const scored = scorableForecasts(forecasts, wonAt, { selection: 'latest', cutoff: asOf, asOf, period: {} });
      expect(scored.map((s) => [s.dealId, s.probability, s.outcome])).toEqual([
        ['b', 0.6, 0],
        ['a', 0.7, 1],
      ]);
    });

    it('every: each forecast; a cut-off keeps those made before it', () => {
      const every = scorableForecasts(forecasts, wonAt, { selection: 'every', cutoff: asOf, asOf, period: {} });
      expect(every.map((s) => [s.dealId, s.probability])).toEqual([
        ['a', 0.4],
        ['b', 0.6],
        ['a', 0.7],
      ]);
      const early = scorableForecasts(forecasts, wonAt, { selection: 'latest', cutoff: new Date('2024-02-01T00:00:00Z'), asOf, period: {} });
      expect(early.map((s) => [s.dealId, s.probability])).toEqual([
        ['a', 0.4],
        ['b', 0.6],
      ]);
    });
  });
});
