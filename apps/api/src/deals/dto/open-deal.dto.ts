import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, ValidateIf } from 'class-validator';
import { Account } from '@funnel/domain/deal/deal.values';
import { DealCommandDto } from './deal-command.dto';
import { Amount, Currency, Nested, Text } from './field.decorators';

export class AccountDto implements Account {
  @Text({ example: 'Hangzhou Precision Castings' })
  name!: string;

  @Text({ example: 'manufacturing' })
  industry!: string;

  @Text({ example: 'East China' })
  region!: string;

  @Text({ optional: true, description: 'Free text or a band such as "200-500 employees".' })
  size?: string;
}

/** POST /v1/deals: the server chooses the deal id. */
export class OpenDealDto extends DealCommandDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An existing account (GET /v1/accounts). Without it, `account` names the customer and its account is found or opened by normalised name + region.',
  })
  @ValidateIf((dto: OpenDealDto) => dto.accountId !== undefined || dto.account === undefined)
  @IsUUID(undefined, { message: 'accountId must be a uuid; give accountId or account' })
  accountId?: string;

  @Nested(() => AccountDto, { optional: true, description: 'The customer; required without accountId.' })
  account?: AccountDto;

  @Text({ description: 'The salesperson who owns the deal (user id).', example: 'alice' })
  owner!: string;

  @Text({ example: 'east' })
  team!: string;

  @Amount({ description: 'Expected order value in major units.', example: 120000 })
  amount!: number;

  @Currency()
  currency!: string;

  @Text({ optional: true, description: 'Where the lead came from.', example: 'trade fair' })
  source?: string;
}
