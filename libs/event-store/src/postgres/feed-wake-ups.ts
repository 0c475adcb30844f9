import { Pool, PoolClient } from 'pg';

/**
 * LISTEN/NOTIFY as a wake-up hint only: a subscriber waits for a notification *or* its poll
 * interval, whichever comes first, so a lost notification (or a dropped listening connection)
 * costs at most one interval, never an event.
 */
export class FeedWakeUps {
  private client: PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private release: () => void = () => undefined;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
  ) {}

  /** Resolves on the next notification or after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<void> {
    void this.ensureListening();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Wakes every waiter at once (used by stop()). */
  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.listen().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async listen(): Promise<void> {
    try {
      const client = await this.pool.connect();
      // A connection may report an error after close() released it (a dropped database ends
      // every session), or more than once: pg-pool throws on a second release, so release once.
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        client.release(true);
      };
      this.release = release;
      client.on('notification', () => this.wakeAll());
      client.on('error', () => {
        // The next wait() listens again on a fresh connection; polling covers the gap.
        if (this.client === client) this.client = null;
        release();
      });
      await client.query(`LISTEN ${this.channel}`);
      if (this.closed) {
        release();
        return;
      }
      this.client = client;
    } catch {
      this.client = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    this.wakeAll();
    const client = this.client;
    this.client = null;
    if (client) {
      await client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      this.release();
    }
  }
}
