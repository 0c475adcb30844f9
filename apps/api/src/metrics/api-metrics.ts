import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a command ended, as counted in `funnel_commands_total{outcome}`. */
export type CommandOutcome = 'accepted' | 'replayed' | 'refused' | 'forbidden' | 'not_found' | 'conflict' | 'invalid' | 'error';

/**
 * The api's Prometheus metrics, in a registry of its own per application (tests run several
 * apps in one process; the global registry would refuse the second). Projection lag is measured
 * at scrape time (see MetricsController); the rest is counted as it happens.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'funnel_commands_total',
    help: 'Deal commands handled, by command type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandSeconds = new Histogram({
    name: 'funnel_command_duration_seconds',
    help: 'Time to handle a deal command (load, decide, append), by command type.',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly dealCache = new Counter({
    name: 'funnel_deal_cache_total',
    help: 'Commands on an existing deal by how its folded state was found: hit (cached, appended at the cached revision), stale (cached, then decided again on the stream: it moved, or the outcome was not an append), miss (read).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'funnel_events_appended_total',
    help: 'Events appended to the store by commands.',
    registers: [this.registry],
  });

  readonly feedConsumers = new Gauge({
    name: 'funnel_feed_consumers',
    help: 'Feed requests being served right now (long polls included), by feed.',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'funnel_projection_lag_events',
    help: 'Events of the feed a projection generation has not yet projected (counted up to a cap).',
    labelNames: ['projection', 'generation', 'status'] as const,
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'funnel_projection_lag_seconds',
    help: 'Age of the oldest event a projection generation has not yet projected; 0 when level.',
    labelNames: ['projection', 'generation', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'funnel_' });
  }
}
