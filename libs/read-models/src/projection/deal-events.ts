import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealEvent, dealIdFromStream, isDealEventType } from '@funnel/domain/deal/deal.events';
import { DEAL_UPCASTERS } from '@funnel/event-store/upcasting/deal-event.upcasters';

/** A deal event from the feed with the deal it belongs to (only DealOpened carries it in data). */
export interface DealFeedEvent {
  dealId: string;
  event: DealEvent;
  /** When the store recorded it (ISO): the recorded-time axis, beside the business time in data. */
  recordedAt: string;
}

/**
 * The deal events of a batch, in feed order, upgraded to the current schema version (stored
 * events keep theirs); other streams and unknown types are passed over, and so are types not in
 * `types` when given — before any parsing, which is most of the cost when a projection reads few
 * of the feed's types (upcasting keeps an event's type).
 */
export function dealEventsIn(events: readonly RecordedEvent[], types?: ReadonlySet<string>): DealFeedEvent[] {
  const found: DealFeedEvent[] = [];
  for (const recorded of events) {
    if (types && !types.has(recorded.type)) continue;
    const parsed = dealFeedEvent(recorded);
    if (parsed) found.push(parsed);
  }
  return found;
}

/**
 * Each feed event parsed once however many projections read it (a shared rebuild hands the same
 * events to all of them): kept as long as the event itself. Projections only read what they get.
 */
const PARSED = new WeakMap<RecordedEvent, DealFeedEvent | null>();

function dealFeedEvent(recorded: RecordedEvent): DealFeedEvent | null {
  const known = PARSED.get(recorded);
  if (known !== undefined) return known;
  const dealId = dealIdFromStream(recorded.streamId);
  let parsed: DealFeedEvent | null = null;
  if (dealId && isDealEventType(recorded.type)) {
    const current = DEAL_UPCASTERS.upcast(recorded);
    parsed = {
      dealId: dealId.toLowerCase(),
      event: { type: current.type, data: current.data } as DealEvent,
      recordedAt: recorded.recordedAt.toISOString(),
    };
  }
  PARSED.set(recorded, parsed);
  return parsed;
}

export function distinctDealIds(events: readonly DealFeedEvent[]): string[] {
  return [...new Set(events.map((e) => e.dealId))];
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The later of two ISO instants (canonical UTC strings compare as text, which is cheaper). */
export function laterOf(a: string, b: string): string {
  if (CANONICAL_ISO.test(a) && CANONICAL_ISO.test(b)) return b > a ? b : a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
