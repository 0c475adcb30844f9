/** Quotes, forecast, negotiation conditions, stage actions, and the facts of closing. */
import { DealCommand } from '../deal.commands';
import { DealEvent } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { OpenDealState } from '../deal.state';
import { conditionConfirmed, contractSigned, dealIn, dealOpened, quoteSubmitted, shipmentRecorded } from '../../testing/deal-fixtures';
import { FINANCE, MANAGER, REP, SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();

describe('submitting a quote', () => {
  it('numbers quotes and records kind, amount, currency and validity', () => {
    given([dealOpened(), quoteSubmitted()])
      .when({ type: 'SubmitQuote', data: { kind: 'FORMAL', amount: 455000, currency: 'CNY', validUntil: '2026-04-30' } })
      .then([{ type: 'QuoteSubmitted', data: { quoteId: 'Q-2', kind: 'FORMAL', amount: 455000, currency: 'CNY', validUntil: '2026-04-30', occurredAt: now } }]);
  });

  it('does not submit the same quote twice', () => {
    given([dealOpened(), quoteSubmitted()]).when({ type: 'SubmitQuote', data: { quoteId: 'Q-1', kind: 'FORMAL', amount: 1, currency: 'CNY' } }).thenThrows('QUOTE_ALREADY_SUBMITTED');
  });

  it('is preliminary or formal', () => {
    given([dealOpened()]).when({ type: 'SubmitQuote', data: { kind: 'ROUGH' as 'FORMAL', amount: 1, currency: 'CNY' } }).thenThrows('INVALID_COMMAND');
  });
});

describe('updating the forecast', () => {
  it('records probability and expected close date, the latest being the forecast', () => {
    given([dealOpened()])
      .when({ type: 'UpdateForecast', data: { probability: 70, expectedCloseDate: '2026-05-15', amount: 470000 } })
      .then([{ type: 'ForecastUpdated', data: { probability: 70, expectedCloseDate: '2026-05-15', amount: 470000, occurredAt: now } }]);
    const state = foldDeal([
      dealOpened(),
      { type: 'ForecastUpdated', data: { probability: 70, expectedCloseDate: '2026-05-15', occurredAt: now } },
      { type: 'ForecastUpdated', data: { probability: 30, expectedCloseDate: '2026-09-15', occurredAt: now } },
    ]) as OpenDealState;
    expect(state.forecast).toMatchObject({ probability: 30, expectedCloseDate: '2026-09-15' });
  });

  it('keeps the probability between 0 and 100 and the date a real date', () => {
    given([dealOpened()]).when({ type: 'UpdateForecast', data: { probability: 101, expectedCloseDate: '2026-05-15' } }).thenThrows('INVALID_COMMAND');
    given([dealOpened()]).when({ type: 'UpdateForecast', data: { probability: 50, expectedCloseDate: '15/05/2026' } }).thenThrows('INVALID_COMMAND');
  });
});

describe('confirming a negotiation entry condition', () => {
  it('records the condition under the playbook version', () => {
    given(dealIn('APPROVED'))
      .when({ type: 'ConfirmNegotiationCondition', data: { conditionId: 'EXECUTIVE_MET', comment: 'lunch with the GM' } })
      .then([{ type: 'NegotiationConditionConfirmed', data: { conditionId: 'EXECUTIVE_MET', comment: 'lunch with the GM', occurredAt: now, playbookVersion: '2026.1' } }]);
  });

  it('records nothing when the condition is already confirmed', () => {
    given([...dealIn('APPROVED'), conditionConfirmed('EXECUTIVE_MET')]).when({ type: 'ConfirmNegotiationCondition', data: { conditionId: 'EXECUTIVE_MET' } }).then([]);
  });

  it('knows only the seven conditions', () => {
    given(dealIn('APPROVED')).when({ type: 'ConfirmNegotiationCondition', data: { conditionId: 'GOLF_PLAYED' } }).thenThrows('UNKNOWN_NEGOTIATION_CONDITION');
  });
});

describe('completing a stage action', () => {
  it('ticks an action of the stage checklist', () => {
    given([dealOpened()])
      .when({ type: 'CompleteStageAction', data: { stage: 'TARGET', actionId: 'TARGET.SCREEN_TARGETS', note: 'fits the manufacturing profile' } })
      .then([
        {
          type: 'StageActionCompleted',
          data: { stage: 'TARGET', actionId: 'TARGET.SCREEN_TARGETS', note: 'fits the manufacturing profile', occurredAt: now, playbookVersion: '2026.1' },
        },
      ]);
  });

  it('records nothing when ticked again', () => {
    const done: DealEvent = { type: 'StageActionCompleted', data: { stage: 'TARGET', actionId: 'TARGET.SCREEN_TARGETS', occurredAt: now, playbookVersion: '2026.1' } };
    given([dealOpened(), done]).when({ type: 'CompleteStageAction', data: { stage: 'TARGET', actionId: 'TARGET.SCREEN_TARGETS' } }).then([]);
  });

  it('knows only the actions of that stage', () => {
    given([dealOpened()]).when({ type: 'CompleteStageAction', data: { stage: 'TARGET', actionId: 'WON.COLLECT_PAYMENT' } }).thenThrows('UNKNOWN_STAGE_ACTION');
  });
});

describe('signing, payment and shipment', () => {
  it('records the signed contract, once', () => {
    given(dealIn('NEGOTIATION'))
      .when({ type: 'SignContract', data: { contractNumber: 'C-1', amount: 470000, currency: 'CNY' } })
      .then([{ type: 'ContractSigned', data: { contractNumber: 'C-1', amount: 470000, currency: 'CNY', occurredAt: now } }]);
    given([...dealIn('NEGOTIATION'), contractSigned()]).when({ type: 'SignContract', data: {} }).thenThrows('CONTRACT_ALREADY_SIGNED');
  });

  it('records a payment confirmed by finance, and who confirmed it', () => {
    given(dealIn('NEGOTIATION'))
      .when({ type: 'ConfirmPayment', data: { amount: 141000, currency: 'CNY', reference: 'bank ref 889' } }, { actor: FINANCE })
      .then([{ type: 'PaymentConfirmed', data: { amount: 141000, currency: 'CNY', confirmedBy: 'finance-fay', reference: 'bank ref 889', occurredAt: now } }]);
  });

  it('does not let sales or a manager confirm a payment', () => {
    const pay: DealCommand = { type: 'ConfirmPayment', data: { amount: 141000, currency: 'CNY' } };
    given(dealIn('NEGOTIATION')).when(pay, { actor: REP }).thenThrows('FINANCE_ROLE_REQUIRED');
    given(dealIn('NEGOTIATION')).when(pay, { actor: MANAGER }).thenThrows('FINANCE_ROLE_REQUIRED');
  });

  it('wants a payment above zero', () => {
    given(dealIn('NEGOTIATION')).when({ type: 'ConfirmPayment', data: { amount: 0, currency: 'CNY' } }, { actor: FINANCE }).thenThrows('INVALID_COMMAND');
  });

  it('numbers shipments and records each once', () => {
    given([...dealIn('NEGOTIATION'), shipmentRecorded()])
      .when({ type: 'RecordShipment', data: { description: 'second batch of licences' } })
      .then([{ type: 'ShipmentRecorded', data: { shipmentId: 'S-2', description: 'second batch of licences', occurredAt: now } }]);
    given([...dealIn('NEGOTIATION'), shipmentRecorded()]).when({ type: 'RecordShipment', data: { shipmentId: 'S-1' } }).thenThrows('SHIPMENT_ALREADY_RECORDED');
  });
});

describe('a won deal', () => {
  const won = dealIn('WON');

  it('is won, with the time it was won', () => {
    expect(foldDeal(won)).toMatchObject({ status: 'won', stage: 'WON', wonAt: '2026-03-01T10:00:00.000Z' });
  });

  it('still takes further payments, shipments and the WON actions', () => {
    given(won).when({ type: 'ConfirmPayment', data: { amount: 200000, currency: 'CNY' } }, { actor: FINANCE }).then([
      { type: 'PaymentConfirmed', data: { amount: 200000, currency: 'CNY', confirmedBy: 'finance-fay', occurredAt: now } },
    ]);
    given(won).when({ type: 'RecordShipment', data: {} }).then([{ type: 'ShipmentRecorded', data: { shipmentId: 'S-2', occurredAt: now } }]);
    given(won).when({ type: 'CompleteStageAction', data: { stage: 'WON', actionId: 'WON.PREPARE_HANDOVER' } }).then([
      { type: 'StageActionCompleted', data: { stage: 'WON', actionId: 'WON.PREPARE_HANDOVER', occurredAt: now, playbookVersion: '2026.1' } },
    ]);
  });

  it('takes nothing else: no regression, no loss, no new facts about the sale', () => {
    const commands: DealCommand[] = [
      { type: 'RegressStage', data: { to: 'NEGOTIATION', reason: 'customer wants to renegotiate' } },
      { type: 'MarkLost', data: { reason: 'cancelled' } },
      { type: 'SubmitQuote', data: { kind: 'FORMAL', amount: 1, currency: 'CNY' } },
      { type: 'AdvanceStage', data: { to: 'WON' } },
    ];
    for (const command of commands) given(won).when(command, { actor: MANAGER }).thenThrows('DEAL_CLOSED');
  });

  it('cannot be reopened: it was never lost', () => {
    given(won).when({ type: 'ReopenDeal', data: {} }).thenThrows('DEAL_NOT_LOST');
  });
});
