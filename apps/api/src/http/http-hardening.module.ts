import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MediaTypeGuard } from './media-type.guard';

/** The edge's rules that need Nest's route metadata (the body reader itself runs before routing). */
@Module({
  providers: [{ provide: APP_GUARD, useClass: MediaTypeGuard }],
})
export class HttpHardeningModule {}
