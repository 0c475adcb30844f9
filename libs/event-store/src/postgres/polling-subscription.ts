import { RecordedEvent, Subscription } from '../event-store.port';
import { GlobalPosition } from '../global-position';
import { FeedWakeUps } from './feed-wake-ups';

const PAGE_SIZE = 1000;

/**
 * A catch-up subscription over the feed: reads pages until it is level with the feed, then
 * waits for a wake-up (or the poll interval) and reads again.
 */
export class PollingSubscription implements Subscription {
  private stopped = false;

  constructor(
    private readonly options: {
      start: GlobalPosition | 'start' | Promise<GlobalPosition | 'start'>;
      readPage: (after: GlobalPosition | 'start', max: number) => Promise<RecordedEvent[]>;
      wakeUps: FeedWakeUps;
      pollIntervalMs: number;
    },
  ) {}

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.wakeUps.wakeAll();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after = await this.options.start;
    // While a full page is handed out, the next one is already being read: catching up, the
    // reader then never waits for PostgreSQL between pages (it did for a third of a rebuild).
    let next: Promise<RecordedEvent[]> | null = null;
    while (!this.stopped) {
      const page = await (next ?? this.options.readPage(after, PAGE_SIZE));
      next = null;
      const full = page.length === PAGE_SIZE;
      if (full) {
        next = this.options.readPage(page[page.length - 1].position, PAGE_SIZE);
        // A read ahead that is never awaited (the consumer stopped) must not be an unhandled rejection.
        next.catch(() => undefined);
      }
      for (const event of page) {
        if (this.stopped) return;
        yield event;
        after = event.position;
      }
      if (!full && !this.stopped) {
        await this.options.wakeUps.wait(this.options.pollIntervalMs);
      }
    }
  }
}
