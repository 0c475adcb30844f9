import { CreateIdempotencyKeys1732950000000 } from './migrations/1732950000000-create-idempotency-keys';

/** Migrations of the API's own tables, in order. */
export const IDEMPOTENCY_MIGRATIONS = [CreateIdempotencyKeys1732950000000];
