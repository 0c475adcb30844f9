/** Backward with a reason, out as lost, back in where it left, and a new owner. */
import { DealCommand } from '../deal.commands';
import { foldDeal } from '../deal.evolve';
import { DealEvent } from '../deal.events';
import { dealIn, dealOpened, enteredAt, stageAdvanced } from '../../testing/deal-fixtures';
import { MANAGER, SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();
const lostInIntent: DealEvent[] = [
  ...dealIn('INTENT'),
  { type: 'DealLost', data: { from: 'INTENT', reason: 'budget cut', competitor: 'Rival Soft', occurredAt: '2026-02-10T10:00:00.000Z' } },
];

describe('regressing a deal', () => {
  it('moves it back with the reason recorded', () => {
    given(dealIn('PROJECT'))
      .when({ type: 'RegressStage', data: { to: 'POTENTIAL', reason: 'budget frozen until Q3' } })
      .then([{ type: 'StageRegressed', data: { from: 'PROJECT', to: 'POTENTIAL', skipped: ['INTENT'], reason: 'budget frozen until Q3', occurredAt: now } }]);
  });

  it('needs a reason', () => {
    given(dealIn('PROJECT')).when({ type: 'RegressStage', data: { to: 'POTENTIAL', reason: '' } }).thenThrows('REASON_REQUIRED');
  });

  it('only goes backwards', () => {
    given(dealIn('PROJECT')).when({ type: 'RegressStage', data: { to: 'PROJECT', reason: 'x' } }).thenThrows('INVALID_STAGE_TRANSITION');
    given(dealIn('PROJECT')).when({ type: 'RegressStage', data: { to: 'APPROVED', reason: 'x' } }).thenThrows('INVALID_STAGE_TRANSITION');
  });

  it('lets the deal advance again through the gate, its facts still recorded', () => {
    const regressed: DealEvent = { type: 'StageRegressed', data: { from: 'PROJECT', to: 'INTENT', skipped: [], reason: 'approval withdrawn', occurredAt: '2026-02-20T10:00:00.000Z' } };
    given([...dealIn('PROJECT'), regressed]).when({ type: 'AdvanceStage', data: { to: 'PROJECT' } }).then([stageAdvanced('INTENT', 'PROJECT', now)]);
  });
});

describe('losing a deal', () => {
  it('takes it out of the funnel from its stage, with the reason and the competitor that won', () => {
    given(dealIn('APPROVED'))
      .when({ type: 'MarkLost', data: { reason: 'lost on price', competitor: 'Rival Soft' } })
      .then([{ type: 'DealLost', data: { from: 'APPROVED', reason: 'lost on price', competitor: 'Rival Soft', occurredAt: now } }]);
  });

  it('works from TARGET and without a known competitor', () => {
    given([dealOpened()])
      .when({ type: 'MarkLost', data: { reason: 'not a fit after all' } })
      .then([{ type: 'DealLost', data: { from: 'TARGET', reason: 'not a fit after all', occurredAt: now } }]);
  });

  it('needs a reason', () => {
    given([dealOpened()]).when({ type: 'MarkLost', data: { reason: ' ' } }).thenThrows('REASON_REQUIRED');
  });

  it('closes the deal to every command but reopening', () => {
    const commands: DealCommand[] = [
      { type: 'AdvanceStage', data: { to: 'PROJECT' } },
      { type: 'RecordCustomerInterest', data: { interested: true, agreesToBuy: true, talkingToVendors: false } },
      { type: 'MarkLost', data: { reason: 'again' } },
      { type: 'ConfirmPayment', data: { amount: 10, currency: 'CNY' } },
    ];
    for (const command of commands) given(lostInIntent).when(command, { actor: { id: 'x', roles: ['manager', 'finance'] } }).thenThrows('DEAL_CLOSED');
  });
});

describe('reopening a lost deal', () => {
  it('brings it back at the stage it was lost from', () => {
    given(lostInIntent)
      .when({ type: 'ReopenDeal', data: { reason: 'the winner failed to deliver' } })
      .then([{ type: 'DealReopened', data: { to: 'INTENT', reason: 'the winner failed to deliver', occurredAt: now } }]);
    const reopened = foldDeal([...lostInIntent, { type: 'DealReopened', data: { to: 'INTENT', occurredAt: now } }]);
    expect(reopened).toMatchObject({ status: 'open', stage: 'INTENT', lastStageChangeAt: now });
    expect(reopened).not.toHaveProperty('lost');
  });

  it('is refused for a deal that is not lost', () => {
    given(dealIn('INTENT')).when({ type: 'ReopenDeal', data: {} }).thenThrows('DEAL_NOT_LOST');
  });
});

describe('reassigning the owner', () => {
  it('records the previous and the new owner', () => {
    given([dealOpened()])
      .when({ type: 'ReassignOwner', data: { to: 'rep-bob', team: 'north', reason: 'territory change' } }, { actor: MANAGER })
      .then([{ type: 'OwnerReassigned', data: { from: 'rep-ann', to: 'rep-bob', team: 'north', reason: 'territory change', occurredAt: now } }]);
    const state = foldDeal([dealOpened(), { type: 'OwnerReassigned', data: { from: 'rep-ann', to: 'rep-bob', team: 'north', occurredAt: now } }]);
    expect(state).toMatchObject({ owner: 'rep-bob', team: 'north' });
  });

  it('keeps owner and stage changes in business-time order, so each stay belongs to the owner at its entry', () => {
    const before = new Date(Date.parse(enteredAt('PROJECT')) - 60_000).toISOString();
    given(dealIn('PROJECT'))
      .when({ type: 'ReassignOwner', data: { to: 'rep-bob', occurredAt: before } })
      .thenThrows('OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE');
    const reassignedAt = new Date(Date.parse(enteredAt('PROJECT')) + 3_600_000).toISOString();
    const reassigned: DealEvent[] = [
      ...dealIn('PROJECT'),
      { type: 'OwnerReassigned', data: { from: 'rep-ann', to: 'rep-bob', occurredAt: reassignedAt } },
    ];
    const between = new Date(Date.parse(reassignedAt) - 60_000).toISOString();
    given(reassigned)
      .when({ type: 'ReassignOwner', data: { to: 'rep-cid', occurredAt: between } })
      .thenThrows('OCCURRED_AT_BEFORE_LAST_REASSIGNMENT');
    given(reassigned)
      .when({ type: 'RegressStage', data: { to: 'INTENT', reason: 'budget frozen', occurredAt: between } })
      .thenThrows('OCCURRED_AT_BEFORE_LAST_REASSIGNMENT');
  });

  it('refuses to reassign a deal to its owner', () => {
    given([dealOpened()]).when({ type: 'ReassignOwner', data: { to: 'rep-ann' } }).thenThrows('OWNER_UNCHANGED');
  });
});

describe('stage changes in business time', () => {
  it('may not go back before the last stage change', () => {
    const before = new Date(Date.parse(enteredAt('PROJECT')) - 60_000).toISOString();
    given(dealIn('PROJECT')).when({ type: 'RegressStage', data: { to: 'INTENT', reason: 'r', occurredAt: before } }).thenThrows('OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE');
    given(dealIn('PROJECT')).when({ type: 'MarkLost', data: { reason: 'r', occurredAt: before } }).thenThrows('OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE');
    given(lostInIntent).when({ type: 'ReopenDeal', data: { occurredAt: '2026-02-09T10:00:00.000Z' } }).thenThrows('OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE');
  });

  it('may happen at the very moment of the last one', () => {
    given(dealIn('PROJECT'))
      .when({ type: 'MarkLost', data: { reason: 'r', occurredAt: enteredAt('PROJECT') } })
      .then([{ type: 'DealLost', data: { from: 'PROJECT', reason: 'r', occurredAt: enteredAt('PROJECT') } }]);
  });
});
