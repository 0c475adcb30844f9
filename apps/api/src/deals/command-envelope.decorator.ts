import { BadRequestException, ExecutionContext, InternalServerErrorException, createParamDecorator } from '@nestjs/common';
import { ApiRequest } from '../auth/api-request';
import { IdempotencyScope, requestHash } from '../idempotency/idempotency-scope';
import { CommandEnvelope } from './command-envelope';

/** "3", "\"3\"" or W/"3"; `*` (any revision) sets no condition. */
const IF_MATCH = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The command envelope of the current request: actor (from AuthGuard), correlation and
 * causation ids (from CorrelationIdMiddleware), If-Match and Idempotency-Key. `{ conditional:
 * false }` ignores If-Match (opening a deal has no earlier revision to match).
 */
export const Envelope = createParamDecorator(
  (options: { conditional?: boolean } | undefined, context: ExecutionContext): CommandEnvelope => {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const { actor, correlationId, causationId } = request;
    if (!actor || !correlationId || !causationId) {
      throw new InternalServerErrorException('the request passed neither the auth guard nor the correlation middleware');
    }
    const expectedRevision = options?.conditional === false ? undefined : parseIfMatch(request.header('if-match'));
    const key = request.header('idempotency-key');
    return {
      actor,
      correlationId,
      causationId,
      ...(expectedRevision !== undefined && { expectedRevision }),
      ...(key !== undefined && { idempotency: idempotencyScope(key, request) }),
    };
  },
);

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = IF_MATCH.exec(header);
  if (!match) {
    throw new BadRequestException({
      statusCode: 400,
      code: 'INVALID_IF_MATCH',
      message: `If-Match must be the ETag of the deal, e.g. "3"; got ${header}`,
    });
  }
  return Number(match[1]);
}

function idempotencyScope(key: string, request: ApiRequest): IdempotencyScope {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestException({
      statusCode: 400,
      code: 'INVALID_IDEMPOTENCY_KEY',
      message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
    });
  }
  return {
    key,
    actor: request.actor!.id,
    route: `${request.method} ${request.originalUrl.split('?')[0]}`,
    // The body as sent (before validation turned it into a DTO), canonicalised.
    requestHash: requestHash(request.body),
  };
}
