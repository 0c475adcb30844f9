import { Inject, Injectable } from '@nestjs/common';
import { DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { StreamNotFoundError } from '@funnel/event-store/event-store.errors';
import { EVENT_STORE, EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { StreamHead } from '@funnel/event-store/stream-heads';
import { DEAL_UPCASTERS } from '@funnel/event-store/upcasting/deal-event.upcasters';

export interface DealStream {
  streamId: string;
  /** Oldest first; empty when the deal does not exist. */
  events: RecordedEvent[];
  /** Revision of the last event, what the next append expects. */
  revision: bigint | 'no_stream';
}

/** Reads a deal's stream `deal-<id>` from the event store, the only source of truth. */
@Injectable()
export class DealStreamReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async read(dealId: string): Promise<DealStream> {
    const streamId = dealStreamId(dealId);
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      events = [];
    }
    const last = events[events.length - 1];
    return { streamId, events, revision: last ? last.revision : 'no_stream' };
  }

  /** The head the store keeps for the deal's stream apart from its events; null where it keeps none. */
  async head(dealId: string): Promise<StreamHead | null> {
    return (await this.store.heads?.head(dealStreamId(dealId))) ?? null;
  }
}

/** The domain event a recorded one carries, upgraded to the current schema version. */
export function dealEventOf(recorded: RecordedEvent): DealEvent {
  const current = DEAL_UPCASTERS.upcast(recorded);
  return { type: current.type, data: current.data } as DealEvent;
}

/** Revisions are far below 2^53; JSON gets numbers, never bigint. */
export function revisionNumber(revision: bigint | 'no_stream'): number | 'no_stream' {
  return revision === 'no_stream' ? revision : Number(revision);
}
