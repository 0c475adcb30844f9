import { Command } from '@nestjs/cqrs';
import { CommandEnvelope } from './command-envelope';
import { DealRequest, ExistingDealRequest, OpenNewDeal } from './deal-request';
import { VersionedResponse } from './versioned-response';
import { DealCommandResult } from './command-envelope';

/** Any deal command, sent through the CommandBus to DealCommandHandler. */
export class ExecuteDealCommand extends Command<VersionedResponse<DealCommandResult>> {
  private constructor(
    /** null: open a new deal, whose id the handler chooses. */
    readonly dealId: string | null,
    readonly request: DealRequest,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }

  static open(request: OpenNewDeal, envelope: CommandEnvelope): ExecuteDealCommand {
    return new ExecuteDealCommand(null, request, envelope);
  }

  static on(dealId: string, request: ExistingDealRequest, envelope: CommandEnvelope): ExecuteDealCommand {
    return new ExecuteDealCommand(dealId, request, envelope);
  }
}
