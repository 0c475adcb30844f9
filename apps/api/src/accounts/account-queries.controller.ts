import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountError } from '@funnel/domain/account/account.errors';
import { foldAccount } from '@funnel/domain/account/account.evolve';
import { accountView } from '@funnel/domain/account/account.view';
import { AccountWriter, accountEventOf } from '@funnel/read-models/accounts/account-writer';
import { AccountsQuery } from '@funnel/read-models/accounts/accounts.query';
import { WaitForProjections } from '@funnel/read-models/projection/wait-for-projections';
import { parseInstant } from '../analytics/dto/is-instant.validator';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../deals/dto/responses.dto';
import { AccountAsOfQueryDto, AccountListQueryDto } from './dto/account-queries.dto';

/** Accounts for analysts, managers and auditors: the list from the read models, one account from its stream. */
@ApiTags('accounts: queries')
@ApiBearerAuth()
@Roles('analyst', 'manager', 'auditor')
@Controller('v1/accounts')
export class AccountQueriesController {
  constructor(
    private readonly accounts: AccountWriter,
    @Inject(AccountsQuery) private readonly query: AccountsQuery,
  ) {}

  @Get()
  @WaitForProjections('account_summary')
  @ApiOperation({
    summary: 'Accounts with their phase, open pipeline and won to date per currency, and last activity',
    description: 'Definitions: docs/metrics.md (accounts). A merged account is listed under its survivor (ask status=merged for the duplicates).',
  })
  @ApiOkResponse({ description: '{ accounts: AccountListItem[] }' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(@Query() q: AccountListQueryDto) {
    const { phase, keyAccount, region, industry, status, limit, offset } = q;
    return { accounts: await this.query.list({ phase, keyAccount, region, industry, status, limit, offset }), limit, offset };
  }

  @Get(':accountId')
  @WaitForProjections('account_summary')
  @ApiOperation({
    summary: 'One account from its stream, now or as it stood (asOf = business time, knownAt = recorded time), with its deals and phase history',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such account (then).' })
  async account(@Param('accountId', new ParseUUIDPipe()) accountId: string, @Query() q: AccountAsOfQueryDto) {
    const asOf = q.asOf ? parseInstant(q.asOf) : undefined;
    const knownAt = q.knownAt ? parseInstant(q.knownAt) : undefined;
    const stream = await this.accounts.read(accountId.toLowerCase());
    const events = stream.events.filter(
      (e) =>
        (!knownAt || e.recordedAt.getTime() <= knownAt.getTime()) &&
        (!asOf || Date.parse((e.data as { occurredAt: string }).occurredAt) <= asOf.getTime()),
    );
    const view = accountView(foldAccount(events.map(accountEventOf)));
    if (!view) throw new AccountError('ACCOUNT_NOT_FOUND', asOf || knownAt ? `account ${accountId} did not exist yet then` : `no account ${accountId}`);
    const last = events[events.length - 1];
    return {
      ...view,
      deals: await this.query.deals(view.accountId, asOf),
      asOf: asOf?.toISOString() ?? null,
      knownAt: knownAt?.toISOString() ?? null,
      revision: Number(last.revision),
    };
  }
}
