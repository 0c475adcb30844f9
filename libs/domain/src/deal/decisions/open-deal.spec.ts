import { OpenDeal } from '../deal.commands';
import { DEAL_ID, dealOpened } from '../../testing/deal-fixtures';
import { SPEC_NOW, given } from '../../testing/decider-specification';

const openDeal = (data: Partial<OpenDeal['data']> = {}): OpenDeal => ({
  type: 'OpenDeal',
  data: {
    dealId: DEAL_ID,
    account: { name: 'Hangzhou Precision Castings', industry: 'Manufacturing', region: 'East China', size: '800 employees' },
    owner: 'rep-ann',
    team: 'east',
    amount: 480000,
    currency: 'CNY',
    source: 'trade fair',
    ...data,
  },
});

describe('opening a deal', () => {
  it('starts it in TARGET under the current playbook', () => {
    given([]).when(openDeal()).then([dealOpened({ occurredAt: SPEC_NOW.toISOString() })]);
  });

  it('may record an opening in the past, but not in the future', () => {
    given([]).when(openDeal({ occurredAt: '2026-01-05T09:00:00Z' })).then([dealOpened()]);
    given([]).when(openDeal({ occurredAt: '2026-03-03T10:00:00Z' })).thenThrows('OCCURRED_AT_IN_FUTURE');
  });

  it('happens once per stream', () => {
    given([dealOpened()]).when(openDeal()).thenThrows('DEAL_ALREADY_OPENED');
  });

  it('needs a uuid, an account, an owner, a team, an amount and an ISO currency', () => {
    given([]).when(openDeal({ dealId: 'deal-42' })).thenThrows('INVALID_COMMAND');
    given([]).when(openDeal({ account: { name: '', industry: 'x', region: 'y' } })).thenThrows('INVALID_COMMAND');
    given([]).when(openDeal({ owner: '' })).thenThrows('INVALID_COMMAND');
    given([]).when(openDeal({ amount: -1 })).thenThrows('INVALID_COMMAND');
    expect(given([]).when(openDeal({ currency: 'yuan' })).thenThrows('INVALID_COMMAND').message).toContain('currency');
  });

  it('refuses an amount no ledger could hold, which the read models could not store either', () => {
    given([]).when(openDeal({ amount: 1e15 })).then([dealOpened({ amount: 1e15, occurredAt: SPEC_NOW.toISOString() })]);
    expect(given([]).when(openDeal({ amount: 1e15 + 1 })).thenThrows('INVALID_COMMAND').message).toContain('amount');
    given([]).when(openDeal({ amount: 1e308 })).thenThrows('INVALID_COMMAND');
  });

  it('is the only command a stream without a deal accepts', () => {
    given([]).when({ type: 'RecordCustomerInterest', data: { interested: true, agreesToBuy: true, talkingToVendors: true } }).thenThrows('DEAL_NOT_FOUND');
    given([]).when({ type: 'AdvanceStage', data: { to: 'POTENTIAL' } }).thenThrows('DEAL_NOT_FOUND');
  });
});
