import { FunnelConfig } from './funnel-config';

/** What a started process knows: its validated config and the database it settled on. */
export interface FunnelRuntime {
  config: FunnelConfig;
  /** The PostgreSQL for read models (and for events, unless EventStoreDB is configured). */
  databaseUrl: string;
}

export const FUNNEL_RUNTIME = Symbol('FUNNEL_RUNTIME');
