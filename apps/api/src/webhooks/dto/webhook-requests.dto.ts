import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { FEED_POSITION, isStorablePosition } from '../../feeds/stage-change-feed.query';
import { WebhookFilterDto } from './webhook-filter.dto';

const positionRules = (field: string) => [
  Matches(FEED_POSITION, { message: `${field} must be a feed position "<commit>:<prepare>" or 0` }),
  ValidateBy({ name: 'isStorablePosition', validator: { validate: isStorablePosition, defaultMessage: () => `${field} is beyond any feed position` } }),
];
const applyAll = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class CreateWebhookDto {
  @ApiProperty({ description: 'Where to POST each change: http(s) only; private, loopback and link-local addresses are refused.', example: 'https://billing.example.com/hooks/funnel' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ example: 'billing: start invoicing on WON' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: WebhookFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookFilterDto)
  filter?: WebhookFilterDto;

  @ApiPropertyOptional({
    description: 'Deliver changes strictly after this feed position; "0" replays all history. Default: only changes from now on.',
    example: '0',
  })
  @IsOptional()
  @applyAll(positionRules('after'))
  after?: string;
}

export class UpdateWebhookDto {
  @ApiProperty({ enum: ['active', 'paused'], description: 'paused: nothing is sent (changes are still owed); active: resume.' })
  @IsIn(['active', 'paused'])
  status!: 'active' | 'paused';
}

export class RedeliverDto {
  @ApiPropertyOptional({ description: 'Send this delivery once more (same event id).', example: '42' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'deliveryId must be a delivery id' })
  deliveryId?: string;

  @ApiPropertyOptional({ description: 'Deliver again every matching change strictly after this position ("0": all history).', example: '1042:317' })
  @IsOptional()
  @applyAll(positionRules('after'))
  after?: string;

  @ApiPropertyOptional({ description: 'true: queue every dead-lettered delivery again, in order, with a fresh attempt budget.' })
  @IsOptional()
  @Equals(true, { message: 'deadLetters must be true when given' })
  deadLetters?: true;
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'dead'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'dead'])
  status?: 'pending' | 'delivered' | 'dead';

  @ApiPropertyOptional({ default: 100, description: '1–1000, newest first.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ description: 'Only deliveries older than this delivery id (paging).' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'before must be a delivery id' })
  before?: string;
}
