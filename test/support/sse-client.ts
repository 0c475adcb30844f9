import http from 'node:http';

export interface SseMessage {
  id: string | null;
  data: string;
}

/**
 * A minimal Server-Sent Events client over node:http (what EventSource does: parse `id:`,
 * `data:` and comment lines), so a test can read a stream, drop it and reconnect at will.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  private request: http.ClientRequest | null = null;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private ended = false;

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(url, headers);
    return client;
  }

  private connect(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.request = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        this.status = response.statusCode ?? 0;
        this.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => this.receive(chunk));
        response.on('end', () => {
          this.ended = true;
          this.notify();
        });
        response.on('error', () => undefined);
        resolve();
      });
      this.request.on('error', (error) => (this.status ? undefined : reject(error)));
    });
  }

  /** Waits until `predicate` holds over what has arrived (or the stream ends: then it throws). */
  async until(predicate: (c: SseClient) => boolean, what: string): Promise<void> {
    while (!predicate(this)) {
      if (this.ended) throw new Error(`the stream ended before ${what} (got ${this.messages.length} messages)`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.request?.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | null = null;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) this.messages.push({ id, data: data.join('\n') });
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
