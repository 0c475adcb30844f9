import { CreateEventStore1732700000000 } from './migrations/1732700000000-create-event-store';

/** Migrations of the PostgreSQL event store, in order. */
export const EVENT_STORE_MIGRATIONS = [CreateEventStore1732700000000];
