import { AssessmentCriterionInput } from '@funnel/domain/deal/deal.commands';
import { Swot } from '@funnel/domain/deal/deal.values';
import { ASSESSMENT_KINDS, AssessmentKind, MARKS, Mark } from '@funnel/domain/playbook/assessment-kind';
import { DealCommandDto } from './deal-command.dto';
import { Amount, CalendarDate, Nested, OneOf, Text, TextList } from './field.decorators';
import { ASSESSMENT_CRITERION_IDS, EVALUATION_CATEGORY_IDS, MILESTONE_IDS } from './playbook-ids';

export class CompetitorMarkDto {
  @Text() competitor!: string;
  @OneOf(MARKS) mark!: Mark;
  @Text({ optional: true }) comment?: string;
}

export class AssessmentCriterionDto implements AssessmentCriterionInput {
  @OneOf(ASSESSMENT_CRITERION_IDS, { description: "A criterion of the assessment's catalogue, e.g. REAL.1." })
  criterionId!: string;

  @OneOf(MARKS, { description: '`+` meets the standard, `-` does not, `?` unknown yet.' })
  mark!: Mark;

  @Text({ optional: true }) comment?: string;

  @Nested(() => CompetitorMarkDto, { optional: true, array: true, uniqueBy: 'competitor', description: 'COMPETE/WIN: marks per named competitor.' })
  competitors?: CompetitorMarkDto[];
}

/** One of the four opportunity assessments; every criterion judged, the verdict is computed. */
export class SubmitAssessmentDto extends DealCommandDto {
  @OneOf(ASSESSMENT_KINDS) kind!: AssessmentKind;
  @Nested(() => AssessmentCriterionDto, { array: true, uniqueBy: 'criterionId' }) criteria!: AssessmentCriterionDto[];
  @TextList({ optional: true, nonBlank: true, unique: true, description: 'COMPETE/WIN: the competitors scored beside us.' }) competitors?: string[];
  @Text({ optional: true }) conclusion?: string;
}

export class MilestoneDto {
  @OneOf(MILESTONE_IDS) milestoneId!: string;
  @Text({ nullable: true, description: 'Responsible unit or person.' }) responsible?: string | null;
  @CalendarDate({ nullable: true }) date?: string | null;
}

/** 项目采购时间表: milestones left out are unknown. */
export class RecordProcurementTimetableDto extends DealCommandDto {
  @Nested(() => MilestoneDto, { array: true, uniqueBy: 'milestoneId' }) milestones!: MilestoneDto[];
}

export class EvaluationCategoryDto {
  @OneOf(EVALUATION_CATEGORY_IDS) categoryId!: string;
  @Text({ nullable: true }) criterion?: string | null;
  @Amount({ nullable: true, max: 100, description: 'Weight in percent.' }) weight?: number | null;
}

/** 采购评审内容: categories left out are unknown. */
export class RecordEvaluationCriteriaDto extends DealCommandDto {
  @Nested(() => EvaluationCategoryDto, { array: true, uniqueBy: 'categoryId' }) categories!: EvaluationCategoryDto[];
}

export class RecordSwotDto extends DealCommandDto implements Swot {
  @TextList() strengths!: string[];
  @TextList() weaknesses!: string[];
  @TextList() opportunities!: string[];
  @TextList() threats!: string[];
}

/** Keyed by name: recording a known competitor again replaces its profile. */
export class RecordCompetitorDto extends DealCommandDto {
  @Text() name!: string;
  @TextList({ optional: true }) strengths?: string[];
  @TextList({ optional: true }) weaknesses?: string[];
  @Text({ optional: true }) strategy?: string;
  @Text({ optional: true }) notes?: string;
}
