import { winRate } from './win-rate';

describe('win rate', () => {
  it('by count over all deals, by amount per currency', () => {
    expect(
      winRate([
        { status: 'won', amount: 100, currency: 'EUR' },
        { status: 'won', amount: 300, currency: 'EUR' },
        { status: 'lost', amount: 600, currency: 'EUR' },
        { status: 'lost', amount: 50, currency: 'USD' },
        { status: 'won', amount: 150, currency: 'USD' },
      ]),
    ).toEqual({
      won: 3,
      lost: 2,
      byCount: 0.6,
      byAmount: [
        { currency: 'EUR', wonAmount: 400, lostAmount: 600, rate: 0.4 },
        { currency: 'USD', wonAmount: 150, lostAmount: 50, rate: 0.75 },
      ],
    });
  });

  it('is unknown with nothing closed', () => {
    expect(winRate([])).toEqual({ won: 0, lost: 0, byCount: null, byAmount: [] });
  });
});
