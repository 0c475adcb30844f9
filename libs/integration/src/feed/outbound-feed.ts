import { EventStore, Subscription } from '@funnel/event-store/event-store.port';
import { GlobalPosition } from '@funnel/event-store/global-position';
import { matchesFilter, MessageFilter, filterNeedsAttributes } from '../contract/message-filter';
import { OutboundContract, OutboundMessage } from '../contract/outbound-contract';

/**
 * A contract's messages from the store's global feed, strictly after `from`, catching up and
 * then live (the store's catch-up subscription). It is the only way the outbound paths learn of
 * a change: nothing is handed over in-process when a command saves.
 */
export class OutboundFeed<Body extends object = object> implements AsyncIterable<OutboundMessage<Body>> {
  private readonly subscription: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly contract: OutboundContract<Body>,
    from: GlobalPosition | 'start' | 'end',
    private readonly filter: MessageFilter,
    private readonly ownAttributes: readonly string[] = [],
  ) {
    this.subscription = store.subscribeToAll({ from, filter: contract.feedFilter });
  }

  stop(): Promise<void> {
    return this.subscription.stop();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<OutboundMessage<Body>> {
    const reader = this.contract.reader(this.store, {
      needsAttributes: filterNeedsAttributes(this.filter, this.ownAttributes),
    });
    for await (const event of this.subscription) {
      const message = await reader.read(event);
      if (message && matchesFilter(message, this.filter)) yield message;
    }
  }
}
