import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { EventStoreHealthIndicator } from './event-store.health';
import { ProjectionLagHealthIndicator } from './projection-lag.health';

@ApiTags('health')
@Public() // command API: the auth guard is global; health stays open for load balancers.
@SkipThrottle() // probes come often and from few addresses; a 429 would read as "down"
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly projections: ProjectionLagHealthIndicator,
  ) {}

  /** 200 when the read-model database and the event store answer; 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.eventStore.check(),
    ]);
  }

  /** 200 while the process runs: a liveness probe restarts nothing that merely waits on a database. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 when the database and the event store answer and every live projection lags the feed by
   * at most READY_MAX_PROJECTION_LAG_SECONDS; 503 (naming the laggards) otherwise.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.eventStore.check(),
      () => this.projections.check(),
    ]);
  }
}
