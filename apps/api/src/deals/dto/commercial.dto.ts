import { QuoteKind } from '@funnel/domain/deal/deal.values';
import { STAGES, Stage } from '@funnel/domain/playbook/stage';
import { DealCommandDto } from './deal-command.dto';
import { Amount, CalendarDate, Currency, OneOf, Text } from './field.decorators';
import { NEGOTIATION_CONDITION_IDS, STAGE_ACTION_IDS } from './playbook-ids';

export class SubmitQuoteDto extends DealCommandDto {
  @Text({ optional: true, nonBlank: true, description: 'Omit to number it; a revised quote takes a new id.' }) quoteId?: string;
  @OneOf(['PRELIMINARY', 'FORMAL']) kind!: QuoteKind;
  @Amount() amount!: number;
  @Currency() currency!: string;
  @CalendarDate({ optional: true }) validUntil?: string;
}

export class UpdateForecastDto extends DealCommandDto {
  @Amount({ max: 100, description: 'Probability of closing, in percent.', example: 60 }) probability!: number;
  @CalendarDate() expectedCloseDate!: string;
  @Amount({ optional: true }) amount?: number;
}

export class ConfirmNegotiationConditionDto extends DealCommandDto {
  @OneOf(NEGOTIATION_CONDITION_IDS, { description: 'One of the seven negotiation entry conditions.' }) conditionId!: string;
  @Text({ optional: true }) comment?: string;
}

export class CompleteStageActionDto extends DealCommandDto {
  @OneOf(STAGES) stage!: Stage;
  @OneOf(STAGE_ACTION_IDS, { description: "An action from the stage's checklist, e.g. POTENTIAL.VISIT." }) actionId!: string;
  @Text({ optional: true }) note?: string;
}

export class SignContractDto extends DealCommandDto {
  @Text({ optional: true }) contractNumber?: string;
  @Amount({ optional: true }) amount?: number;
  @Currency({ optional: true }) currency?: string;
}

/** Confirmed by finance (the `finance` role). */
export class ConfirmPaymentDto extends DealCommandDto {
  @Amount({ positive: true, description: 'Above 0.' }) amount!: number;
  @Currency() currency!: string;
  @Text({ optional: true }) reference?: string;
}

export class RecordShipmentDto extends DealCommandDto {
  @Text({ optional: true, nonBlank: true, description: 'Omit to number it.' }) shipmentId?: string;
  @Text({ optional: true }) description?: string;
}
