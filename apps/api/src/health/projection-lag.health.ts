import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';
import { FunnelConfig } from '@funnel/runtime/funnel-config';

/**
 * Ready only while every live projection is within READY_MAX_PROJECTION_LAG_SECONDS of the feed:
 * an api whose read models have stopped answers stale figures, and a load balancer should know.
 */
@Injectable()
export class ProjectionLagHealthIndicator {
  constructor(
    private readonly projections: ProjectionStatusQuery,
    private readonly config: ConfigService<FunnelConfig, true>,
    private readonly health: HealthIndicatorService,
  ) {}

  async check() {
    const indicator = this.health.check('projections');
    const maxSeconds = this.config.get('READY_MAX_PROJECTION_LAG_SECONDS', { infer: true });
    const live = (await this.projections.list()).filter((p) => p.status === 'live');
    const lagging = live.filter((p) => p.lag.seconds > maxSeconds).map((p) => ({ name: p.name, lagSeconds: p.lag.seconds, lagEvents: p.lag.events }));
    const details = { maxLagSeconds: maxSeconds, projections: live.map((p) => ({ name: p.name, lagSeconds: p.lag.seconds })) };
    return lagging.length ? indicator.down({ ...details, lagging }) : indicator.up(details);
  }
}
