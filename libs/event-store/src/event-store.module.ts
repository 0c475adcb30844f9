import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { EVENT_STORE, EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** Provides EVENT_STORE: EventStoreDB when its connection string is set, else PostgreSQL. */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(runtime: FunnelRuntime): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore =>
            runtime.config.EVENTSTORE_CONNECTION_STRING
              ? EventStoreDbEventStore.fromConnectionString(runtime.config.EVENTSTORE_CONNECTION_STRING)
              : PostgresEventStore.fromConnectionString(runtime.databaseUrl),
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
