import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { isFeedPosition } from '@funnel/event-store/global-position';


export class StageChangeFeedQuery {
  @ApiPropertyOptional({
    description: 'Return changes strictly after this feed position ("<commit>:<prepare>", the `next` of the previous page). Omit to start from the beginning.',
    example: '1042:317',
  })
  @IsOptional()
  @Matches(/^\d{1,20}:\d{1,20}$/, { message: 'after must be a feed position "<commit>:<prepare>"' })
  @ValidateBy({ name: 'isStorablePosition', validator: { validate: isFeedPosition, defaultMessage: () => 'after is beyond any feed position' } })
  after?: string;

  @ApiPropertyOptional({ description: 'At most this many changes (1–1000).', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({
    description: 'Long poll: when nothing is newer than `after`, wait up to this many seconds (0–25) for a change.',
    default: 0,
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? 0 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(25)
  waitSeconds = 0;
}
