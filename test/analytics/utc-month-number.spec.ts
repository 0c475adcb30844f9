/**
 * Conversion cohorts are UTC months of an instant (to_char(first_at AT TIME ZONE 'UTC', 'YYYY-MM')
 * in the SQL it replaced); utcMonthNumber() finds them by arithmetic, so it is held to the
 * calendar Date keeps, at every month's first and last instant and in between, leap years included.
 */
import { utcMonthNumber } from '@funnel/read-models/analytics/conversion.query';

const calendar = (ms: number) => {
  const at = new Date(Math.floor(ms));
  return at.getUTCFullYear() * 12 + at.getUTCMonth();
};

describe('utcMonthNumber', () => {
  it('agrees with the UTC calendar at both edges of every month from 1900 to 2200', () => {
    const wrong: string[] = [];
    for (let year = 1900; year < 2200; year++) {
      for (let month = 0; month < 12; month++) {
        const start = Date.UTC(year, month, 1);
        for (const ms of [start, start + 0.5, start - 0.001, start - 1, Date.UTC(year, month, 15, 12)]) {
          if (utcMonthNumber(ms) !== calendar(ms)) wrong.push(`${new Date(Math.floor(ms)).toISOString()} (${ms})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('29 February and the instants around it', () => {
    expect(utcMonthNumber(Date.parse('2024-02-29T23:59:59.999Z'))).toBe(2024 * 12 + 1);
    expect(utcMonthNumber(Date.parse('2024-03-01T00:00:00.000Z'))).toBe(2024 * 12 + 2);
    expect(utcMonthNumber(Date.parse('2100-02-28T23:59:59.999Z'))).toBe(2100 * 12 + 1);
    expect(utcMonthNumber(Date.parse('2100-03-01T00:00:00.000Z'))).toBe(2100 * 12 + 2);
    expect(utcMonthNumber(Date.parse('1969-12-31T23:59:59.999Z'))).toBe(1969 * 12 + 11);
  });
});
