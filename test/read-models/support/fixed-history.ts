/**
 * Three deals with hand-picked times, small enough to check every row by hand:
 * A goes all the way to WON (a regression, a repeat stay, an override skip, a new owner);
 * B is lost and reopened; C was just opened.
 */
import { story } from './deal-story';

export const DEAL_A = 'aaaaaaaa-0000-4000-8000-000000000001';
export const DEAL_B = 'bbbbbbbb-0000-4000-8000-000000000002';
export const DEAL_C = 'cccccccc-0000-4000-8000-000000000003';

export const dealA = story(DEAL_A)
  .opened('2025-01-01T09:00:00.000Z', { owner: 'rep-ann', team: 'north', amount: 100_000, currency: 'EUR', region: 'EMEA', industry: 'manufacturing', size: '200-500 employees' })
  .visit('2025-01-03T10:00:00.000Z', 'v-1')
  .advanced('2025-01-10T09:00:00.000Z', 'POTENTIAL')
  .visitReviewed('2025-01-11T09:00:00.000Z', 'v-1')
  .advanced('2025-01-20T09:00:00.000Z', 'INTENT')
  .regressed('2025-02-01T09:00:00.000Z', 'POTENTIAL')
  .reassigned('2025-02-05T09:00:00.000Z', 'rep-ann', 'rep-bo', 'south')
  .advanced('2025-02-10T09:00:00.000Z', 'INTENT')
  .forecast('2025-02-11T09:00:00.000Z', 40, '2025-06-30')
  .advanced('2025-03-01T09:00:00.000Z', 'APPROVED', { by: 'manager-mia', reason: 'strategic account' })
  .visit('2025-03-05T09:00:00.000Z', 'v-2', true)
  .advanced('2025-03-15T09:00:00.000Z', 'NEGOTIATION')
  .forecast('2025-03-20T09:00:00.000Z', 80, '2025-04-15')
  .quote('2025-03-25T09:00:00.000Z')
  .advanced('2025-04-01T09:00:00.000Z', 'WON');

/** B up to its loss; `dealBReopened` is the rest. */
export const dealBUntilLost = story(DEAL_B)
  .opened('2025-01-05T09:00:00.000Z', { owner: 'rep-cy', team: 'north', amount: 40_000, currency: 'EUR', region: 'APAC', industry: 'retail' })
  .advanced('2025-01-15T09:00:00.000Z', 'POTENTIAL')
  .lost('2025-02-01T12:00:00.000Z', 'price', 'Globex');

export const dealBReopened = story(DEAL_B, 'POTENTIAL')
  .reopened('2025-03-01T12:00:00.000Z')
  .forecast('2025-03-02T12:00:00.000Z', 30, '2025-09-30');

export const dealC = story(DEAL_C)
  .opened('2025-02-01T08:00:00.000Z', { owner: 'rep-ann', team: 'north', amount: 5000.5, currency: 'CNY', region: 'CN-EAST', industry: 'energy' })
  .visit('2025-02-02T09:00:00.000Z', 'v-1');

/** Appends the whole fixed history, one event per append, in business-time order. */
export async function appendFixedHistory(append: (dealId: string, events: typeof dealA.events) => Promise<unknown>): Promise<void> {
  for (const [dealId, event] of fixedHistoryInOrder()) await append(dealId, [event]);
}

export function fixedHistoryInOrder() {
  const all = [
    ...dealA.events.map((e) => [DEAL_A, e] as const),
    ...dealBUntilLost.events.map((e) => [DEAL_B, e] as const),
    ...dealBReopened.events.map((e) => [DEAL_B, e] as const),
    ...dealC.events.map((e) => [DEAL_C, e] as const),
  ];
  return all.sort((a, b) => a[1].data.occurredAt.localeCompare(b[1].data.occurredAt));
}
