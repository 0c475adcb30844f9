import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FunnelConfig } from '@funnel/runtime/funnel-config';

@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: ConfigService<FunnelConfig, true>,
    private readonly health: HealthIndicatorService,
  ) {}

  async check() {
    const indicator = this.health.check('eventStore');
    const adapter = this.config.get('EVENTSTORE_CONNECTION_STRING', { infer: true }) ? 'eventstoredb' : 'postgresql';
    try {
      await this.store.ping();
      return indicator.up({ adapter });
    } catch (error) {
      return indicator.down({ adapter, message: (error as Error).message });
    }
  }
}
