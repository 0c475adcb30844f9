import { mean, median, quantile, ratio, summarize } from './statistics';

describe('descriptive statistics (quantiles by linear interpolation, type 7)', () => {
  it('interpolate between order statistics at h = (n − 1)·p', () => {
    const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(median(oneToTen)).toBe(5.5); // h = 4.5 → 5 + 0.5·(6 − 5)
    expect(quantile(oneToTen, 0.75)).toBeCloseTo(7.75, 10); // h = 6.75 → 7 + 0.75·(8 − 7)
    expect(quantile(oneToTen, 0.9)).toBeCloseTo(9.1, 10); // h = 8.1 → 9 + 0.1·(10 − 9)
  });

  it('match R quantile(c(1, 3, 10), type = 7) on a skewed sample', () => {
    expect(summarize([3, 1, 10])).toEqual({
      n: 3,
      mean: 14 / 3,
      median: 3,
      p75: 6.5, // h = 1.5 → 3 + 0.5·7
      p90: expect.closeTo(8.6, 10), // h = 1.8 → 3 + 0.8·7
    });
  });

  it('give the value itself for one value, and nothing for none', () => {
    expect(summarize([4])).toEqual({ n: 1, mean: 4, median: 4, p75: 4, p90: 4 });
    expect(summarize([])).toEqual({ n: 0, mean: null, median: null, p75: null, p90: null });
    expect(mean([])).toBeNull();
  });

  it('refuse a quantile outside [0, 1]', () => {
    expect(() => quantile([1, 2], 1.2)).toThrow(RangeError);
  });

  it('call 0 out of 0 unknown rather than 0', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 4)).toBe(0.75);
  });
});
