/**
 * A small history of forecasts whose outcomes are known, for the forecast endpoints' HTTP specs
 * (every expected number there is worked by hand from this table). EUR, team north, 2024:
 *
 *   W1 ann 100 000  opened 01-01; forecast 01-05 70 % by 02-15, 02-01 90 % by 02-15; WON 02-10
 *   W2 ann  50 000  opened 01-02; forecast 01-06 40 % by 03-01;                       LOST 02-20
 *   W3 bob  80 000  opened 01-03; forecast 01-07 80 % by 02-29;                       WON 03-10 (late)
 *   W4 bob  20 000  opened 01-04; forecast 01-08 20 % by 03-31;                       WON 03-20
 *   W5 bob  60 000  opened 03-01; forecast 03-05 50 % by 09-30;                       open
 */
import { DealEvent } from '@funnel/domain/deal/deal.events';
import { stagesBetween } from '@funnel/domain/playbook/stage';

export const FORECAST_DEALS = {
  W1: 'b0000000-0000-4000-8000-000000000001',
  W2: 'b0000000-0000-4000-8000-000000000002',
  W3: 'b0000000-0000-4000-8000-000000000003',
  W4: 'b0000000-0000-4000-8000-000000000004',
  W5: 'b0000000-0000-4000-8000-000000000005',
} as const;

const at = (day: string) => `2024-${day}T00:00:00.000Z`;

function opened(dealId: string, owner: string, amount: number, day: string): DealEvent {
  return {
    type: 'DealOpened',
    data: { dealId, account: { name: `Account ${dealId.slice(-1)}`, industry: 'manufacturing', region: 'EMEA' }, owner, team: 'north', amount, currency: 'EUR', stage: 'TARGET', playbookVersion: '2026.1', occurredAt: at(day) },
  };
}

const forecast = (probability: number, close: string, day: string): DealEvent => ({
  type: 'ForecastUpdated',
  data: { probability, expectedCloseDate: `2024-${close}`, occurredAt: at(day) },
});

const won = (day: string): DealEvent => ({
  type: 'StageAdvanced',
  data: { from: 'TARGET', to: 'WON', skipped: stagesBetween('TARGET', 'WON'), playbookVersion: '2026.1', occurredAt: at(day) },
});

export const FORECAST_HISTORY: Record<keyof typeof FORECAST_DEALS, DealEvent[]> = {
  W1: [opened(FORECAST_DEALS.W1, 'ann', 100_000, '01-01'), forecast(70, '02-15', '01-05'), forecast(90, '02-15', '02-01'), won('02-10')],
  W2: [opened(FORECAST_DEALS.W2, 'ann', 50_000, '01-02'), forecast(40, '03-01', '01-06'), { type: 'DealLost', data: { from: 'TARGET', reason: 'budget', occurredAt: at('02-20') } }],
  W3: [opened(FORECAST_DEALS.W3, 'bob', 80_000, '01-03'), forecast(80, '02-29', '01-07'), won('03-10')],
  W4: [opened(FORECAST_DEALS.W4, 'bob', 20_000, '01-04'), forecast(20, '03-31', '01-08'), won('03-20')],
  W5: [opened(FORECAST_DEALS.W5, 'bob', 60_000, '03-01'), forecast(50, '09-30', '03-05')],
};
