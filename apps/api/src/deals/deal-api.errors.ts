/** Refusals of the HTTP layer around the decider; the exception filter maps them. */

export class DealNotFoundError extends Error {
  constructor(
    readonly dealId: string,
    detail = 'no deal with this id',
  ) {
    super(`Deal ${dealId}: ${detail}`);
    this.name = 'DealNotFoundError';
  }
}

/** The deal changed since the revision the command expected (If-Match, or a lost race). */
export class ConcurrentChangeError extends Error {
  constructor(
    readonly dealId: string,
    readonly expected: number | 'no_stream',
    readonly actual: number | 'no_stream',
  ) {
    super(`Deal ${dealId} is at revision ${actual}, not ${expected}: it changed meanwhile; reload and retry`);
    this.name = 'ConcurrentChangeError';
  }
}
