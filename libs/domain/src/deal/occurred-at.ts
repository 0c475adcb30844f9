/**
 * Business time rules: a command may say when it happened, but not in the future (a little
 * clock skew between devices is tolerated), not before the deal was opened, and a stage change
 * not before the previous one — stage intervals must never overlap.
 */
import { DomainError } from './deal.errors';
import { DealFacts } from './deal.state';

export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/** Date, time and zone; the groups are checked against the calendar, Date.parse would roll 30 Feb over. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/** The command's occurredAt (normalised to ISO UTC), or `now`; refused when in the future. */
export function resolveOccurredAt(given: string | undefined, now: Date): string {
  if (given === undefined) return now.toISOString();
  const at = typeof given === 'string' && isRealInstant(given) ? Date.parse(given) : NaN;
  if (Number.isNaN(at)) {
    throw new DomainError('INVALID_OCCURRED_AT', `occurredAt must be an ISO 8601 instant with a time zone, got "${String(given)}"`);
  }
  if (at > now.getTime() + CLOCK_SKEW_TOLERANCE_MS) {
    throw new DomainError('OCCURRED_AT_IN_FUTURE', `occurredAt ${given} lies in the future`);
  }
  return new Date(at).toISOString();
}

export function assertNotBeforeOpened(occurredAt: string, deal: DealFacts): void {
  if (Date.parse(occurredAt) < Date.parse(deal.openedAt)) {
    throw new DomainError('OCCURRED_AT_BEFORE_OPENED', `occurredAt ${occurredAt} is before the deal was opened (${deal.openedAt})`);
  }
}

/**
 * Stage changes and owner changes keep business-time order among themselves: each stay in a
 * stage is credited to the owner at its entry, which only holds if neither can be dated
 * before the last of the other.
 */
export function assertNotBeforeLastStageChange(occurredAt: string, deal: DealFacts, what = 'a stage change'): void {
  if (Date.parse(occurredAt) < Date.parse(deal.lastStageChangeAt)) {
    throw new DomainError(
      'OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE',
      `${what} at ${occurredAt} would precede the last stage change (${deal.lastStageChangeAt})`,
    );
  }
  if (Date.parse(occurredAt) < Date.parse(deal.ownerSince)) {
    throw new DomainError(
      'OCCURRED_AT_BEFORE_LAST_REASSIGNMENT',
      `${what} at ${occurredAt} would precede the last change of owner (${deal.ownerSince})`,
    );
  }
}

function isRealInstant(text: string): boolean {
  const m = ISO_INSTANT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0, zoneHours = 0, zoneMinutes = 0] = m.slice(1).map((g) => (g === undefined ? undefined : Number(g)));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    zoneHours <= 23 &&
    zoneMinutes <= 59
  );
}
