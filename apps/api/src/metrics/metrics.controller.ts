import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';
import { Public } from '../auth/public.decorator';
import { ApiMetrics } from './api-metrics';

/**
 * Prometheus scrape endpoint. Public like /health (operators keep it off the public network);
 * it carries counts and timings, never data of a deal.
 */
@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly projections: ProjectionStatusQuery,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: commands, latency, events appended, projection lag, feed consumers, process' })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(): Promise<string> {
    // Lag is measured now, so a stopped projector shows as growing lag rather than a stale value.
    this.metrics.projectionLagEvents.reset();
    this.metrics.projectionLagSeconds.reset();
    for (const p of await this.projections.list()) {
      const labels = { projection: p.name, generation: String(p.generation), status: p.status };
      this.metrics.projectionLagEvents.set(labels, p.lag.events);
      this.metrics.projectionLagSeconds.set(labels, p.lag.seconds);
    }
    return this.metrics.registry.metrics();
  }
}
