/**
 * Walks the global feed once, recomputing every stream's hash chain as it goes: the shared core
 * of the store audit and of anchors (which need every stream's head as of a feed position).
 */
import { EventStore } from '../event-store.port';
import { GlobalPosition, comparePositions } from '../global-position';
import { ChainBreakReason, ChainPoint, chainPointOf, linkBreaks } from '../hash-chain';

export interface StreamProgress {
  /** Revision of the last event seen. */
  revision: bigint;
  last: ChainPoint;
}

export interface WalkBreak {
  streamId: string;
  revision: bigint;
  eventId: string;
  reason: ChainBreakReason;
}

export class ChainWalk {
  readonly streams = new Map<string, StreamProgress>();
  events = 0;
  private after: GlobalPosition | 'start' = 'start';
  private reachedLimit = false;

  constructor(
    private readonly store: EventStore,
    private readonly onBreak: (b: WalkBreak) => void,
    private readonly options: { pageSize?: number; until?: GlobalPosition } = {},
  ) {}

  /** Reads on to the feed's visible end (or `until`, inclusive); returns how many events it read. */
  async readOn(onProgress?: (events: number) => void): Promise<number> {
    const pageSize = this.options.pageSize ?? 1000;
    const until = this.options.until;
    let read = 0;
    while (!this.reachedLimit) {
      const page = await this.store.readAll({ after: this.after, maxCount: pageSize });
      if (page.length === 0) break;
      for (const event of page) {
        if (until && comparePositions(event.position, until) > 0) {
          this.reachedLimit = true;
          break;
        }
        const seen = this.streams.get(event.streamId);
        for (const reason of linkBreaks(event, seen?.last ?? null, seen ? seen.revision + 1n : 0n)) {
          this.onBreak({ streamId: event.streamId, revision: event.revision, eventId: event.id, reason });
        }
        this.streams.set(event.streamId, { revision: event.revision, last: chainPointOf(event) });
        this.events++;
        read++;
      }
      this.after = page[page.length - 1].position;
      onProgress?.(this.events);
    }
    return read;
  }
}
