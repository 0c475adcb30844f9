import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiRequest } from '../auth/api-request';

/**
 * Rate limits per token, per IP without one. Registered after AuthGuard, so an authenticated
 * request counts against its subject (however many tokens it holds) and a public one against its
 * IP; a request with a bad token is answered 401 before it costs anything.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const actor = (request as unknown as ApiRequest).actor;
    return actor ? `sub:${actor.id}` : `ip:${await super.getTracker(request)}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      {
        statusCode: 429,
        code: 'TOO_MANY_REQUESTS',
        message: `more than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} s; retry after ${detail.timeToBlockExpire} s (Retry-After)`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
