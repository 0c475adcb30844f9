import { Body, Controller, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { COMMAND_ROLES } from '../auth/actor';
import { CommandEnvelope } from './command-envelope';
import { Envelope } from './command-envelope.decorator';
import { dealRequest } from './deal-request';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealCommandRoute, DealId } from './deal-route.decorators';
import {
  CompleteStageActionDto,
  ConfirmNegotiationConditionDto,
  ConfirmPaymentDto,
  RecordShipmentDto,
  SignContractDto,
  SubmitQuoteDto,
  UpdateForecastDto,
} from './dto/commercial.dto';
import { ExecuteDealCommand } from './execute-deal-command.command';

/** The commercial side: quotes, forecast, negotiation conditions, checklists, contract, payment, shipment. */
@ApiTags('deals: commercial')
@Controller('v1/deals/:dealId')
@UseInterceptors(DealResponseInterceptor)
export class DealCommercialController {
  constructor(private readonly commands: CommandBus) {}

  @DealCommandRoute('quotes', 'Submit a quote (preliminary or formal)', { command: 'SubmitQuote' })
  submitQuote(@DealId() dealId: string, @Body() dto: SubmitQuoteDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('SubmitQuote', dto), envelope));
  }

  @DealCommandRoute('forecast', 'Update the forecast (probability, expected close date)', { command: 'UpdateForecast' })
  updateForecast(@DealId() dealId: string, @Body() dto: UpdateForecastDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('UpdateForecast', dto), envelope));
  }

  @DealCommandRoute('negotiation-conditions', 'Confirm a negotiation entry condition (进入商务谈判阶段的条件)', {
    command: 'ConfirmNegotiationCondition',
  })
  confirmCondition(@DealId() dealId: string, @Body() dto: ConfirmNegotiationConditionDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('ConfirmNegotiationCondition', dto), envelope));
  }

  @DealCommandRoute('stage-actions', "Complete an action of a stage's checklist", { command: 'CompleteStageAction' })
  completeAction(@DealId() dealId: string, @Body() dto: CompleteStageActionDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('CompleteStageAction', dto), envelope));
  }

  @DealCommandRoute('contract', 'Record the signed contract', { command: 'SignContract' })
  signContract(@DealId() dealId: string, @Body() dto: SignContractDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('SignContract', dto), envelope));
  }

  @DealCommandRoute('payment', 'Confirm a payment received (finance)', {
    command: 'ConfirmPayment',
    roles: [...COMMAND_ROLES, 'finance'],
    description: 'Only an actor with the `finance` role has it accepted (支付首期款并得到财务确认); others get 422 FINANCE_ROLE_REQUIRED.',
  })
  confirmPayment(@DealId() dealId: string, @Body() dto: ConfirmPaymentDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('ConfirmPayment', dto), envelope));
  }

  @DealCommandRoute('shipment', 'Record a shipment', { command: 'RecordShipment' })
  recordShipment(@DealId() dealId: string, @Body() dto: RecordShipmentDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordShipment', dto), envelope));
  }
}
