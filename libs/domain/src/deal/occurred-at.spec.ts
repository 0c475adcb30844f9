/** When things happened: a command may say so, within limits. */
import { DealCommand } from './deal.commands';
import { DealEvent } from './deal.events';
import { dealIn, dealOpened, enteredAt } from '../testing/deal-fixtures';
import { SPEC_NOW, given } from '../testing/decider-specification';

const forecast = (occurredAt?: string): DealCommand => ({
  type: 'UpdateForecast',
  data: { probability: 40, expectedCloseDate: '2026-06-30', ...(occurredAt !== undefined && { occurredAt }) },
});
const recorded = (occurredAt: string): DealEvent[] => [{ type: 'ForecastUpdated', data: { probability: 40, expectedCloseDate: '2026-06-30', occurredAt } }];

describe('occurredAt', () => {
  it('defaults to now', () => {
    given([dealOpened()]).when(forecast()).then(recorded(SPEC_NOW.toISOString()));
  });

  it('may lie in the past, and is kept as an ISO instant in UTC', () => {
    given([dealOpened()]).when(forecast('2026-02-01T18:30:00+08:00')).then(recorded('2026-02-01T10:30:00.000Z'));
  });

  it('may not lie in the future', () => {
    given([dealOpened()]).when(forecast('2026-03-02T10:06:00Z')).thenThrows('OCCURRED_AT_IN_FUTURE');
  });

  it('tolerates a few minutes of clock skew', () => {
    given([dealOpened()]).when(forecast('2026-03-02T10:04:00Z')).then(recorded('2026-03-02T10:04:00.000Z'));
  });

  it('may not lie before the deal was opened', () => {
    given([dealOpened()]).when(forecast('2026-01-05T08:59:59Z')).thenThrows('OCCURRED_AT_BEFORE_OPENED');
  });

  it('must be an instant with a time zone', () => {
    given([dealOpened()]).when(forecast('yesterday')).thenThrows('INVALID_OCCURRED_AT');
    given([dealOpened()]).when(forecast('2026-02-01T10:00:00')).thenThrows('INVALID_OCCURRED_AT');
  });

  it('must name a time, not only a day', () => {
    given([dealOpened()]).when(forecast('2026-02-01')).thenThrows('INVALID_OCCURRED_AT');
  });

  it('must be a real calendar instant: 30 February is not quietly read as 2 March', () => {
    given([dealOpened()]).when(forecast('2026-02-30T10:00:00Z')).thenThrows('INVALID_OCCURRED_AT');
    given([dealOpened()]).when(forecast('2026-02-10T24:00:00Z')).thenThrows('INVALID_OCCURRED_AT');
    given([dealOpened()]).when(forecast('2026-02-28T23:59:59+08:00')).then(recorded('2026-02-28T15:59:59.000Z'));
  });

  it('may date a fact before the last stage change: only stage changes keep their order', () => {
    const before = '2026-01-20T10:00:00.000Z';
    expect(Date.parse(before)).toBeLessThan(Date.parse(enteredAt('PROJECT')));
    given(dealIn('PROJECT')).when(forecast(before)).then(recorded(before));
  });

  it('may not take an advance back before the last stage change', () => {
    given(dealIn('PROJECT'))
      .when({ type: 'AdvanceStage', data: { to: 'APPROVED', occurredAt: '2026-01-20T10:00:00.000Z' } })
      .thenThrows('OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE');
  });
});
