import { STAGES, Stage } from '@funnel/domain/playbook/stage';
import { DealCommandDto } from './deal-command.dto';
import { Nested, OneOf, Text } from './field.decorators';

export class OverrideDto {
  @Text({ description: "The manager's written reason for passing the gate or skipping stages." })
  reason!: string;
}

/**
 * POST /v1/deals/:dealId/stage: forward (AdvanceStage) when `to` is after the current stage,
 * backward (RegressStage, `reason` required) when before.
 */
export class MoveStageDto extends DealCommandDto {
  @OneOf(STAGES, { description: 'The stage to move to.' })
  to!: Stage;

  @Text({ optional: true, description: 'Why; required when moving backwards.' })
  reason?: string;

  @Nested(() => OverrideDto, {
    optional: true,
    description: 'A manager passing an unmet gate or skipping stages (never into WON). Ignored when moving backwards.',
  })
  override?: OverrideDto;
}

export class MarkLostDto extends DealCommandDto {
  @Text({ example: 'budget moved to another project' })
  reason!: string;

  @Text({ optional: true, description: 'The competitor that won, where known.' })
  competitor?: string;
}

export class ReopenDealDto extends DealCommandDto {
  @Text({ optional: true })
  reason?: string;
}

export class ReassignOwnerDto extends DealCommandDto {
  @Text({ description: 'The new owner (user id).' })
  to!: string;

  @Text({ optional: true })
  team?: string;

  @Text({ optional: true })
  reason?: string;
}
