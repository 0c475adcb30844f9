import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DEAL_STATUS_STAGES } from '@funnel/domain/playbook/stage';

/** Both parts of a position are 64-bit in every store (PostgreSQL: xid8 and bigint). */
const MAX_POSITION_PART = 2n ** 63n - 1n;

/** A feed position "<commit>:<prepare>", or "0" for the very beginning. */
export const FEED_POSITION = /^(0|\d{1,20}:\d{1,20})$/;

export function isStorablePosition(value: unknown): boolean {
  if (value === '0') return true;
  const match = typeof value === 'string' ? /^(\d{1,20}):(\d{1,20})$/.exec(value) : null;
  return !!match && BigInt(match[1]) <= MAX_POSITION_PART && BigInt(match[2]) <= MAX_POSITION_PART;
}

/** `?team=north,south` and `?team=north&team=south` both name two teams. */
const list = ({ value }: { value: unknown }): string[] | undefined =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');

export class StageChangeFeedQuery {
  @ApiPropertyOptional({
    description:
      'Return changes strictly after this feed position ("<commit>:<prepare>", the `next` of the previous page, or an SSE message id); "0" or omitted: from the beginning. For SSE a `Last-Event-ID` header wins over it.',
    example: '1042:317',
  })
  @IsOptional()
  @Matches(FEED_POSITION, { message: 'after must be a feed position "<commit>:<prepare>" or 0' })
  @ValidateBy({ name: 'isStorablePosition', validator: { validate: isStorablePosition, defaultMessage: () => 'after is beyond any feed position' } })
  after?: string;

  @ApiPropertyOptional({ description: 'At most this many changes (1–1000). Not used by SSE.', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({
    description: 'Long poll: when nothing is newer than `after`, wait up to this many seconds (0–25) for a change. Not used by SSE.',
    default: 0,
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? 0 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(25)
  waitSeconds = 0;

  @ApiPropertyOptional({ description: "Only deals of these teams (comma-separated), as of the change.", example: 'north,south' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  team?: string[];

  @ApiPropertyOptional({ description: 'Only deals owned by these users (comma-separated), as of the change.', example: 'alice' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  owner?: string[];

  @ApiPropertyOptional({ description: 'Only changes to these stages (comma-separated; LOST for losses).', example: 'WON,LOST' })
  @IsOptional()
  @Transform(list)
  @IsIn(DEAL_STATUS_STAGES, { each: true, message: `toStage must be among ${DEAL_STATUS_STAGES.join(', ')}` })
  toStage?: string[];
}
