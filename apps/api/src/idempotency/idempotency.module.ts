import { Module } from '@nestjs/common';
import { IdempotencyKeyJanitor } from './idempotency-key.janitor';
import { IdempotencyService } from './idempotency.service';

/** Idempotency-Key support for commands, kept in the `idempotency_keys` table. */
@Module({
  providers: [IdempotencyService, IdempotencyKeyJanitor],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
