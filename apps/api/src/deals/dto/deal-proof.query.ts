import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class DealProofQuery {
  @ApiPropertyOptional({
    description: 'The anchor root (64 hex digits) the auditor kept; the newest anchor when left out.',
    example: '3f1c…',
  })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'anchor must be an anchor root: 64 hexadecimal digits' })
  anchor?: string;
}
