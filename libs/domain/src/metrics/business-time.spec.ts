import { daysBetween, formatDays, isoMonth, weeksBetween } from './business-time';

describe('business time', () => {
  it('measures fractional days of elapsed time, DST-proof', () => {
    expect(daysBetween(new Date('2024-03-30T00:00:00Z'), new Date('2024-04-01T12:00:00Z'))).toBe(2.5);
    expect(daysBetween(new Date('2024-02-01T00:00:00+01:00'), new Date('2024-02-01T00:00:00Z'))).toBeCloseTo(1 / 24, 12);
  });

  it('counts weeks as days / 7', () => {
    expect(weeksBetween(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-11T00:00:00Z'))).toBe(10 / 7);
    expect(weeksBetween(new Date('2024-01-01T00:00:00Z'), new Date('2024-03-25T00:00:00Z'))).toBe(12);
  });

  it('writes days for people and months for cohorts', () => {
    expect(formatDays(48)).toBe('48 days');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(2.46)).toBe('2.5 days');
    expect(isoMonth(new Date('2024-01-31T23:30:00-02:00'))).toBe('2024-02');
  });
});
