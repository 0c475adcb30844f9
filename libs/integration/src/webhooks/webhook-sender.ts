import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isInwardAddress } from './webhook-target';

export interface WebhookCall {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface CallOutcome {
  /** The answer's status, or null when none came (refused, timed out, connection failed). */
  statusCode: number | null;
  durationMs: number;
  /** Why the call failed; null on a 2xx. */
  error: string | null;
}

/**
 * One POST, with a timeout for the whole call. Redirects are not followed (a 3xx is a failure:
 * a receiver that moved must be re-registered, not silently followed somewhere else). The
 * answer's body is read and dropped, up to a small limit.
 */
export function sendWebhook(call: WebhookCall, options: { timeoutMs: number; allowPrivate: boolean }): Promise<CallOutcome> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  return new Promise((resolve) => {
    let settled = false;
    const done = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, durationMs: elapsed(), error });
    };
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      return done(null, 'invalid url');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) && isInwardAddress(host)) {
      return done(null, `refused: ${host} is a private, loopback or link-local address`);
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...call.headers, 'Content-Length': Buffer.byteLength(call.body).toString() },
        lookup: guardedLookup(options.allowPrivate) as unknown as http.RequestOptions['lookup'],
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 64 * 1024) response.destroy();
        });
        const finish = () =>
          status >= 200 && status < 300
            ? done(status, null)
            : done(status, status >= 300 && status < 400 ? `redirect to ${response.headers.location ?? '?'} not followed` : `HTTP ${status}`);
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      done(null, `no answer within ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    request.on('error', (error) => done(null, error.message));
    request.end(call.body);
  });
}
