import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { ReadModelsModule } from '../read-models.module';
import { ALL_PROJECTIONS } from './all-projections';
import { ProjectionRunner } from './projection-runner';
import { READ_MODEL_POOL } from './read-model-pool';

/** Runs every projection from application bootstrap until shutdown. */
@Injectable()
export class Projector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(FUNNEL_RUNTIME) runtime: FunnelRuntime,
  ) {
    this.runners = ALL_PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner(projection, {
          pool,
          store,
          batchSize: runtime.config.PROJECTOR_BATCH_SIZE,
          partitions: runtime.config.PROJECTOR_PARTITIONS,
          log: (message, error) =>
            error ? this.logger.error(`${message}: ${describe(error)}`) : this.logger.log(message),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
    this.logger.log(`running projections: ${this.runners.map((r) => r.projection.name).join(', ')}`);
  }

  /** Before the event store and the pool close: each runner finishes its batch in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The projector, in `npm start` (AppModule) and in the standalone worker (apps/projector). */
@Module({
  imports: [ReadModelsModule],
  providers: [Projector],
})
export class ProjectorModule {}
