import { Body, Controller, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandEnvelope } from './command-envelope';
import { Envelope } from './command-envelope.decorator';
import { dealRequest } from './deal-request';
import { DealResponseInterceptor } from './deal-response.interceptor';
import { DealCommandRoute, DealId } from './deal-route.decorators';
import {
  RecordCompetitorDto,
  RecordEvaluationCriteriaDto,
  RecordProcurementTimetableDto,
  RecordSwotDto,
  SubmitAssessmentDto,
} from './dto/procurement.dto';
import { ExecuteDealCommand } from './execute-deal-command.command';

/** Our judgement and the customer's buying process: assessments, timetable, criteria, SWOT, competitors. */
@ApiTags('deals: assessment and procurement')
@Controller('v1/deals/:dealId')
@UseInterceptors(DealResponseInterceptor)
export class DealProcurementController {
  constructor(private readonly commands: CommandBus) {}

  @DealCommandRoute('assessments', 'Submit an opportunity assessment (REAL, WORTH, COMPETE, WIN)', {
    command: 'SubmitAssessment',
    description: "Every criterion of the kind's catalogue is judged + - or ?; the verdict is computed by the playbook's rule.",
  })
  submitAssessment(@DealId() dealId: string, @Body() dto: SubmitAssessmentDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('SubmitAssessment', dto), envelope));
  }

  @DealCommandRoute('procurement-timetable', 'Record the procurement timetable (项目采购时间表)', { command: 'RecordProcurementTimetable' })
  recordTimetable(@DealId() dealId: string, @Body() dto: RecordProcurementTimetableDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordProcurementTimetable', dto), envelope));
  }

  @DealCommandRoute('evaluation-criteria', "Record the customer's evaluation criteria (采购评审内容)", {
    command: 'RecordEvaluationCriteria',
  })
  recordEvaluationCriteria(@DealId() dealId: string, @Body() dto: RecordEvaluationCriteriaDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordEvaluationCriteria', dto), envelope));
  }

  @DealCommandRoute('swot', 'Record our SWOT for this deal', { command: 'RecordSwot' })
  recordSwot(@DealId() dealId: string, @Body() dto: RecordSwotDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordSwot', dto), envelope));
  }

  @DealCommandRoute('competitors', 'Record (or replace) a competitor profile', { command: 'RecordCompetitor' })
  recordCompetitor(@DealId() dealId: string, @Body() dto: RecordCompetitorDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.execute(ExecuteDealCommand.on(dealId, dealRequest('RecordCompetitor', dto), envelope));
  }
}
