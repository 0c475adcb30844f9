import { CustomerAttendee, FollowUp, OurAttendee, VisitPreparation, VisitReview } from '@funnel/domain/deal/deal.values';
import { DealCommandDto } from './deal-command.dto';
import { Amount, CalendarDate, Flag, Instant, Nested, Text, TextList } from './field.decorators';

export class CustomerAttendeeDto implements CustomerAttendee {
  @Text() name!: string;
  @Text() department!: string;
  @Text() title!: string;
  @Text({ optional: true, description: "Role in the customer's project." }) role?: string;
  @Text({ optional: true }) background?: string;
  @Text({ optional: true, description: 'Relationship with us.' }) relationship?: string;
}

export class OurAttendeeDto implements OurAttendee {
  @Text() name!: string;
  @Text() role!: string;
}

/** 客户拜访前的准备 */
export class VisitPreparationDto implements VisitPreparation {
  @Instant({ description: 'Appointment start.' }) date!: string;
  @Amount({ integer: true, description: 'Planned duration in minutes.', example: 60 }) durationMinutes!: number;
  @Flag({ optional: true, description: 'Re-confirmed the day before.' }) reconfirmedDayBefore?: boolean;
  @Text({ description: 'Purpose agreed by both sides.' }) purpose!: string;
  @TextList() agenda!: string[];
  @Nested(() => CustomerAttendeeDto, { array: true }) customerAttendees!: CustomerAttendeeDto[];
  @Nested(() => OurAttendeeDto, { array: true }) ourAttendees!: OurAttendeeDto[];
  @TextList() materials!: string[];
  @TextList({ optional: true, description: 'What we mean to raise.' }) topics?: string[];
  @Text({ optional: true }) logistics?: string;
}

export class FollowUpDto implements FollowUp {
  @Text() action!: string;
  @Text({ optional: true }) owner?: string;
  @CalendarDate({ optional: true }) due?: string;
}

/** 总结客户拜访情况 */
export class VisitReviewDto implements VisitReview {
  @Flag() goalReached!: boolean;
  @TextList() wentWell!: string[];
  @TextList() wentBadly!: string[];
  @Text({ description: 'What we now believe about the customer.' }) learned!: string;
  @Text() improvementPlan!: string;
  @TextList() commitments!: string[];
  @Nested(() => FollowUpDto, { array: true }) followUps!: FollowUpDto[];
  @Flag() thankYouSent!: boolean;
}

export class RecordVisitDto extends DealCommandDto {
  @Text({ description: 'Your id for the visit, unique within the deal.', example: 'visit-1' }) visitId!: string;
  @Nested(() => VisitPreparationDto) preparation!: VisitPreparationDto;
  @Nested(() => VisitReviewDto, { optional: true, description: 'The review, when recorded with the visit.' })
  review?: VisitReviewDto;
}

/** POST /v1/deals/:dealId/visits/:visitId/review: the review's fields. */
export class ReviewVisitDto extends VisitReviewDto {
  @Instant({ optional: true, description: 'When the review was made; defaults to now.' })
  occurredAt?: string;
}
