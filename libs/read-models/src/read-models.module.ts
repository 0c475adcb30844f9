import { Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { AnswerCache } from './analytics/answer-cache';
import { ALL_PROJECTIONS } from './projection/all-projections';
import { FeedLagMeter } from './projection/feed-lag';
import { GenerationRegistry } from './projection/generation-registry';
import { ProjectionPositions } from './projection/projection-positions';
import { ProjectionStatusQuery } from './projection/projection-status.query';
import { READ_MODEL_POOL } from './projection/read-model-pool';
import { ProjectionWaitInterceptor } from './projection/wait-for-projections';

/**
 * The read-model database for queries and the projector: its pool, read-your-writes
 * (ProjectionPositions and the `?waitFor=` interceptor) and projection status. On start it
 * makes sure every projection has a live generation, so the `rm` views exist even in a
 * process that runs no projector (`npm run start:api`).
 */
@Module({
  providers: [
    {
      provide: READ_MODEL_POOL,
      inject: [FUNNEL_RUNTIME],
      useFactory: (runtime: FunnelRuntime) => {
        const pool = new Pool({ connectionString: runtime.databaseUrl, max: 10 });
        // An idle connection the server closes is dropped by the pool; don't crash on it.
        pool.on('error', () => undefined);
        return pool;
      },
    },
    {
      provide: ProjectionPositions,
      inject: [READ_MODEL_POOL],
      useFactory: (pool: Pool) => new ProjectionPositions(pool),
    },
    {
      provide: ProjectionStatusQuery,
      inject: [READ_MODEL_POOL, EVENT_STORE, FUNNEL_RUNTIME],
      useFactory: (pool: Pool, store: EventStore, runtime: FunnelRuntime) =>
        new ProjectionStatusQuery(pool, new FeedLagMeter(store, runtime.config.EVENTSTORE_CONNECTION_STRING ? null : pool)),
    },
    ProjectionWaitInterceptor,
    AnswerCache,
  ],
  exports: [READ_MODEL_POOL, ProjectionPositions, ProjectionStatusQuery, ProjectionWaitInterceptor, AnswerCache],
})
export class ReadModelsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Inject(FUNNEL_RUNTIME) private readonly runtime: FunnelRuntime,
  ) {}

  async onModuleInit(): Promise<void> {
    const registry = new GenerationRegistry(this.pool);
    const partitions = this.runtime.config.PROJECTOR_PARTITIONS;
    for (const projection of ALL_PROJECTIONS) await registry.ensureLive(projection, partitions);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
