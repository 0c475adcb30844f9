import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEAL_STATUS_STAGES } from '@funnel/domain/playbook/stage';
import { MessageFilter } from '@funnel/integration/contract/message-filter';

/** What a subscription receives; every list left out (or empty) lets everything through. */
export class WebhookFilterDto {
  @ApiPropertyOptional({ type: [String], description: 'Only deals of these teams, as of the change.', example: ['north'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  team?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only deals owned by these users, as of the change.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  owner?: string[];

  @ApiPropertyOptional({ type: [String], enum: DEAL_STATUS_STAGES, description: 'Only changes to these stages (LOST for losses).', example: ['WON', 'LOST'] })
  @IsOptional()
  @IsArray()
  @IsIn(DEAL_STATUS_STAGES, { each: true, message: `each toStage must be among ${DEAL_STATUS_STAGES.join(', ')}` })
  toStage?: string[];
}

export function toMessageFilter(dto: WebhookFilterDto | undefined): MessageFilter {
  return { team: dto?.team ?? [], owner: dto?.owner ?? [], to: dto?.toStage ?? [] };
}

export function fromMessageFilter(filter: MessageFilter): Required<WebhookFilterDto> {
  return { team: [...(filter.team ?? [])], owner: [...(filter.owner ?? [])], toStage: [...(filter.to ?? [])] };
}
