import { BeforeApplicationShutdown, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { ReadModelsModule } from '../read-models.module';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { AccountReactor } from './account-reactor';

/** Runs the account reactor beside the projections, from bootstrap until shutdown. */
@Injectable()
export class AccountReactorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AccountReactor');
  private readonly reactor: AccountReactor;

  constructor(@Inject(READ_MODEL_POOL) pool: Pool, @Inject(EVENT_STORE) store: EventStore) {
    this.reactor = new AccountReactor({
      pool,
      store,
      log: (message, error) => this.logger.error(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.reactor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }
}

@Module({ imports: [ReadModelsModule], providers: [AccountReactorService] })
export class AccountReactorModule {}
