import { Inject, Injectable } from '@nestjs/common';
import { DEAL_STAGE_CHANGED_V1, DealStageChangedV1 } from '@funnel/contracts/deal-stage-changed.v1';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition } from '@funnel/event-store/global-position';
import {
  DEAL_STAGE_CHANGED_OUTBOUND,
  STAGE_CHANGE_OWN_ATTRIBUTES,
} from '@funnel/integration/contract/deal-stage-changed.outbound';
import { filterNeedsAttributes, matchesFilter, MessageFilter } from '@funnel/integration/contract/message-filter';

export interface StageChangePage {
  schema: typeof DEAL_STAGE_CHANGED_V1;
  changes: DealStageChangedV1[];
  /** Pass as `after` to get the next page; unchanged when there was nothing new. */
  next: string | null;
}

/**
 * Stage changes for other services, read straight from the store's global feed: a consumer
 * that keeps `next` as its checkpoint resumes after a crash without missing or repeating a
 * change (the feed is gap-free; it may see a change twice only if it crashed before saving
 * `next`, and de-duplicates on eventId).
 */
@Injectable()
export class StageChangeFeedService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(after: GlobalPosition | 'start', limit: number, waitSeconds: number, filter: MessageFilter = {}): Promise<StageChangePage> {
    const feedFilter = DEAL_STAGE_CHANGED_OUTBOUND.feedFilter;
    let events = await this.store.readAll({ after, maxCount: limit, filter: feedFilter });
    if (events.length === 0 && waitSeconds > 0) {
      await this.waitForChange(after, waitSeconds * 1000);
      events = await this.store.readAll({ after, maxCount: limit, filter: feedFilter });
    }
    const reader = DEAL_STAGE_CHANGED_OUTBOUND.reader(this.store, {
      needsAttributes: filterNeedsAttributes(filter, STAGE_CHANGE_OWN_ATTRIBUTES),
    });
    const changes: DealStageChangedV1[] = [];
    for (const event of events) {
      const message = await reader.read(event);
      if (message && matchesFilter(message, filter)) changes.push(message.body);
    }
    const last = events[events.length - 1];
    return {
      schema: DEAL_STAGE_CHANGED_V1,
      changes,
      next: last ? formatPosition(last.position) : after === 'start' ? null : formatPosition(after),
    };
  }

  private async waitForChange(after: GlobalPosition | 'start', timeoutMs: number): Promise<void> {
    const subscription = this.store.subscribeToAll({ from: after, filter: DEAL_STAGE_CHANGED_OUTBOUND.feedFilter });
    const timer = setTimeout(() => void subscription.stop(), timeoutMs);
    try {
      for await (const _ of subscription) break;
    } finally {
      clearTimeout(timer);
      await subscription.stop();
    }
  }
}
