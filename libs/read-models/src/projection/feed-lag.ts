/**
 * How far a checkpoint is behind the feed, cheaply: a capped count of the events after it and the
 * recorded time of the oldest of them.
 */
import { Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { CheckpointPosition } from './checkpoint';

export interface FeedLag {
  /** Events after the position, counted up to `cap`. */
  events: number;
  /** True when there are at least `cap` (the count stopped there). */
  capped: boolean;
  /** Now minus the recorded time of the oldest event after the position; 0 when level. */
  seconds: number;
}

export class FeedLagMeter {
  constructor(
    private readonly store: EventStore,
    /** The event store's own PostgreSQL, when events live there (not with EventStoreDB). */
    private readonly eventsDatabase: Pool | null,
    private readonly cap = 100_000,
  ) {}

  async measure(position: CheckpointPosition, now: Date = new Date()): Promise<FeedLag> {
    const [oldest] = await this.store.readAll({ after: position, maxCount: 1 });
    if (!oldest) return { events: 0, capped: false, seconds: 0 };
    const events = await this.countAfter(position);
    return {
      events,
      capped: events >= this.cap,
      seconds: Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000),
    };
  }

  private async countAfter(position: CheckpointPosition): Promise<number> {
    if (!this.eventsDatabase) {
      // Through the port, the count reads the events themselves: keep it small.
      const cap = Math.min(this.cap, 1000);
      const page = await this.store.readAll({ after: position, maxCount: cap });
      return page.length;
    }
    // Same order and visibility rule as the PostgreSQL store's feed (postgres-event-store.ts):
    // (transaction_id, global_position) after the checkpoint, below the oldest running
    // transaction. An index-only walk of events_feed_order, stopped at the cap.
    const after = position === 'start' ? { commit: 0n, prepare: 0n } : position;
    const result = await this.eventsDatabase.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM events
          WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          LIMIT $3) AS behind`,
      [after.commit.toString(), after.prepare.toString(), this.cap],
    );
    return Number(result.rows[0].n);
  }
}
