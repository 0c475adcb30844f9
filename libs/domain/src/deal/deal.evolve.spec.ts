/** Folding a stream: what a deal is after its events. */
import { DealEvent } from './deal.events';
import { evolve, foldDeal } from './deal.evolve';
import { initialState } from './deal.state';
import { OPENED_AT, day, dealIn, dealOpened, enteredAt, paymentConfirmed, roleWithdrawn, visitRecorded } from '../testing/deal-fixtures';
import { OpenDealState } from './deal.state';

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

  it('keeps the business time of every version of the facts that change', () => {
    const state = foldDeal([...dealIn('APPROVED'), roleWithdrawn('p-wang', 'COACH', day(53))]) as OpenDealState;
    expect(state.history.projectInitiations.map((p) => p.occurredAt)).toEqual([day(31)]);
    expect(state.history.procurementTimetables.map((t) => t.occurredAt)).toEqual([day(32)]);
    expect(state.history.stakeholderChanges.map((c) => [c.change, c.personId, c.occurredAt])).toEqual([
      ['IDENTIFIED', 'p-zhao', day(40)],
      ['IDENTIFIED', 'p-wang', day(40)],
      ['ROLE_WITHDRAWN', 'p-wang', day(53)],
    ]);
    expect(state.history.visitReviews.map((r) => [r.visitId, r.occurredAt])).toEqual([['visit-1', day(12)]]);
    expect(state.history.assessments.map((a) => [a.kind, a.occurredAt])).toEqual([
      ['REAL', day(30)],
      ['WORTH', day(30)],
      ['COMPETE', day(30)],
      ['WIN', day(30)],
    ]);
    expect(state.stakeholders.find((s) => s.personId === 'p-wang')?.roles).toEqual(['USER']);
    expect(JSON.parse(JSON.stringify(state.history))).toEqual(state.history);
    const negotiating = foldDeal(dealIn('NEGOTIATION')) as OpenDealState;
    expect(negotiating.history.negotiationConditions).toHaveLength(7);
    expect(negotiating.history.negotiationConditions.every((c) => c.occurredAt === day(55))).toBe(true);
  });

  it('does not change the state it is given', () => {
    const before = foldDeal([dealOpened()]);
    const snapshot = JSON.stringify(before);
    evolve(before, paymentConfirmed());
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});
