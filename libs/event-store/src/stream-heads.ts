/**
 * A stream's head: the revision and hash of its last event, as the store keeps it apart from the
 * events (PostgreSQL: `event_streams`). The chain alone cannot notice events removed from a
 * stream's end; comparing the last event with the head does.
 */
export interface StreamHead {
  streamId: string;
  revision: bigint;
  hash: string | null;
  /**
   * Whether the feed already shows the head's last event to readers. False while the feed holds
   * it back (PostgreSQL: an older transaction still running), when a feed reader cannot have
   * seen it yet; undefined where the store cannot tell.
   */
  settled?: boolean;
}

export interface StreamHeadSource {
  /** Every stream's head, in stream id order. */
  heads(): AsyncIterable<StreamHead>;
  /** One stream's head, or null when the store keeps none for it. */
  head(streamId: string): Promise<StreamHead | null>;
}
