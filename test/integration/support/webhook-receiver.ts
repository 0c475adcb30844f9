import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (0: it dropped the connection). */
  answered: number;
}

/**
 * A real HTTP receiver in the test process. `answer` decides each call's status (0 drops the
 * connection without answering); `down()` closes the port (connections refused) and `up()`
 * opens the same port again.
 */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  answer: (call: { headers: http.IncomingHttpHeaders; body: string; index: number }) => number = () => 200;
  private server: http.Server | null = null;
  private port = 0;
  private waiters: (() => void)[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/funnel`;
  }

  async up(): Promise<void> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = this.answer({ headers: request.headers, body, index: this.calls.length });
        this.calls.push({ headers: request.headers, body, answered: status });
        if (status === 0) request.socket.destroy();
        else response.writeHead(status).end();
        this.notify();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Waits for `predicate`, re-checked on every call received and every 200 ms (after `refresh`). */
  async until(predicate: () => boolean, what: string, timeoutMs = 120_000, refresh?: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await refresh?.();
      if (predicate()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${this.calls.length} calls so far)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
