import { RecordedEvent, Subscription } from '../event-store.port';
import { GlobalPosition } from '../global-position';
import { FeedWakeUps } from './feed-wake-ups';

const PAGE_SIZE = 500;

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
    while (!this.stopped) {
      const page = await this.options.readPage(after, PAGE_SIZE);
      for (const event of page) {
        if (this.stopped) return;
        yield event;
        after = event.position;
      }
      if (page.length < PAGE_SIZE && !this.stopped) {
        await this.options.wakeUps.wait(this.options.pollIntervalMs);
      }
    }
  }
}
