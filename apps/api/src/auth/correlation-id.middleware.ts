import { Injectable, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiRequest, ApiResponse } from './api-request';

export const CORRELATION_HEADER = 'X-Correlation-Id';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Anything a caller could sensibly use as an id; other values are replaced, never stored. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request its correlation id (the caller's `X-Correlation-Id`, or a new uuid) and
 * a new request id that becomes the causation id of the events it appends; both are echoed.
 * Runs before the guard, so even a 401 carries them.
 */
@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(request: ApiRequest, response: ApiResponse, next: () => void): void {
    const given = request.header(CORRELATION_HEADER);
    request.correlationId = given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    request.causationId = randomUUID();
    response.setHeader(CORRELATION_HEADER, request.correlationId);
    response.setHeader(REQUEST_ID_HEADER, request.causationId);
    next();
  }
}
