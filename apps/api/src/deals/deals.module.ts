import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DealAccessPolicy } from '../auth/deal-access.policy';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { DealCommandExecutor } from './deal-command.executor';
import { DealCommandHandler } from './deal-command.handler';
import { DealCommercialController } from './deal-commercial.controller';
import { DealCustomerController } from './deal-customer.controller';
import { DealLifecycleController } from './deal-lifecycle.controller';
import { DealProcurementController } from './deal-procurement.controller';
import { DealQueriesController } from './deal-queries.controller';
import { DealStreamReader } from './deal-stream.reader';
import { DealReader } from './deal.reader';
import { FOLDED_DEAL_CACHE_PROVIDER } from './folded-deal.cache';

/** The deal command API (through the CommandBus) and the per-deal queries on its stream. */
@Module({
  imports: [IdempotencyModule, AccountsModule],
  controllers: [
    DealLifecycleController,
    DealCustomerController,
    DealProcurementController,
    DealCommercialController,
    DealQueriesController,
  ],
  providers: [
    DealAccessPolicy,
    DealStreamReader,
    DealCommandExecutor,
    DealCommandHandler,
    DealReader,
    FOLDED_DEAL_CACHE_PROVIDER,
  ],
})
export class DealsModule {}
