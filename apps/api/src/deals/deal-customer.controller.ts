import { Body, Controller, Param, ParseEnumPipe, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { BUYING_ROLES, BuyingRole } from '@funnel/domain/playbook/buying-role';
import { CommandEnvelope } from './command-envelope';
import { Envelope } from './command-envelope.decorator';
import { dealRequest } from './deal-request';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealCommandRoute, DealId } from './deal-route.decorators';
import {
  AnalyzeProblemDto,
  IdentifyStakeholderDto,
  RecordCustomerInterestDto,
  RecordCustomerProfileDto,
  RecordProjectInitiationDto,
  WithdrawStakeholderRoleDto,
} from './dto/customer.dto';
import { RecordVisitDto, ReviewVisitDto } from './dto/visit.dto';
import { ExecuteDealCommand } from './execute-deal-command.command';

const BUYING_ROLE_ENUM = Object.fromEntries(BUYING_ROLES.map((role) => [role, role]));

/** What we learn about the customer: visits, profile, problems, interest, project, buying roles. */
@ApiTags('deals: customer')
@Controller('v1/deals/:dealId')
@UseInterceptors(DealResponseInterceptor)
export class DealCustomerController {
  constructor(private readonly commands: CommandBus) {}

  @DealCommandRoute('visits', 'Record a customer visit (客户拜访), with its review if done', { command: 'RecordVisit' })
  recordVisit(@DealId() dealId: string, @Body() dto: RecordVisitDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordVisit', dto), envelope));
  }

  @DealCommandRoute('visits/:visitId/review', 'Add the review to an earlier visit', { command: 'ReviewVisit' })
  reviewVisit(
    @DealId() dealId: string,
    @Param('visitId') visitId: string,
    @Body() { occurredAt, ...review }: ReviewVisitDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    const data = { visitId, review, ...(occurredAt !== undefined && { occurredAt }) };
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('ReviewVisit', data), envelope));
  }

  @DealCommandRoute('profile', 'Record the customer profile (客户全貌信息)', { command: 'RecordCustomerProfile' })
  recordProfile(@DealId() dealId: string, @Body() dto: RecordCustomerProfileDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordCustomerProfile', dto), envelope));
  }

  @DealCommandRoute('problems', 'Analyse a customer problem (现状 → 困难 → 影响 → 效益)', { command: 'AnalyzeProblem' })
  analyzeProblem(@DealId() dealId: string, @Body() dto: AnalyzeProblemDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('AnalyzeProblem', dto), envelope));
  }

  @DealCommandRoute('interest', "Record the customer's interest", { command: 'RecordCustomerInterest' })
  recordInterest(@DealId() dealId: string, @Body() dto: RecordCustomerInterestDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordCustomerInterest', dto), envelope));
  }

  @DealCommandRoute('project-initiation', 'Record project-initiation facts (立项): owner or team, budget…', {
    command: 'RecordProjectInitiation',
  })
  recordProjectInitiation(@DealId() dealId: string, @Body() dto: RecordProjectInitiationDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordProjectInitiation', dto), envelope));
  }

  @DealCommandRoute('stakeholders', 'Identify a stakeholder and the buying roles they hold', { command: 'IdentifyStakeholder' })
  identifyStakeholder(@DealId() dealId: string, @Body() dto: IdentifyStakeholderDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('IdentifyStakeholder', dto), envelope));
  }

  @DealCommandRoute('stakeholders/:personId/roles/:role/withdrawal', 'Withdraw a buying role from a stakeholder', {
    command: 'WithdrawStakeholderRole',
  })
  @ApiParam({ name: 'role', enum: [...BUYING_ROLES] })
  withdrawRole(
    @DealId() dealId: string,
    @Param('personId') personId: string,
    @Param('role', new ParseEnumPipe(BUYING_ROLE_ENUM)) role: BuyingRole,
    @Body() dto: WithdrawStakeholderRoleDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.execute(
      ExecuteDealCommand.on(dealId, dealRequest('WithdrawStakeholderRole', { ...dto, personId, role }), envelope),
    );
  }
}
