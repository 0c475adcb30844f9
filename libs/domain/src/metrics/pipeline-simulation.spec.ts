import { journey } from './stage-journey.testing';
import { learnArrivals, learnTransitions, simulatePipeline, summarizeRuns } from './pipeline-simulation';

describe('the pipeline Monte Carlo', () => {
  // TARGET stays seen so far: 2 days then LOST, 5 days then WON, 20 days then WON.
  const stays = [
    ...journey('x', ['TARGET', '2024-01-01'], ['LOST', '2024-01-03']),
    ...journey('y', ['TARGET', '2024-01-01'], ['WON', '2024-01-06']),
    ...journey('z', ['TARGET', '2024-01-01'], ['WON', '2024-01-21']),
    ...journey('open', ['TARGET', '2024-01-01']),
  ];
  const asOf = new Date('2024-02-01T00:00:00Z');
  const transitions = learnTransitions(stays, asOf);
  const none = { windowDays: 0, currencies: [] };
  const chanceWithin10 = (ageDays: number) => {
    const [eur] = simulatePipeline([{ stage: 'TARGET', ageDays, amount: 1, currency: 'EUR' }], transitions, none, { horizonsDays: [10], runs: 4000, seed: 42 });
    return summarizeRuns(eur.byHorizon[0].fromOpen).expected;
  };

  it('learns each stage from its completed stays only', () => {
    expect(transitions.counts).toMatchObject({ TARGET: 3, POTENTIAL: 0 });
  });

  it('draws only among the stays that lasted longer than the deal has waited', () => {
    // New (age 0): 1 in 3 stays ends WON within 10 days. Age 3: the 2-day stay is ruled out, 1 in 2.
    expect(chanceWithin10(0)).toBeCloseTo(1 / 3, 1);
    expect(chanceWithin10(3)).toBeCloseTo(1 / 2, 1);
    // Age 25: no stay seen lasted that long, so history says nothing: not counted as won.
    expect(chanceWithin10(25)).toBe(0);
  });

  it('gives the same runs for the same seed, and other runs for another', () => {
    const run = (seed: number) =>
      Array.from(simulatePipeline([{ stage: 'TARGET', ageDays: 0, amount: 1, currency: 'EUR' }], transitions, none, { horizonsDays: [30], runs: 50, seed })[0].byHorizon[0].fromOpen);
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('learns arrival rates per currency over the look-back, or since the first opening when history is shorter', () => {
    const openings = [
      { openedAt: new Date('2024-01-11T00:00:00Z'), amount: 100, currency: 'EUR' },
      { openedAt: new Date('2024-01-21T00:00:00Z'), amount: 300, currency: 'EUR' },
      { openedAt: new Date('2024-01-26T00:00:00Z'), amount: 50, currency: 'USD' },
    ];
    // 21 days from the first opening to asOf: EUR 2/21 a day, USD 1/21.
    expect(learnArrivals(openings, asOf, 365)).toEqual({
      windowDays: 21,
      currencies: [
        { currency: 'EUR', perDay: 2 / 21, amounts: [100, 300] },
        { currency: 'USD', perDay: 1 / 21, amounts: [50] },
      ],
    });
    // A 10-day look-back keeps only the openings since 01-22.
    expect(learnArrivals(openings, asOf, 10).currencies).toEqual([{ currency: 'USD', perDay: 0.1, amounts: [50] }]);
  });

  it('adds deals not yet opened: their expected count is rate × horizon', () => {
    const always = learnTransitions(journey('w', ['TARGET', '2024-01-01'], ['WON', '2024-01-01']), asOf);
    const arrivals = { windowDays: 10, currencies: [{ currency: 'EUR', perDay: 2, amounts: [10] }] };
    // Every new deal wins at once: WON amount = 10 × Poisson(2 × 30) → mean 600.
    const [eur] = simulatePipeline([], always, arrivals, { horizonsDays: [30], runs: 2000, seed: 3 });
    expect(summarizeRuns(eur.byHorizon[0].fromNew).expected / 600).toBeCloseTo(1, 1);
  });
});
