/**
 * decide(command, state, context) → events: what a command means for a deal, or why it is
 * refused (DomainError). Pure: time, actor and playbook come in through the context.
 *
 * The story: a deal is opened in TARGET; facts are recorded while it is open; it moves forward
 * through the playbook's gates, backward with a reason, or out as lost (and back in). Once WON
 * only its aftermath is recorded (further payments, shipments, WON-stage actions); once LOST,
 * only reopening.
 */
import { DealCommand, DealCommandType, DecideContext } from './deal.commands';
import { DomainError } from './deal.errors';
import { DealEvent } from './deal.events';
import { DealState, ExistingDealState, LostDealState, OpenDealState } from './deal.state';
import { submitAssessment } from './decisions/assessment.decision';
import {
  completeStageAction,
  confirmNegotiationCondition,
  confirmPayment,
  recordShipment,
  signContract,
  submitQuote,
  updateForecast,
} from './decisions/commercial.decisions';
import {
  analyzeProblem,
  identifyStakeholder,
  recordCustomerInterest,
  recordCustomerProfile,
  recordProjectInitiation,
  recordVisit,
  reviewVisit,
  withdrawStakeholderRole,
} from './decisions/customer.decisions';
import { advanceStage, markLost, openDeal, reassignOwner, regressStage, reopenDeal } from './decisions/lifecycle.decisions';
import {
  recordCompetitor,
  recordEvaluationCriteria,
  recordProcurementTimetable,
  recordSwot,
} from './decisions/procurement.decisions';
import { assertNotBeforeOpened, resolveOccurredAt } from './occurred-at';

/** What may still be recorded on a WON deal: its aftermath. */
export const COMMANDS_AFTER_WON: readonly DealCommandType[] = ['ConfirmPayment', 'RecordShipment', 'CompleteStageAction'];

export function decide(command: DealCommand, state: DealState, context: DecideContext): DealEvent[] {
  if (command.type === 'OpenDeal') {
    return openDeal(command.data, state, context, resolveOccurredAt(command.data.occurredAt, context.now));
  }
  if (state.status === 'none') throw new DomainError('DEAL_NOT_FOUND', 'no deal has been opened on this stream');
  assertApplies(command.type, state);
  const occurredAt = resolveOccurredAt(command.data.occurredAt, context.now);
  assertNotBeforeOpened(occurredAt, state);
  const { playbook } = context;

  switch (command.type) {
    // moving through the funnel
    case 'AdvanceStage':
      return advanceStage(command.data, open(state), context, occurredAt);
    case 'RegressStage':
      return regressStage(command.data, open(state), occurredAt);
    case 'MarkLost':
      return markLost(command.data, open(state), occurredAt);
    case 'ReopenDeal':
      return reopenDeal(command.data, lost(state), occurredAt);
    case 'ReassignOwner':
      return reassignOwner(command.data, open(state), occurredAt);
    // the customer
    case 'RecordVisit':
      return recordVisit(command.data, state, occurredAt);
    case 'ReviewVisit':
      return reviewVisit(command.data, state, occurredAt);
    case 'RecordCustomerProfile':
      return recordCustomerProfile(command.data, playbook, occurredAt);
    case 'AnalyzeProblem':
      return analyzeProblem(command.data, state, occurredAt);
    case 'RecordCustomerInterest':
      return recordCustomerInterest(command.data, occurredAt);
    case 'RecordProjectInitiation':
      return recordProjectInitiation(command.data, occurredAt);
    case 'IdentifyStakeholder':
      return identifyStakeholder(command.data, state, playbook, occurredAt);
    case 'WithdrawStakeholderRole':
      return withdrawStakeholderRole(command.data, state, occurredAt);
    // our judgement and the buying process
    case 'SubmitAssessment':
      return submitAssessment(command.data, state, playbook, occurredAt);
    case 'RecordProcurementTimetable':
      return recordProcurementTimetable(command.data, playbook, occurredAt);
    case 'RecordEvaluationCriteria':
      return recordEvaluationCriteria(command.data, playbook, occurredAt);
    case 'RecordSwot':
      return recordSwot(command.data, occurredAt);
    case 'RecordCompetitor':
      return recordCompetitor(command.data, occurredAt);
    // commercial
    case 'SubmitQuote':
      return submitQuote(command.data, state, occurredAt);
    case 'UpdateForecast':
      return updateForecast(command.data, occurredAt);
    case 'ConfirmNegotiationCondition':
      return confirmNegotiationCondition(command.data, state, playbook, occurredAt);
    case 'CompleteStageAction':
      return completeStageAction(command.data, state, playbook, occurredAt);
    case 'SignContract':
      return signContract(command.data, state, occurredAt);
    case 'ConfirmPayment':
      return confirmPayment(command.data, context, occurredAt);
    case 'RecordShipment':
      return recordShipment(command.data, state, occurredAt);
    default: {
      const _: never = command;
      throw new DomainError('INVALID_COMMAND', `unknown command ${JSON.stringify(_)}`);
    }
  }
}

/** A closed deal takes only what follows from its closing. */
function assertApplies(type: DealCommandType, deal: ExistingDealState): void {
  if (type === 'ReopenDeal') {
    if (deal.status !== 'lost') throw new DomainError('DEAL_NOT_LOST', `only a lost deal can be reopened; this one is ${deal.status}`);
    return;
  }
  if (deal.status === 'lost') throw new DomainError('DEAL_CLOSED', `the deal was lost; reopen it before ${type}`);
  if (deal.status === 'won' && !COMMANDS_AFTER_WON.includes(type)) {
    throw new DomainError('DEAL_CLOSED', `the deal is won; ${type} no longer applies`);
  }
}

function open(deal: ExistingDealState): OpenDealState {
  if (deal.status !== 'open') throw new DomainError('DEAL_CLOSED', `the deal is ${deal.status}`);
  return deal;
}

function lost(deal: ExistingDealState): LostDealState {
  if (deal.status !== 'lost') throw new DomainError('DEAL_NOT_LOST', `only a lost deal can be reopened; this one is ${deal.status}`);
  return deal;
}
