import { Actor } from './actor';

/**
 * The parts of an (Express) HTTP request the API reads, as the correlation middleware and the
 * auth guard leave it. Declared here because Express ships no types of its own.
 */
export interface ApiRequest {
  method: string;
  /** Path and query as received. */
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  header(name: string): string | undefined;
  /** Set by AuthGuard on every non-public route. */
  actor?: Actor;
  /** From `X-Correlation-Id`, or new: ties together everything one user action caused. */
  correlationId?: string;
  /** A new uuid per request: the direct cause of the events it appends. */
  causationId?: string;
}

export interface ApiResponse {
  setHeader(name: string, value: string): unknown;
}
