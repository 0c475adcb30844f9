import { BeforeApplicationShutdown, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { EVENT_STORE, EventStore } from '../../event-store.port';
import { formatPosition } from '../../global-position';
import { Anchor, findAnchor, recordAnchor } from './anchor';

export type ScheduledAnchorOutcome = { recorded: Anchor } | { skipped: 'nothing new' | 'recent anchor' | 'empty store' };

/**
 * Records an anchor when one is due: nothing was appended since the last anchor → none; another
 * process (a second projector) anchored less than an interval ago → none.
 */
export async function anchorIfDue(store: EventStore, intervalMs: number, now = Date.now()): Promise<ScheduledAnchorOutcome> {
  const [last, head] = await Promise.all([findAnchor(store), store.headPosition()]);
  if (!head) return { skipped: 'empty store' };
  if (last && formatPosition(head) === last.position) return { skipped: 'nothing new' };
  if (last && now - Date.parse(last.recordedAt) < intervalMs * 0.9) {
    return { skipped: 'recent anchor' };
  }
  return { recorded: await recordAnchor(store, { id: 'funnel-projector', name: 'scheduled anchor' }, 'RecordScheduledAnchor') };
}

/** The projector's anchor schedule (AUDIT_ANCHOR_INTERVAL_MINUTES; 0 = off). */
@Injectable()
export class AnchorSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AnchorSchedule');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FUNNEL_RUNTIME) runtime: FunnelRuntime,
  ) {
    this.intervalMs = runtime.config.AUDIT_ANCHOR_INTERVAL_MINUTES * 60_000;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const outcome = await anchorIfDue(this.store, this.intervalMs);
      if ('recorded' in outcome) {
        const a = outcome.recorded;
        this.logger.log(`anchor ${a.root} over ${a.count} streams up to ${a.coveredPosition} (publish it outside the system)`);
      }
    } catch (error) {
      this.logger.error(`anchor not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** In `npm start` and the standalone projector, beside the projections. */
@Module({ providers: [AnchorSchedule] })
export class AnchorScheduleModule {}
