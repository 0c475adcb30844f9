import { formatPosition } from '@funnel/event-store/global-position';
import { OutboundMessage } from '../contract/outbound-contract';

/** The part of a Node/Express response an SSE session writes to. */
export interface SseResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  end(): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  flushHeaders?(): void;
}

export const SSE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: a compressing proxy would buffer the stream.
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx buffers responses unless told not to.
  'X-Accel-Buffering': 'no',
};

/** The wire form of one message: `id:` is the feed position, so Last-Event-ID is a checkpoint. */
export function sseFrame(message: OutboundMessage): string {
  return `id: ${formatPosition(message.position)}\ndata: ${JSON.stringify(message.body)}\n\n`;
}

/**
 * Streams messages as Server-Sent Events until the messages end or the client goes away, with a
 * comment line every `heartbeatMs` so that proxies and load balancers keep an idle stream open.
 * Honours back-pressure: a slow client slows its own feed reading, nobody else's.
 */
export async function streamSse(
  response: SseResponse,
  messages: AsyncIterable<OutboundMessage>,
  options: { heartbeatMs: number; retryMs: number; onClose: () => void; onError?: (error: unknown) => void },
): Promise<void> {
  let open = true;
  response.once('close', () => {
    open = false;
    options.onClose();
  });
  response.writeHead(200, SSE_HEADERS);
  response.write(`retry: ${options.retryMs}\n: connected\n\n`);
  response.flushHeaders?.();
  const heartbeat = setInterval(() => {
    if (open) response.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, options.heartbeatMs);
  try {
    for await (const message of messages) {
      if (!open) break;
      if (!response.write(sseFrame(message))) {
        await new Promise<void>((resolve) => {
          response.once('drain', resolve);
          response.once('close', resolve);
        });
      }
    }
  } catch (error) {
    // The headers are out: no error answer is possible. Ending the stream makes the client
    // reconnect with its Last-Event-ID, which loses nothing.
    options.onError?.(error);
  } finally {
    clearInterval(heartbeat);
    if (open) response.end();
  }
}
