import { EventStore, RecordedEvent, SubscriptionFilter } from '@funnel/event-store/event-store.port';
import { GlobalPosition } from '@funnel/event-store/global-position';

/**
 * A public integration contract as the outbound paths (SSE, webhooks, NATS) see it: which part of
 * the feed to read, how a recorded event becomes a message, and the few attributes consumers
 * filter and route on. SSE, the webhook worker and the NATS publisher know nothing else about it,
 * so another contract (an account's phase change) can flow through them by adding one of these.
 */
export interface OutboundContract<Body extends object = object> {
  /** The contract and its version, e.g. `funnel.deal.stage-changed/1`. */
  readonly schema: string;
  /** The NATS subject stem, e.g. `funnel.deal.stage-changed` (the route token is appended). */
  readonly subject: string;
  /** The events to read from the feed: those that become messages and those attributes need. */
  readonly feedFilter: SubscriptionFilter;
  /** A fresh reader per consumer: it may keep state gathered from the feed (who owns a deal). */
  reader(store: EventStore, options: { needsAttributes: boolean }): OutboundReader<Body>;
}

export interface OutboundReader<Body extends object> {
  /** The message an event makes, or null when it makes none (an event read only for attributes). */
  read(event: RecordedEvent): Promise<OutboundMessage<Body> | null>;
}

export interface OutboundMessage<Body extends object = object> {
  schema: string;
  /** The domain event's id: consumers de-duplicate on it, JetStream uses it as message id. */
  eventId: string;
  position: GlobalPosition;
  /** Messages with the same key keep their order (a deal's changes). */
  orderingKey: string;
  /** The last token of the NATS subject (the stage a deal moved to). */
  route: string;
  /** What filters match on (team, owner, to), as of the event. */
  attributes: Readonly<Record<string, string | null>>;
  body: Body;
}
