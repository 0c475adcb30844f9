import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionStatus, ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';

export class ListProjections extends Query<ProjectionStatus[]> {}

@QueryHandler(ListProjections)
export class ListProjectionsHandler implements IQueryHandler<ListProjections, ProjectionStatus[]> {
  constructor(private readonly status: ProjectionStatusQuery) {}

  execute(): Promise<ProjectionStatus[]> {
    return this.status.list();
  }
}
