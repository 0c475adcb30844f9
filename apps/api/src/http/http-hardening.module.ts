import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { MediaTypeGuard } from './media-type.guard';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * The edge's rules that need Nest's route metadata (the body reader and helmet run before
 * routing, see configure-http.ts): 415 for bodies a route did not ask for, and rate limits
 * (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS; 0 turns them off).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<FunnelConfig, true>) => {
        const limit = config.get('RATE_LIMIT_REQUESTS', { infer: true });
        return {
          throttlers: [{ ttl: config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000, limit: Math.max(limit, 1) }],
          skipIf: () => limit === 0,
        };
      },
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: MediaTypeGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class HttpHardeningModule {}
