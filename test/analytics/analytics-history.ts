/**
 * A small, fixed sales history whose analytics are computed by hand in analytics.http.spec.ts.
 * Business times are in 2024; reports are taken as of 2024-06-01T00:00Z.
 *
 *   D1 ann/north  EUR 100 000  TARGET 01-01 → POTENTIAL 01-05 → INTENT 01-10 → PROJECT 01-15 → APPROVED 01-25 → NEGOTIATION 02-04 → WON 02-14
 *   D2 ann/north  EUR  50 000  TARGET 01-02 → POTENTIAL 01-06 → INTENT 01-11 → PROJECT 01-16 → APPROVED 02-05 → NEGOTIATION 02-10 → LOST 02-20
 *   D3 bob/north  EUR 200 000  TARGET 01-03 → POTENTIAL 01-08 → INTENT 01-13 ⇒ APPROVED 01-23 (override, skipping PROJECT) → NEGOTIATION 02-02 → WON 03-03
 *   D4 bob/north  EUR  80 000  TARGET 01-04 → POTENTIAL 01-09 → INTENT 01-14 → PROJECT 01-19 → LOST 02-18
 *   D5 cid/south  USD  60 000  TARGET 02-01 → POTENTIAL 02-05 → INTENT 02-10 → PROJECT 04-23 (still there); visit 05-20
 *   D6 cid/south  USD  40 000  TARGET 01-05 → POTENTIAL 01-10 → INTENT 01-15 → PROJECT 01-20 ← INTENT 01-25 (regressed) → PROJECT 02-01 → APPROVED 02-16 (still there; forecast 60 %, close 2024-04-30)
 *   D7 ann/north  EUR  30 000  TARGET 05-29 (still there)
 *
 * Visits: D1 01-03 (reviewed), D2 01-04 (reviewed), D3 01-05, D6 01-08, D5 05-20.
 */
import { DealEvent } from '@funnel/domain/deal/deal.events';
import { Stage, stagesBetween } from '@funnel/domain/playbook/stage';

export const AS_OF = '2024-06-01T00:00:00.000Z';

export const DEAL = {
  D1: 'a0000000-0000-4000-8000-000000000001',
  D2: 'a0000000-0000-4000-8000-000000000002',
  D3: 'a0000000-0000-4000-8000-000000000003',
  D4: 'a0000000-0000-4000-8000-000000000004',
  D5: 'a0000000-0000-4000-8000-000000000005',
  D6: 'a0000000-0000-4000-8000-000000000006',
  D7: 'a0000000-0000-4000-8000-000000000007',
} as const;

const PLAYBOOK = 'default/1';
const at = (day: string) => `2024-${day}T00:00:00.000Z`;

function opened(dealId: string, owner: string, team: string, account: string, region: string, amount: number, currency: string, day: string): DealEvent {
  return {
    type: 'DealOpened',
    data: {
      dealId,
      account: { name: account, industry: 'manufacturing', region },
      owner,
      team,
      amount,
      currency,
      stage: 'TARGET',
      playbookVersion: PLAYBOOK,
      occurredAt: at(day),
    },
  };
}

/** Every stage from `from` to the last, one advance per day given. */
function advances(from: Stage, ...steps: [Stage, string][]): DealEvent[] {
  let current = from;
  return steps.map(([to, day]) => {
    const event: DealEvent = {
      type: 'StageAdvanced',
      data: { from: current, to, skipped: stagesBetween(current, to), playbookVersion: PLAYBOOK, occurredAt: at(day) },
    };
    current = to;
    return event;
  });
}

function visit(visitId: string, day: string, reviewed: boolean): DealEvent {
  return {
    type: 'VisitRecorded',
    data: {
      visitId,
      preparation: {
        date: at(day),
        durationMinutes: 60,
        purpose: 'understand the customer',
        agenda: ['introductions'],
        customerAttendees: [{ name: 'Li Wei', department: 'IT', title: 'CIO' }],
        ourAttendees: [{ name: 'seller', role: 'account owner' }],
        materials: [],
      },
      review: reviewed
        ? {
            goalReached: true,
            wentWell: ['rapport'],
            wentBadly: [],
            learned: 'budget is being planned',
            improvementPlan: 'bring a reference customer',
            commitments: [],
            followUps: [],
            thankYouSent: true,
          }
        : undefined,
      occurredAt: at(day),
    },
  };
}

export const HISTORY: Record<keyof typeof DEAL, DealEvent[]> = {
  D1: [
    opened(DEAL.D1, 'ann', 'north', 'Acme Tools', 'EMEA', 100_000, 'EUR', '01-01'),
    visit('v1', '01-03', true),
    ...advances('TARGET', ['POTENTIAL', '01-05'], ['INTENT', '01-10'], ['PROJECT', '01-15'], ['APPROVED', '01-25'], ['NEGOTIATION', '02-04'], ['WON', '02-14']),
  ],
  D2: [
    opened(DEAL.D2, 'ann', 'north', 'Borealis Foods', 'EMEA', 50_000, 'EUR', '01-02'),
    visit('v1', '01-04', true),
    ...advances('TARGET', ['POTENTIAL', '01-06'], ['INTENT', '01-11'], ['PROJECT', '01-16'], ['APPROVED', '02-05'], ['NEGOTIATION', '02-10']),
    { type: 'DealLost', data: { from: 'NEGOTIATION', reason: 'price', competitor: 'Rival', occurredAt: at('02-20') } },
  ],
  D3: [
    opened(DEAL.D3, 'bob', 'north', 'Cobalt Mining', 'EMEA', 200_000, 'EUR', '01-03'),
    visit('v1', '01-05', false),
    ...advances('TARGET', ['POTENTIAL', '01-08'], ['INTENT', '01-13']),
    {
      type: 'StageAdvanced',
      data: {
        from: 'INTENT',
        to: 'APPROVED',
        skipped: ['PROJECT'],
        override: {
          by: 'manager-mia',
          reason: 'the board approved the project in one meeting',
          unmetAtOverride: [{ code: 'APPROVED.WORTH_WINNING', message: 'no "worth winning?" assessment' }],
        },
        playbookVersion: PLAYBOOK,
        occurredAt: at('01-23'),
      },
    },
    ...advances('APPROVED', ['NEGOTIATION', '02-02'], ['WON', '03-03']),
  ],
  D4: [
    opened(DEAL.D4, 'bob', 'north', 'Delta Textiles', 'EMEA', 80_000, 'EUR', '01-04'),
    ...advances('TARGET', ['POTENTIAL', '01-09'], ['INTENT', '01-14'], ['PROJECT', '01-19']),
    { type: 'DealLost', data: { from: 'PROJECT', reason: 'no budget', occurredAt: at('02-18') } },
  ],
  D5: [
    opened(DEAL.D5, 'cid', 'south', 'Everest Plastics', 'APAC', 60_000, 'USD', '02-01'),
    ...advances('TARGET', ['POTENTIAL', '02-05'], ['INTENT', '02-10'], ['PROJECT', '04-23']),
    visit('v1', '05-20', false),
  ],
  D6: [
    opened(DEAL.D6, 'cid', 'south', 'Fuji Castings', 'APAC', 40_000, 'USD', '01-05'),
    visit('v1', '01-08', false),
    ...advances('TARGET', ['POTENTIAL', '01-10'], ['INTENT', '01-15'], ['PROJECT', '01-20']),
    { type: 'StageRegressed', data: { from: 'PROJECT', to: 'INTENT', skipped: [], reason: 'budget frozen', occurredAt: at('01-25') } },
    ...advances('INTENT', ['PROJECT', '02-01'], ['APPROVED', '02-16']),
    { type: 'ForecastUpdated', data: { probability: 60, expectedCloseDate: '2024-04-30', occurredAt: at('02-16') } },
  ],
  D7: [opened(DEAL.D7, 'ann', 'north', 'Granite Glass', 'EMEA', 30_000, 'EUR', '05-29')],
};
