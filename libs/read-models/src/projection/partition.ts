/**
 * How a partitioned projection splits the feed: an event belongs to partition
 * `fnv1a32(lowercase(streamId)) mod count`. For a deal stream (`deal-<dealId>`) that is a hash of
 * the deal, so every event of one deal goes to one partition, in feed order; the lowercase makes
 * the same deal written with another case land there too (the read models key deals lowercased).
 *
 * FNV-1a, 32 bits, over the UTF-8 bytes: a fixed, documented function, the same in every process
 * and version — changing it would mix two partitionings in one generation. Only Node computes it.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';

/** One partition of a generation: events whose partitionOf(streamId, count) is `index`. */
export interface PartitionSlice {
  index: number;
  count: number;
}

/** The most partitions a generation may have (checked by PROJECTOR_PARTITIONS and the migration). */
export const MAX_PARTITIONS = 64;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function partitionOf(streamId: string, count: number): number {
  if (count === 1) return 0;
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(streamId.toLowerCase(), 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return (hash >>> 0) % count;
}

/** The events of a batch that belong to `slice`, in feed order (all of them without a slice). */
export function eventsOfPartition(events: RecordedEvent[], slice: PartitionSlice | undefined): RecordedEvent[] {
  if (!slice || slice.count === 1) return events;
  return events.filter((e) => partitionOf(e.streamId, slice.count) === slice.index);
}
