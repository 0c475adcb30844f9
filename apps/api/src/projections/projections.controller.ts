import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionListDto } from './projection-status.dto';
import { ListProjections } from './list-projections.query';
import { Roles } from '../auth/roles.decorator';

@ApiTags('projections')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Every projection: live generation, checkpoint, events processed, lag, rebuilds in progress' })
  @ApiOkResponse({ type: ProjectionListDto })
  async list(): Promise<ProjectionListDto> {
    return { projections: await this.queries.execute(new ListProjections()) };
  }
}
