/**
 * The commercial side: quotes, the forecast, the negotiation entry conditions, the stage
 * checklists, and the three facts that make a deal WON — signed, paid (confirmed by finance),
 * shipped.
 */
import { Playbook, stageDefinition } from '../../playbook/playbook';
import { isStage } from '../../playbook/stage';
import { FINANCE_ROLE } from '../actor-roles';
import { DealCommandData, DecideContext } from '../deal.commands';
import { DomainError } from '../deal.errors';
import { DealEvent } from '../deal.events';
import { ExistingDealState } from '../deal.state';
import { nextId, requireAmount, requireBetween, requireCurrency, requireDate, requireOneOf, requireText } from '../deal.validation';

export function submitQuote(data: DealCommandData<'SubmitQuote'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  const quoteId = data.quoteId ?? nextId('Q', deal.quotes.map((q) => q.quoteId));
  requireText(quoteId, 'quoteId');
  if (deal.quotes.some((q) => q.quoteId === quoteId)) {
    throw new DomainError('QUOTE_ALREADY_SUBMITTED', `quote ${quoteId} is already submitted; a revised quote takes a new id`);
  }
  return [
    {
      type: 'QuoteSubmitted',
      data: {
        quoteId,
        kind: requireOneOf(data.kind, ['PRELIMINARY', 'FORMAL'] as const, 'kind'),
        amount: requireAmount(data.amount, 'amount'),
        currency: requireCurrency(data.currency, 'currency'),
        ...(data.validUntil !== undefined && { validUntil: requireDate(data.validUntil, 'validUntil') }),
        occurredAt,
      },
    },
  ];
}

export function updateForecast(data: DealCommandData<'UpdateForecast'>, occurredAt: string): DealEvent[] {
  return [
    {
      type: 'ForecastUpdated',
      data: {
        probability: requireBetween(data.probability, 0, 100, 'probability'),
        expectedCloseDate: requireDate(data.expectedCloseDate, 'expectedCloseDate'),
        ...(data.amount !== undefined && { amount: requireAmount(data.amount, 'amount') }),
        occurredAt,
      },
    },
  ];
}

/** Confirming a condition twice changes nothing and records nothing. */
export function confirmNegotiationCondition(
  data: DealCommandData<'ConfirmNegotiationCondition'>,
  deal: ExistingDealState,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  if (!playbook.negotiationConditions.some((c) => c.id === data.conditionId)) {
    throw new DomainError(
      'UNKNOWN_NEGOTIATION_CONDITION',
      `${String(data.conditionId)} is not a negotiation entry condition (${playbook.negotiationConditions.map((c) => c.id).join(', ')})`,
    );
  }
  if (deal.negotiationConditions.includes(data.conditionId)) return [];
  return [
    {
      type: 'NegotiationConditionConfirmed',
      data: {
        conditionId: data.conditionId,
        ...(data.comment !== undefined && { comment: data.comment }),
        occurredAt,
        playbookVersion: playbook.version,
      },
    },
  ];
}

/** An action from a stage's checklist; completing it again records nothing. */
export function completeStageAction(
  data: DealCommandData<'CompleteStageAction'>,
  deal: ExistingDealState,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const stage = data.stage;
  const actions = isStage(stage) ? (stageDefinition(playbook, stage)?.actions ?? []) : [];
  if (!actions.some((a) => a.id === data.actionId)) {
    throw new DomainError('UNKNOWN_STAGE_ACTION', `${String(data.actionId)} is not an action of stage ${String(stage)}`);
  }
  if (deal.completedActions.some((a) => a.stage === stage && a.actionId === data.actionId)) return [];
  return [
    {
      type: 'StageActionCompleted',
      data: {
        stage,
        actionId: data.actionId,
        ...(data.note !== undefined && { note: data.note }),
        occurredAt,
        playbookVersion: playbook.version,
      },
    },
  ];
}

export function signContract(data: DealCommandData<'SignContract'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  if (deal.contract) throw new DomainError('CONTRACT_ALREADY_SIGNED', `the contract was signed at ${deal.contract.occurredAt}`);
  return [
    {
      type: 'ContractSigned',
      data: {
        ...(data.contractNumber !== undefined && { contractNumber: data.contractNumber }),
        ...(data.amount !== undefined && { amount: requireAmount(data.amount, 'amount') }),
        ...(data.currency !== undefined && { currency: requireCurrency(data.currency, 'currency') }),
        occurredAt,
      },
    },
  ];
}

/** Only finance confirms a payment (支付首期款并得到财务确认); the event records who did. */
export function confirmPayment(data: DealCommandData<'ConfirmPayment'>, context: DecideContext, occurredAt: string): DealEvent[] {
  if (!context.actor.roles.includes(FINANCE_ROLE)) {
    throw new DomainError('FINANCE_ROLE_REQUIRED', 'a payment is confirmed by finance');
  }
  const amount = requireAmount(data.amount, 'amount');
  if (amount === 0) throw new DomainError('INVALID_COMMAND', 'amount must be above 0');
  return [
    {
      type: 'PaymentConfirmed',
      data: {
        amount,
        currency: requireCurrency(data.currency, 'currency'),
        confirmedBy: context.actor.id,
        ...(data.reference !== undefined && { reference: data.reference }),
        occurredAt,
      },
    },
  ];
}

export function recordShipment(data: DealCommandData<'RecordShipment'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  const shipmentId = data.shipmentId ?? nextId('S', deal.shipments.map((s) => s.shipmentId));
  requireText(shipmentId, 'shipmentId');
  if (deal.shipments.some((s) => s.shipmentId === shipmentId)) {
    throw new DomainError('SHIPMENT_ALREADY_RECORDED', `shipment ${shipmentId} is already recorded`);
  }
  return [
    {
      type: 'ShipmentRecorded',
      data: { shipmentId, ...(data.description !== undefined && { description: data.description }), occurredAt },
    },
  ];
}
