import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { FunnelFilters, FunnelQuery, FunnelView } from '@funnel/read-models/funnel/funnel.query';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';

export class GetFunnel extends Query<FunnelView> {
  constructor(
    readonly filters: FunnelFilters,
    readonly asOf: Date | null,
    readonly knownAt: Date | null = null,
  ) {
    super();
  }
}

@QueryHandler(GetFunnel)
export class GetFunnelHandler implements IQueryHandler<GetFunnel, FunnelView> {
  private readonly funnel: FunnelQuery;

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    private readonly cache: AnswerCache,
  ) {
    this.funnel = new FunnelQuery(pool);
  }

  /** Now or as of an instant, the funnel is a function of the read models' positions: cached by them. */
  execute(query: GetFunnel): Promise<FunnelView> {
    const { owner, team, region, industry } = query.filters;
    return this.cache.answer('funnel', [owner, team, region, industry, query.asOf, query.knownAt], ['deal_summary', 'stage_history'], () =>
      this.funnel.run(query.filters, query.asOf, query.knownAt),
    );
  }
}
