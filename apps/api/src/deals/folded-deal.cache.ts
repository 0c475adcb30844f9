import { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { DealState } from '@funnel/domain/deal/deal.state';

/** A deal folded up to `revision`, the revision of its stream's last event (`no_stream` before the first). */
export interface FoldedDeal {
  streamId: string;
  revision: bigint | 'no_stream';
  state: DealState;
}

/** Deals kept folded per api process unless DEAL_CACHE_SIZE says otherwise. */
export const DEFAULT_DEAL_CACHE_SIZE = 5000;

/**
 * The deals this process folded last, most recently used kept, at most `capacity` (0 keeps
 * none). A hint, never the truth: another process may have appended since. The executor only
 * lets a cached deal decide a command whose append then names the cached revision — the store
 * refuses it if the stream moved — and re-reads the stream for every other outcome.
 */
export class FoldedDealCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  private readonly entries = new Map<string, FoldedDeal>();

  constructor(readonly capacity = DEFAULT_DEAL_CACHE_SIZE) {}

  get(streamId: string): FoldedDeal | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** Keeps the newer of the entry and what is cached (revisions of a stream only grow). */
  remember(entry: FoldedDeal): void {
    if (this.capacity === 0 || entry.revision === 'no_stream') return;
    const known = this.entries.get(entry.streamId);
    if (known && (known.revision as bigint) > entry.revision) return;
    this.entries.delete(entry.streamId);
    this.entries.set(entry.streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The process's one cache, sized by DEAL_CACHE_SIZE: every module that provides the executor provides it so. */
export const FOLDED_DEAL_CACHE_PROVIDER: FactoryProvider<FoldedDealCache> = {
  provide: FoldedDealCache,
  inject: [ConfigService],
  useFactory: (config: ConfigService<FunnelConfig, true>) => new FoldedDealCache(config.get('DEAL_CACHE_SIZE', { infer: true })),
};
