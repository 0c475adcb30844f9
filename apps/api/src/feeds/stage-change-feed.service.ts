import { Inject, Injectable } from '@nestjs/common';
import { DEAL_STAGE_CHANGED_V1, DealStageChangedV1 } from '@funnel/contracts/deal-stage-changed.v1';
import { toDealStageChangedV1 } from '@funnel/contracts/to-deal-stage-changed';
import { DEAL_STREAM_PREFIX, STAGE_CHANGE_EVENT_TYPES } from '@funnel/domain/deal/deal.events';
import { EVENT_STORE, EventStore, SubscriptionFilter } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition } from '@funnel/event-store/global-position';

export interface StageChangePage {
  schema: typeof DEAL_STAGE_CHANGED_V1;
  changes: DealStageChangedV1[];
  /** Pass as `after` to get the next page; unchanged when there was nothing new. */
  next: string | null;
}

const FILTER: SubscriptionFilter = {
  streamPrefixes: [DEAL_STREAM_PREFIX],
  eventTypes: [...STAGE_CHANGE_EVENT_TYPES],
};

/**
 * Stage changes for other services, read straight from the store's global feed: a consumer
 * that keeps `next` as its checkpoint resumes after a crash without missing or repeating a
 * change (the feed is gap-free; it may see a change twice only if it crashed before saving
 * `next`, and de-duplicates on eventId).
 */
@Injectable()
export class StageChangeFeedService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(after: GlobalPosition | 'start', limit: number, waitSeconds: number): Promise<StageChangePage> {
    let events = await this.store.readAll({ after, maxCount: limit, filter: FILTER });
    if (events.length === 0 && waitSeconds > 0) {
      await this.waitForChange(after, waitSeconds * 1000);
      events = await this.store.readAll({ after, maxCount: limit, filter: FILTER });
    }
    const changes = events.map(toDealStageChangedV1).filter((c): c is DealStageChangedV1 => c !== null);
    const last = events[events.length - 1];
    return {
      schema: DEAL_STAGE_CHANGED_V1,
      changes,
      next: last ? formatPosition(last.position) : after === 'start' ? null : formatPosition(after),
    };
  }

  private async waitForChange(after: GlobalPosition | 'start', timeoutMs: number): Promise<void> {
    const subscription = this.store.subscribeToAll({ from: after, filter: FILTER });
    const timer = setTimeout(() => void subscription.stop(), timeoutMs);
    try {
      for await (const _ of subscription) break;
    } finally {
      clearTimeout(timer);
      await subscription.stop();
    }
  }
}
