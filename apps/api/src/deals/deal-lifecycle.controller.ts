import { Body, Controller, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandEnvelope } from './command-envelope';
import { Envelope } from './command-envelope.decorator';
import { dealRequest, moveStage, openNewDeal } from './deal-request';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealCommandRoute, DealId } from './deal-route.decorators';
import { OpenDealDto } from './dto/open-deal.dto';
import { MarkLostDto, MoveStageDto, ReassignOwnerDto, ReopenDealDto } from './dto/stage.dto';
import { ExecuteDealCommand } from './execute-deal-command.command';

/** Opening a deal and moving it through the funnel (forward, backward, out and back in). */
@ApiTags('deals: lifecycle')
@Controller('v1/deals')
@UseInterceptors(DealResponseInterceptor)
export class DealLifecycleController {
  constructor(private readonly commands: CommandBus) {}

  @DealCommandRoute('', 'Open a deal in TARGET', { command: 'OpenDeal', opensDeal: true, description: 'The server chooses the deal id.' })
  open(@Body() dto: OpenDealDto, @Envelope({ conditional: false }) envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.open(openNewDeal(dto), envelope));
  }

  @DealCommandRoute(':dealId/stage', 'Move the deal to another stage', {
    command: 'AdvanceStage when `to` is after the current stage, RegressStage when before',
    description:
      "Forward, the gate of every stage entered must be met; otherwise 422 GATE_NOT_MET lists every unmet criterion. A manager may pass it (or skip stages) with `override.reason`, never into WON. Backward needs a `reason`.",
  })
  move(@DealId() dealId: string, @Body() dto: MoveStageDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, moveStage(dto), envelope));
  }

  @DealCommandRoute(':dealId/lost', 'Mark the deal lost', { command: 'MarkLost' })
  markLost(@DealId() dealId: string, @Body() dto: MarkLostDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('MarkLost', dto), envelope));
  }

  @DealCommandRoute(':dealId/reopen', 'Reopen a lost deal at the stage it was lost from', { command: 'ReopenDeal' })
  reopen(@DealId() dealId: string, @Body() dto: ReopenDealDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('ReopenDeal', dto), envelope));
  }

  @DealCommandRoute(':dealId/owner', 'Reassign the deal to another owner', { command: 'ReassignOwner' })
  reassignOwner(@DealId() dealId: string, @Body() dto: ReassignOwnerDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('ReassignOwner', dto), envelope));
  }
}
