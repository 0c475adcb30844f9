import { Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { AccountWriter } from '@funnel/read-models/accounts/account-writer';
import { AccountsQuery } from '@funnel/read-models/accounts/accounts.query';
import { AccountPhasesQuery } from '@funnel/read-models/accounts/account-phases.query';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { Pool } from 'pg';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AccountAnalyticsController } from './account-analytics.controller';
import { AccountCommandsController } from './account-commands.controller';
import { AccountCommandsService } from './account-commands.service';
import { AccountQueriesController } from './account-queries.controller';
import { DealAccountResolver } from './deal-account.resolver';

/** Accounts: their commands, their queries, and the account a new deal belongs to. */
@Module({
  imports: [IdempotencyModule, ReadModelsModule],
  controllers: [AccountCommandsController, AccountQueriesController, AccountAnalyticsController],
  providers: [
    { provide: AccountWriter, inject: [EVENT_STORE], useFactory: (store: EventStore) => new AccountWriter(store) },
    { provide: AccountsQuery, inject: [READ_MODEL_POOL], useFactory: (pool: Pool) => new AccountsQuery(pool) },
    { provide: AccountPhasesQuery, inject: [READ_MODEL_POOL], useFactory: (pool: Pool) => new AccountPhasesQuery(pool) },
    AccountCommandsService,
    DealAccountResolver,
  ],
  exports: [AccountWriter, DealAccountResolver],
})
export class AccountsModule {}
