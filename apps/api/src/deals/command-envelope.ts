import { Actor } from '../auth/actor';
import { IdempotencyScope } from '../idempotency/idempotency-scope';

/** Everything about a command that is not its data: who, in reply to what, under which conditions. */
export interface CommandEnvelope {
  actor: Actor;
  correlationId: string;
  /** The request id: the direct cause of the events the command appends. */
  causationId: string;
  /** From If-Match: the command applies only to this revision of the deal. */
  expectedRevision?: number;
  /** From Idempotency-Key. */
  idempotency?: IdempotencyScope;
}

/** What a command answers: 201 with this body, ETag = revision. */
export interface DealCommandResult {
  dealId: string;
  revision: number;
  position: string;
}
