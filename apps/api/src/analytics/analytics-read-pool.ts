import { Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { DealIndex } from '@funnel/read-models/analytics/deal-index';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { ProjectionPositions } from '@funnel/read-models/projection/projection-positions';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { ProjectionWaitInterceptor } from '@funnel/read-models/projection/wait-for-projections';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';

/** The process's read-model pool (on the primary), under a name of its own. */
export const PRIMARY_READ_MODEL_POOL = Symbol('PRIMARY_READ_MODEL_POOL');

/** Gives the primary's pool a second name, so that a module overriding READ_MODEL_POOL can still reach it. */
@Module({
  imports: [ReadModelsModule],
  providers: [{ provide: PRIMARY_READ_MODEL_POOL, useExisting: READ_MODEL_POOL }],
  exports: [PRIMARY_READ_MODEL_POOL],
})
export class PrimaryReadModelPoolModule {}

/**
 * Where the analytics read: READ_MODEL_REPLICA_URL (a streaming replica of the read-model
 * database) when set, else the primary. Everything an analytics answer depends on reads from
 * the same server — the queries, the read-model positions `?waitFor=` waits on, and the
 * positions answers are cached by — so a replica that lags makes `?waitFor=` wait (or answer
 * X-Projection-Behind: true), never serve an answer older than the position it names.
 */
export const ANALYTICS_READ_PROVIDERS: Provider[] = [
  {
    provide: READ_MODEL_POOL,
    inject: [FUNNEL_RUNTIME, PRIMARY_READ_MODEL_POOL],
    useFactory: (runtime: FunnelRuntime, primary: Pool) => {
      const replica = runtime.config.READ_MODEL_REPLICA_URL;
      if (!replica) return primary;
      const pool = new Pool({ connectionString: replica, max: 10 });
      // An idle connection the server closes is dropped by the pool; don't crash on it.
      pool.on('error', () => undefined);
      return pool;
    },
  },
  { provide: ProjectionPositions, inject: [READ_MODEL_POOL], useFactory: (pool: Pool) => new ProjectionPositions(pool) },
  ProjectionWaitInterceptor,
  AnswerCache,
  // The stays and deals held in memory (dwell times, conversion, the reps' stages) are loaded
  // from the same server, once per process: DealIndex numbers its deals as this StayIndex does.
  StayIndex,
  DealIndex,
];

/** Ends the replica's pool (the primary's is ReadModelsModule's to end). */
export class AnalyticsReadPoolCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Inject(PRIMARY_READ_MODEL_POOL) private readonly primary: Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.pool !== this.primary) await this.pool.end();
  }
}
