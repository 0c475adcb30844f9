import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { Playbook } from '@funnel/domain/playbook/playbook';
import { Public } from '../auth/public.decorator';

class PlaybookDto {
  @ApiProperty({ example: DEFAULT_PLAYBOOK.version }) version!: string;
  @ApiProperty({ description: 'en and zh', type: Object }) labels!: object;
  @ApiProperty({ description: 'The seven stages, then LOST: marker, characteristics, actions.', type: Object, isArray: true })
  stages!: object[];
  @ApiProperty({ description: 'The gate of each stage after TARGET and its criteria (stable codes).', type: Object, isArray: true })
  gates!: object[];
  @ApiProperty({ description: 'The four assessment catalogues.', type: Object, isArray: true }) assessments!: object[];
  @ApiProperty({ type: Object, isArray: true }) buyingRoles!: object[];
  @ApiProperty({ type: Object, isArray: true }) procurementMilestones!: object[];
  @ApiProperty({ type: Object, isArray: true }) evaluationCategories!: object[];
  @ApiProperty({ type: Object, isArray: true }) negotiationConditions!: object[];
  @ApiProperty({ type: Object, isArray: true }) wonConditions!: object[];
  @ApiProperty({ type: Object, isArray: true }) needDimensions!: object[];
  @ApiProperty({ type: Object }) settings!: object;
}

@ApiTags('playbook')
@Controller('v1/playbook')
export class PlaybookController {
  @Get()
  @Public()
  @ApiOperation({
    summary: 'The sales playbook new deals are opened under',
    description: 'Stages, gates, assessment catalogues and checklists, versioned, with English and Chinese labels.',
  })
  @ApiOkResponse({ type: PlaybookDto })
  playbook(): Playbook {
    return DEFAULT_PLAYBOOK;
  }
}
