import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProjectionConsistencyQuery } from '@funnel/read-models/projection/wait-for-projections';
import { IsInstant } from '../analytics/dto/is-instant.validator';

export class FunnelQueryDto extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({ description: 'Only deals of this owner (as of `asOf`: the owner when the deal entered the stage).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'Only deals of this team (as of `asOf`: the team when the deal entered the stage).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({ description: "Only deals of accounts in this region." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional({ description: "Only deals of accounts in this industry." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  industry?: string;

  @ApiPropertyOptional({
    description:
      'Business time: the funnel exactly as it stood in the world at this instant, counting stage changes recorded later ' +
      'about earlier moments (ISO 8601 with a time zone, or a date: its start in UTC).',
    example: '2025-06-30T23:59:59Z',
  })
  @IsOptional()
  // The analytics endpoints' rule: a date (00:00 UTC) or an instant with its zone, years 0001–9999.
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({
    description:
      'Recorded time: the funnel as the system knew it at this instant (only stage changes recorded by then). ' +
      'With asOf: what was known at knownAt about the funnel at asOf.',
    example: '2025-07-01T08:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}
