import { Injectable } from '@nestjs/common';
import { AccountError } from '@funnel/domain/account/account.errors';
import { decide } from '@funnel/domain/deal/deal.decide';
import { initialState } from '@funnel/domain/deal/deal.state';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { AccountWriter } from '@funnel/read-models/accounts/account-writer';
import { CommandEnvelope } from '../deals/command-envelope';
import { OpenNewDeal, openDealCommand } from '../deals/deal-request';

/**
 * The account of a deal about to be opened. Named by id, it must exist (its survivor is taken
 * after a merge); named by customer, it is found or opened under the id its normalised name
 * and region give. The account is written first, so no deal ever names a missing account; a
 * crash before the deal's append leaves an account without that deal, which a retry finds.
 */
@Injectable()
export class DealAccountResolver {
  constructor(private readonly accounts: AccountWriter) {}

  async resolve(dealId: string, request: OpenNewDeal, envelope: CommandEnvelope): Promise<OpenNewDeal> {
    const { accountId, account } = request.data;
    if (accountId !== undefined) {
      const survivor = await this.accounts.survivorOf(accountId.toLowerCase());
      const { state } = await this.accounts.read(survivor);
      if (state.status === 'none') throw new AccountError('ACCOUNT_NOT_FOUND', `no account ${accountId}`);
      if (state.status === 'closed') throw new AccountError('ACCOUNT_CLOSED', `account ${survivor} was closed: ${state.closed.reason}`);
      const copied = account ?? { name: state.name, industry: state.industry, region: state.region, ...(state.size !== undefined && { size: state.size }) };
      return { type: 'OpenDeal', data: { ...request.data, accountId: survivor, account: copied } };
    }
    // Refuse a deal the decider would refuse before its account is opened: nothing half-written.
    decide(openDealCommand(dealId, request), initialState, { now: new Date(), actor: envelope.actor, playbook: DEFAULT_PLAYBOOK });
    const opened = await this.accounts.ensureForDeal(
      { dealId, account: account!, occurredAt: request.data.occurredAt ?? new Date().toISOString() },
      { actor: envelope.actor, correlationId: envelope.correlationId, causationId: envelope.causationId },
      'DEAL',
    );
    return { type: 'OpenDeal', data: { ...request.data, accountId: opened } };
  }
}
