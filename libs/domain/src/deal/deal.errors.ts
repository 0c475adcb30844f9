/**
 * Why a command was refused. One error class with a stable `code`; a gate refusal also lists
 * every unmet criterion. The API maps every DomainError to HTTP 422.
 */
import { UnmetCriterion } from './deal.events';

export const DOMAIN_ERROR_CODES = [
  // the stream
  'DEAL_NOT_FOUND', // a command other than OpenDeal on a stream without DealOpened
  'DEAL_ALREADY_OPENED',
  'DEAL_CLOSED', // the deal is won or lost and the command does not apply to it
  'DEAL_NOT_LOST', // ReopenDeal on a deal that is not lost
  'INVALID_COMMAND', // a field is missing or malformed; the message names it
  // business time
  'INVALID_OCCURRED_AT',
  'OCCURRED_AT_IN_FUTURE',
  'OCCURRED_AT_BEFORE_OPENED',
  'OCCURRED_AT_BEFORE_LAST_STAGE_CHANGE',
  'OCCURRED_AT_BEFORE_LAST_REASSIGNMENT',
  // stages and gates
  'GATE_NOT_MET',
  'STAGE_SKIP_REQUIRES_OVERRIDE',
  'OVERRIDE_NOT_ALLOWED', // only a manager may override
  'WON_REQUIRES_FACTS', // no override into WON: signing is not closing
  'INVALID_STAGE_TRANSITION',
  'REASON_REQUIRED',
  // facts
  'VISIT_NOT_FOUND',
  'VISIT_ALREADY_RECORDED',
  'VISIT_ALREADY_REVIEWED',
  'UNKNOWN_CHARACTERISTIC',
  'UNKNOWN_CRITERION',
  'INCOMPLETE_ASSESSMENT',
  'UNKNOWN_COMPETITOR',
  'ECONOMIC_BUYER_ALREADY_ACTIVE',
  'BUYING_ROLE_LIMIT_REACHED',
  'STAKEHOLDER_NOT_FOUND',
  'ROLE_NOT_HELD',
  'UNKNOWN_MILESTONE',
  'UNKNOWN_EVALUATION_CATEGORY',
  'UNKNOWN_NEGOTIATION_CONDITION',
  'UNKNOWN_STAGE_ACTION',
  'QUOTE_ALREADY_SUBMITTED',
  'CONTRACT_ALREADY_SIGNED',
  'FINANCE_ROLE_REQUIRED', // a payment is confirmed by finance
  'SHIPMENT_ALREADY_RECORDED',
  'OWNER_UNCHANGED',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Every unmet gate criterion, for gate refusals; empty otherwise. */
    readonly unmet: UnmetCriterion[] = [],
  ) {
    super(message);
    Object.setPrototypeOf(this, DomainError.prototype);
  }

  toJSON(): { code: DomainErrorCode; message: string; unmet: UnmetCriterion[] } {
    return { code: this.code, message: this.message, unmet: this.unmet };
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
