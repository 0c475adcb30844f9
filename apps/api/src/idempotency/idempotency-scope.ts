import { createHash } from 'node:crypto';
import { canonicalJson } from '@funnel/event-store/canonical-json';
import { deterministicUuid } from './deterministic-uuid';

/** One use of an Idempotency-Key: whose, on which route, with which body. */
export interface IdempotencyScope {
  key: string;
  actor: string;
  /** Method and path, e.g. "POST /v1/deals/<id>/visits". */
  route: string;
  /** sha256 of the canonical JSON of the body. */
  requestHash: string;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? {})).digest('hex');
}

/** An id that this use of the key always gets for `purpose` (e.g. "event:0", "deal"). */
export function scopedUuid(scope: IdempotencyScope, purpose: string): string {
  return deterministicUuid(scope.actor, scope.route, scope.key, purpose);
}
