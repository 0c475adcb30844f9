import { RecordedEvent, Subscription } from '@funnel/event-store/event-store.port';

export interface FeedBatch {
  events: RecordedEvent[];
  /** Nothing more arrived for a while: the subscription is (most likely) level with the feed. */
  level: boolean;
  /** The subscription ended (stopped); no more batches will come. */
  ended: boolean;
}

/**
 * Cuts a catch-up subscription into batches of up to `batchSize` events. A pump reads ahead
 * (up to two batches) while the previous batch is being written, so reading and writing
 * overlap. A partial batch is handed over once no event has arrived for `idleMs`: that is how
 * the runner notices it is level with the feed without the subscription saying so.
 */
export class FeedBatches {
  private readonly buffer: RecordedEvent[] = [];
  private arrivals = 0;
  private ended = false;
  private failure: unknown = null;
  private wakeConsumer: (() => void) | null = null;
  private wakePump: (() => void) | null = null;
  private readonly pumping: Promise<void>;

  constructor(
    private readonly subscription: Subscription,
    private readonly batchSize: number,
    private readonly idleMs = 40,
  ) {
    this.pumping = this.pump();
  }

  /**
   * The next batch: a full one as soon as there is one; a partial one once nothing has arrived
   * for `idleMs`; an empty one (marked level) when nothing at all arrives within
   * `emptyAfterMs` — without it, the call waits for the first event (or the end).
   */
  async next(options: { emptyAfterMs?: number } = {}): Promise<FeedBatch> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.buffer.length >= this.batchSize) return this.take(false);
      if (this.ended) return this.take(true);
      const before = this.arrivals;
      if (this.buffer.length === 0) {
        if (options.emptyAfterMs === undefined) {
          await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
          continue;
        }
        const woken = await this.waitForPump(options.emptyAfterMs);
        if (!woken && this.arrivals === before) return this.take(true);
        continue;
      }
      const woken = await this.waitForPump(this.idleMs);
      if (!woken && this.arrivals === before) return this.take(true);
    }
  }

  /** Stops the subscription and the pump; events read ahead are dropped (they are re-read later). */
  async close(): Promise<void> {
    await this.subscription.stop();
    this.ended = true;
    this.wakePump?.();
    this.wakeConsumer?.();
    await this.pumping;
  }

  private take(level: boolean): FeedBatch {
    const events = this.buffer.splice(0, this.batchSize);
    this.wakePump?.();
    return { events, level: level && this.buffer.length === 0, ended: this.ended && this.buffer.length === 0 };
  }

  private waitForPump(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.wakeConsumer = null;
        resolve(false);
      }, timeoutMs);
      this.wakeConsumer = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private async pump(): Promise<void> {
    try {
      for await (const event of this.subscription) {
        if (this.ended) break;
        this.buffer.push(event);
        this.arrivals++;
        // Wake the consumer only when it has something new to decide on, not per event.
        if (this.buffer.length === 1 || this.buffer.length === this.batchSize) this.signalConsumer();
        while (this.buffer.length >= 2 * this.batchSize && !this.ended) {
          await new Promise<void>((resolve) => (this.wakePump = resolve));
          this.wakePump = null;
        }
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.ended = true;
      this.signalConsumer();
    }
  }

  private signalConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
  }
}
