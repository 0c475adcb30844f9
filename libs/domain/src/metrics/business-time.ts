/**
 * Durations in business time (events' occurredAt). Days are elapsed time / 86 400 000 ms — exact
 * and fractional, not calendar days, so that daylight-saving shifts and time zones never move a
 * metric. A week is 7 such days.
 */
export const MS_PER_DAY = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MS_PER_DAY;
}

/** (to − from) in days / 7, fractional: a 10-day period is 10/7 ≈ 1.43 weeks. */
export function weeksBetween(from: Date, to: Date): number {
  return daysBetween(from, to) / 7;
}

/** Days shown to people: rounded to one decimal in words ("48 days", "2.5 days"). */
export function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** YYYY-MM-DD of an instant, in UTC. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC calendar month of an instant, "YYYY-MM" (the cohort key of conversion). */
export function isoMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}
