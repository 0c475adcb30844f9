/** Folding a stream: what a deal is after its events. */
import { DealEvent } from './deal.events';
import { evolve, foldDeal } from './deal.evolve';
import { initialState } from './deal.state';
import { OPENED_AT, dealIn, dealOpened, enteredAt, paymentConfirmed, visitRecorded } from '../testing/deal-fixtures';

describe('folding a deal', () => {
  it('knows no deal before DealOpened, and ignores anything before it', () => {
    expect(foldDeal([])).toEqual({ status: 'none' });
    expect(evolve(initialState, visitRecorded())).toEqual({ status: 'none' });
  });

  it('opens in TARGET under the playbook version of the opening', () => {
    expect(foldDeal([dealOpened()])).toMatchObject({
      status: 'open',
      stage: 'TARGET',
      openedAt: OPENED_AT,
      lastStageChangeAt: OPENED_AT,
      playbookVersion: '2026.1',
      owner: 'rep-ann',
      amount: 480000,
      currency: 'CNY',
    });
  });

  it('follows the stage changes and remembers when the last one happened', () => {
    expect(foldDeal(dealIn('NEGOTIATION'))).toMatchObject({ status: 'open', stage: 'NEGOTIATION', lastStageChangeAt: enteredAt('NEGOTIATION') });
  });

  it('keeps the stage a lost deal left from, with the reason', () => {
    const lostAt = '2026-02-26T10:00:00.000Z';
    const events: DealEvent[] = [...dealIn('NEGOTIATION'), { type: 'DealLost', data: { from: 'NEGOTIATION', reason: 'price', competitor: 'Rival Soft', occurredAt: lostAt } }];
    expect(foldDeal(events)).toMatchObject({
      status: 'lost',
      stage: 'NEGOTIATION',
      lastStageChangeAt: lostAt,
      lost: { reason: 'price', competitor: 'Rival Soft', occurredAt: lostAt },
    });
  });

  it('does not change the state it is given', () => {
    const before = foldDeal([dealOpened()]);
    const snapshot = JSON.stringify(before);
    evolve(before, paymentConfirmed());
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});
