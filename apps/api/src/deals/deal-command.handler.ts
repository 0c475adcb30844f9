import { HttpException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { AccountError } from '@funnel/domain/account/account.errors';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { DealAccountResolver } from '../accounts/deal-account.resolver';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiMetrics, CommandOutcome } from '../metrics/api-metrics';
import { IdempotencyScope, scopedUuid } from '../idempotency/idempotency-scope';
import { DealCommandResult } from './command-envelope';
import { ConcurrentChangeError, DealNotFoundError } from './deal-api.errors';
import { DealCommandExecutor, EventIds } from './deal-command.executor';
import { ExecuteDealCommand } from './execute-deal-command.command';
import { VersionedResponse } from './versioned-response';

const CREATED = 201;

/**
 * The one handler of every deal command. With an Idempotency-Key, the deal id of a new deal
 * and the ids of the events are derived from the key, so a retry addresses the same stream
 * and the same events; the key's stored response answers replays.
 */
@CommandHandler(ExecuteDealCommand)
export class DealCommandHandler implements ICommandHandler<ExecuteDealCommand> {
  constructor(
    private readonly executor: DealCommandExecutor,
    private readonly idempotency: IdempotencyService,
    private readonly accounts: DealAccountResolver,
    private readonly metrics: ApiMetrics,
  ) {}

  async execute(command: ExecuteDealCommand): Promise<VersionedResponse<DealCommandResult>> {
    const type = command.request.type;
    const stop = this.metrics.commandSeconds.startTimer({ type });
    try {
      const response = await this.run(command);
      this.metrics.commands.inc({ type, outcome: response.replayed ? 'replayed' : 'accepted' });
      return response;
    } catch (error) {
      this.metrics.commands.inc({ type, outcome: outcomeOf(error) });
      throw error;
    } finally {
      stop();
    }
  }

  private async run({ dealId, request, envelope }: ExecuteDealCommand): Promise<VersionedResponse<DealCommandResult>> {
    const scope = envelope.idempotency;
    const id = dealId ?? (scope ? scopedUuid(scope, 'deal') : randomUUID());
    const run = async () => {
      const resolved = request.type === 'OpenDeal' ? await this.accounts.resolve(id, request, envelope) : request;
      return this.executor.execute(id, resolved, envelope, eventIds(scope));
    };
    if (!scope) {
      const body = await run();
      return new VersionedResponse(body, body.revision);
    }
    const outcome = await this.idempotency.run(scope, CREATED, run, appendedNothing);
    return new VersionedResponse(outcome.body, outcome.body.revision, outcome.replayed);
  }
}

function eventIds(scope: IdempotencyScope | undefined): EventIds {
  if (!scope) return { idFor: () => randomUUID(), deterministic: false };
  return { idFor: (index) => scopedUuid(scope, `event:${index}`), deterministic: true };
}

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof DomainError) return error.code === 'DEAL_NOT_FOUND' ? 'not_found' : 'refused';
  if (error instanceof DealNotFoundError) return 'not_found';
  if (error instanceof ConcurrentChangeError) return 'conflict';
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return status === 403 ? 'forbidden' : status === 409 ? 'conflict' : status === 422 ? 'refused' : status < 500 ? 'invalid' : 'error';
  }
  return 'error';
}

/** Refusals: the command was turned down before anything was appended. */
function appendedNothing(error: unknown): boolean {
  return (
    error instanceof DomainError ||
    error instanceof AccountError ||
    error instanceof DealNotFoundError ||
    error instanceof ConcurrentChangeError ||
    error instanceof HttpException
  );
}
