/** The key was first used with another body (or route): the two requests are not the same. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used with a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
