import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RELATIONSHIP_PHASES } from '@funnel/domain/playbook/relationship-phase';
import { ProjectionConsistencyQuery } from '@funnel/read-models/projection/wait-for-projections';
import { IsInstant } from '../../analytics/dto/is-instant.validator';

export class AccountListQueryDto extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({ enum: RELATIONSHIP_PHASES })
  @IsOptional()
  @IsIn(RELATIONSHIP_PHASES)
  phase?: string;

  @ApiPropertyOptional({ description: 'true or false' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'keyAccount must be true or false' })
  keyAccount?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  industry?: string;

  @ApiPropertyOptional({ enum: ['active', 'closed', 'merged'], description: 'Default: active and closed (merged ones live on in their survivor).' })
  @IsOptional()
  @IsIn(['active', 'closed', 'merged'])
  status?: 'active' | 'closed' | 'merged';

  @ApiPropertyOptional({ default: 100, description: '1–1000' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class AccountAsOfQueryDto extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({
    description: 'Business time: the account as it stood then — only events that had happened by then (occurredAt ≤ asOf) are folded; deals opened by then are listed.',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Recorded time: only what the store had recorded by then (recordedAt ≤ knownAt) is folded.' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class AccountPhasesQueryDto extends ProjectionConsistencyQuery {
  @ApiPropertyOptional({ description: 'The histories as they stood then (business time); default now.' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: "Only accounts in this region (the account's current region)." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  industry?: string;

  @ApiPropertyOptional({ description: 'true or false' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'keyAccount must be true or false' })
  keyAccount?: boolean;
}
