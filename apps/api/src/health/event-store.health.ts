import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';

@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FUNNEL_RUNTIME) private readonly runtime: FunnelRuntime,
    private readonly health: HealthIndicatorService,
  ) {}

  async check() {
    const indicator = this.health.check('eventStore');
    const adapter = this.runtime.config.EVENTSTORE_CONNECTION_STRING ? 'eventstoredb' : 'postgresql';
    try {
      await this.store.ping();
      return indicator.up({ adapter });
    } catch (error) {
      return indicator.down({ adapter, message: (error as Error).message });
    }
  }
}
