import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { IdempotencyService } from './idempotency.service';

const HOUR_MS = 60 * 60 * 1000;

/** Purges Idempotency-Keys past their retention once an hour, so the table does not grow forever. */
@Injectable()
export class IdempotencyKeyJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyJanitor.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly keys: IdempotencyService,
    private readonly config: ConfigService<FunnelConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), HOUR_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    const hours = this.config.get('IDEMPOTENCY_KEY_RETENTION_HOURS', { infer: true });
    try {
      const purged = await this.keys.purgeOlderThan(hours);
      if (purged > 0) this.logger.log(`purged ${purged} idempotency keys older than ${hours} h`);
      return purged;
    } catch (error) {
      this.logger.warn(`idempotency key purge failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
