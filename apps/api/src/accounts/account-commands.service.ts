import { HttpException, Injectable } from '@nestjs/common';
import { AccountCommand } from '@funnel/domain/account/account.commands';
import { AccountError } from '@funnel/domain/account/account.errors';
import { AccountConcurrencyError, AccountEventIds, AccountWriter, RANDOM_IDS, idsFromCause } from '@funnel/read-models/accounts/account-writer';
import { CommandEnvelope } from '../deals/command-envelope';
import { VersionedResponse } from '../deals/versioned-response';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { scopedUuid } from '../idempotency/idempotency-scope';

/** What an account command answers: 201 with this body, ETag = revision. */
export interface AccountCommandResult {
  accountId: string;
  revision: number;
  position: string | null;
}

const CREATED = 201;

/**
 * Account commands over HTTP: one decide-and-append through the AccountWriter, with If-Match
 * and Idempotency-Key as for deals (event ids derive from the key, so a retry appends nothing).
 */
@Injectable()
export class AccountCommandsService {
  constructor(
    private readonly accounts: AccountWriter,
    private readonly idempotency: IdempotencyService,
  ) {}

  async execute(accountId: string, command: AccountCommand, envelope: CommandEnvelope): Promise<VersionedResponse<AccountCommandResult>> {
    return this.run(envelope, async (ids) => {
      const result = await this.accounts.execute(accountId, command, meta(envelope), ids, envelope.expectedRevision);
      return { accountId: result.accountId, revision: result.revision, position: result.position };
    });
  }

  /**
   * A duplicate merged into its survivor: the survivor takes it in first, then the duplicate
   * records where it went. Two streams, two appends, each with ids derived from the pair, so a
   * retry after a crash between them completes the merge without recording anything twice.
   */
  async merge(duplicateId: string, survivorId: string, reason: string, envelope: CommandEnvelope): Promise<VersionedResponse<AccountCommandResult>> {
    return this.run(envelope, async () => {
      if (duplicateId === survivorId) throw new AccountError('CANNOT_MERGE_INTO_ITSELF', 'an account cannot be merged into itself');
      const duplicate = await this.accounts.read(duplicateId);
      if (duplicate.state.status === 'none') throw new AccountError('ACCOUNT_NOT_FOUND', `no account ${duplicateId}`);
      const into = await this.accounts.survivorOf(survivorId);
      if (into === duplicateId) throw new AccountError('CANNOT_MERGE_INTO_ITSELF', `account ${survivorId} was merged into ${duplicateId}`);
      const survivor = await this.accounts.read(into);
      if (survivor.state.status === 'none') throw new AccountError('ACCOUNT_NOT_FOUND', `no account ${survivorId}`);
      if (duplicate.state.status === 'merged' && duplicate.state.merged.into !== into) {
        throw new AccountError('ACCOUNT_MERGED', `the account was merged into ${duplicate.state.merged.into}`);
      }
      const { name, region } = duplicate.state;
      await this.accounts.execute(
        into,
        { type: 'AbsorbDuplicateAccount', data: { duplicateAccountId: duplicateId, duplicateName: name, duplicateRegion: region, reason } },
        meta(envelope),
        idsFromCause(into, `absorb:${duplicateId}`),
      );
      const result = await this.accounts.execute(
        duplicateId,
        { type: 'MergeAccountInto', data: { survivorAccountId: into, reason } },
        meta(envelope),
        idsFromCause(duplicateId, `merge-into:${into}`),
        envelope.expectedRevision,
      );
      return { accountId: duplicateId, revision: result.revision, position: result.position };
    });
  }

  private async run(envelope: CommandEnvelope, work: (ids: AccountEventIds) => Promise<AccountCommandResult>): Promise<VersionedResponse<AccountCommandResult>> {
    const scope = envelope.idempotency;
    if (!scope) {
      const body = await work(RANDOM_IDS);
      return new VersionedResponse(body, body.revision);
    }
    const ids: AccountEventIds = { idFor: (index) => scopedUuid(scope, `event:${index}`), deterministic: true };
    const outcome = await this.idempotency.run(scope, CREATED, () => work(ids), refusedBeforeAppend);
    return new VersionedResponse(outcome.body, outcome.body.revision, outcome.replayed);
  }
}

function meta(envelope: CommandEnvelope) {
  return { actor: envelope.actor, correlationId: envelope.correlationId, causationId: envelope.causationId };
}

function refusedBeforeAppend(error: unknown): boolean {
  return error instanceof AccountError || error instanceof AccountConcurrencyError || error instanceof HttpException;
}
