import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
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

  constructor(@Inject(READ_MODEL_POOL) pool: Pool) {
    this.funnel = new FunnelQuery(pool);
  }

  execute(query: GetFunnel): Promise<FunnelView> {
    return this.funnel.run(query.filters, query.asOf, query.knownAt);
  }
}
