import { salesVelocity } from './sales-velocity';

describe('sales velocity', () => {
  it('is open deals × average won amount × win rate / median cycle days', () => {
    // 4 × 200 × 0.5 / 40 = 10 per day
    expect(salesVelocity({ openDeals: 4, wonAmounts: [100, 300], winRate: 0.5, medianCycleDays: 40 })).toEqual({
      openDeals: 4,
      averageWonAmount: 200,
      perDay: 10,
    });
  });

  it('is unknown without a won deal or a cycle', () => {
    expect(salesVelocity({ openDeals: 4, wonAmounts: [], winRate: 0.5, medianCycleDays: 40 }).perDay).toBeNull();
    expect(salesVelocity({ openDeals: 4, wonAmounts: [100], winRate: 0.5, medianCycleDays: 0 }).perDay).toBeNull();
    expect(salesVelocity({ openDeals: 4, wonAmounts: [100], winRate: null, medianCycleDays: 3 }).perDay).toBeNull();
  });
});
