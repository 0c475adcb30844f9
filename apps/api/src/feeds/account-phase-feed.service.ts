import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_PHASE_CHANGED_V1, AccountPhaseChangedV1 } from '@funnel/contracts/account-phase-changed.v1';
import { toAccountPhaseChangedV1 } from '@funnel/contracts/to-account-phase-changed';
import { ACCOUNT_STREAM_PREFIX } from '@funnel/domain/account/account-identity';
import { EVENT_STORE, EventStore, SubscriptionFilter } from '@funnel/event-store/event-store.port';
import { formatPosition, GlobalPosition } from '@funnel/event-store/global-position';

export interface AccountPhasePage {
  schema: typeof ACCOUNT_PHASE_CHANGED_V1;
  changes: AccountPhaseChangedV1[];
  /** Pass as `after` to get the next page; unchanged when there was nothing new. */
  next: string | null;
}

const FILTER: SubscriptionFilter = { streamPrefixes: [ACCOUNT_STREAM_PREFIX], eventTypes: ['PhaseChanged'] };

/**
 * Account phase changes for other services, straight from the store's global feed, like the
 * stage-change feed: keep `next` as the checkpoint and resume after a crash missing nothing.
 */
@Injectable()
export class AccountPhaseFeedService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(after: GlobalPosition | 'start', limit: number, waitSeconds: number): Promise<AccountPhasePage> {
    let events = await this.store.readAll({ after, maxCount: limit, filter: FILTER });
    if (events.length === 0 && waitSeconds > 0) {
      await this.waitForChange(after, waitSeconds * 1000);
      events = await this.store.readAll({ after, maxCount: limit, filter: FILTER });
    }
    const changes = events.map(toAccountPhaseChangedV1).filter((c): c is AccountPhaseChangedV1 => c !== null);
    const last = events[events.length - 1];
    return {
      schema: ACCOUNT_PHASE_CHANGED_V1,
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
