import { BUYING_ROLES, BuyingRole } from '@funnel/domain/playbook/buying-role';
import { NEED_DIMENSIONS, NEED_VISIBILITIES, NeedDimension, NeedVisibility } from '@funnel/domain/playbook/need';
import { RELATIONSHIP_LEVELS, RelationshipLevel } from '@funnel/domain/playbook/relationship-level';
import {
  CharacteristicAnswer,
  CharacteristicAssessment,
  CustomerProjectMember,
  OrganisationChart,
  OrganisationChartPerson,
} from '@funnel/domain/deal/deal.values';
import { DealCommandDto } from './deal-command.dto';
import { Amount, Currency, Flag, Nested, OneOf, OneOfList, Text, TextList } from './field.decorators';
import { CHARACTERISTIC_IDS } from './playbook-ids';

export class CharacteristicAssessmentDto implements CharacteristicAssessment {
  @OneOf(CHARACTERISTIC_IDS, { description: "One of the playbook's POTENTIAL characteristics." })
  characteristicId!: string;

  @OneOf(['YES', 'NO', 'UNKNOWN'])
  answer!: CharacteristicAnswer;

  @Text({ optional: true }) comment?: string;
}

export class OrganisationChartPersonDto implements OrganisationChartPerson {
  @Text() personId!: string;
  @Text() name!: string;
  @Text() title!: string;
  @Text() department!: string;
  @Text({ optional: true, description: 'personId of the manager, if known.' }) reportsTo?: string;
}

export class OrganisationChartDto implements OrganisationChart {
  @Nested(() => OrganisationChartPersonDto, { array: true, uniqueBy: 'personId' }) people!: OrganisationChartPersonDto[];
}

/** 客户全貌信息 */
export class RecordCustomerProfileDto extends DealCommandDto {
  @Nested(() => CharacteristicAssessmentDto, { array: true, uniqueBy: 'characteristicId' }) characteristics!: CharacteristicAssessmentDto[];
  @Nested(() => OrganisationChartDto) organisationChart!: OrganisationChartDto;
  @Text({ optional: true }) accountOwner?: string;
}

/** Current state → difficulty → impact → benefit after improvement. */
export class AnalyzeProblemDto extends DealCommandDto {
  @Text({ optional: true, nonBlank: true, description: 'Omit to number a new problem; give a known one to replace its analysis.' })
  problemId?: string;
  @Text({ description: '现状' }) currentState!: string;
  @Text({ optional: true, description: '困难/问题' }) difficulty?: string;
  @Text({ optional: true, description: '产生的影响' }) impact?: string;
  @Text({ optional: true, description: '改进后的效益' }) benefit?: string;
  @OneOf(NEED_DIMENSIONS) dimension!: NeedDimension;
  @OneOf(NEED_VISIBILITIES) visibility!: NeedVisibility;
}

export class RecordCustomerInterestDto extends DealCommandDto {
  @Flag() interested!: boolean;
  @Flag({ description: 'Agrees to buy rather than build (认同外购).' }) agreesToBuy!: boolean;
  @Flag({ description: 'Is talking to vendors (接触厂商).' }) talkingToVendors!: boolean;
  @Text({ optional: true }) comment?: string;
}

export class CustomerProjectMemberDto implements CustomerProjectMember {
  @Text() name!: string;
  @Text({ optional: true }) title?: string;
  @Text({ optional: true }) department?: string;
  @Text({ optional: true }) personId?: string;
}

export class BudgetDto {
  @Amount() amount!: number;
  @Currency() currency!: string;
  @Text({ optional: true }) comment?: string;
}

/** 立项: facts present replace earlier ones, absent ones keep them. */
export class RecordProjectInitiationDto extends DealCommandDto {
  @Nested(() => CustomerProjectMemberDto, { optional: true }) customerProjectOwner?: CustomerProjectMemberDto;
  @Nested(() => CustomerProjectMemberDto, { optional: true, array: true }) customerProjectTeam?: CustomerProjectMemberDto[];
  @Nested(() => BudgetDto, { optional: true }) preliminaryBudget?: BudgetDto;
  @Flag({ optional: true }) requirementsClear?: boolean;
  @TextList({ optional: true }) thirdParties?: string[];
  @Text({ optional: true }) comment?: string;
}

/** A person on the customer's side and the buying roles they hold (a person may hold several). */
export class IdentifyStakeholderDto extends DealCommandDto {
  @Text() personId!: string;
  @Text() name!: string;
  @Text() title!: string;
  @Text() department!: string;
  @OneOfList(BUYING_ROLES) roles!: BuyingRole[];
  @OneOf(RELATIONSHIP_LEVELS, { optional: true, description: "How close the person is to us; the vocabulary of an account's key people." })
  relationshipLevel?: RelationshipLevel;
}

export class WithdrawStakeholderRoleDto extends DealCommandDto {
  @Text({ optional: true }) reason?: string;
}
