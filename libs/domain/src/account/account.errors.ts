/**
 * Why an account command was refused: one error class with a stable `code`; a phase gate
 * refusal also lists every unmet criterion. The API maps it to 422 (ACCOUNT_NOT_FOUND → 404).
 */
export const ACCOUNT_ERROR_CODES = [
  'ACCOUNT_NOT_FOUND',
  'ACCOUNT_ALREADY_OPENED',
  'ACCOUNT_CLOSED',
  'ACCOUNT_MERGED', // the account lives on in another; act on the survivor
  'INVALID_COMMAND',
  'INVALID_OCCURRED_AT',
  'OCCURRED_AT_IN_FUTURE',
  'OCCURRED_AT_BEFORE_OPENED',
  'OCCURRED_AT_BEFORE_LAST_PHASE_CHANGE',
  'REASON_REQUIRED',
  'PHASE_DECISION_NOT_ALLOWED', // only the roles the phase rules name decide phases
  'PHASE_UNCHANGED',
  'PHASE_GATE_NOT_MET',
  'SUGGESTION_NOT_FOUND',
  'SUGGESTION_NOT_PENDING',
  'SUGGESTION_OUTDATED', // the phase moved since the suggestion was made: dismiss it
  'KEY_PERSON_NOT_FOUND',
  'CANNOT_MERGE_INTO_ITSELF',
] as const;

export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[number];

export interface UnmetPhaseCriterion {
  code: string;
  message: string;
}

export class AccountError extends Error {
  override readonly name = 'AccountError';

  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly unmet: UnmetPhaseCriterion[] = [],
  ) {
    super(message);
    Object.setPrototypeOf(this, AccountError.prototype);
  }

  toJSON(): { code: AccountErrorCode; message: string; unmet: UnmetPhaseCriterion[] } {
    return { code: this.code, message: this.message, unmet: this.unmet };
  }
}
