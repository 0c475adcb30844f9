import { Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { AccountWriter } from '@funnel/read-models/accounts/account-writer';
import { ReadModelsModule } from '@funnel/read-models/read-models.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AccountCommandsController } from './account-commands.controller';
import { AccountCommandsService } from './account-commands.service';
import { DealAccountResolver } from './deal-account.resolver';

/** Accounts: their commands, their queries, and the account a new deal belongs to. */
@Module({
  imports: [IdempotencyModule, ReadModelsModule],
  controllers: [AccountCommandsController],
  providers: [
    { provide: AccountWriter, inject: [EVENT_STORE], useFactory: (store: EventStore) => new AccountWriter(store) },
    AccountCommandsService,
    DealAccountResolver,
  ],
  exports: [AccountWriter, DealAccountResolver],
})
export class AccountsModule {}
