/** Bodies of the account commands; every bad field is listed in one 400. */
import { BUYING_ROLES, BuyingRole } from '@funnel/domain/playbook/buying-role';
import { RELATIONSHIP_LEVELS, RelationshipLevel } from '@funnel/domain/playbook/relationship-level';
import { RELATIONSHIP_PHASES, RelationshipPhase } from '@funnel/domain/playbook/relationship-phase';
import { DealCommandDto } from '../../deals/dto/deal-command.dto';
import { Flag, Nested, OneOf, OneOfList, Text } from '../../deals/dto/field.decorators';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class OpenAccountDto extends DealCommandDto {
  @Text({ example: 'Hangzhou Precision Castings' }) name!: string;
  @Text({ example: 'Manufacturing' }) industry!: string;
  @Text({ example: 'East China' }) region!: string;
  @Text({ optional: true, description: 'Free text or a band such as "200-500 employees".' }) size?: string;
  @Flag({ optional: true, description: 'A key account (重点客户); defence is suggested when a competitor appears on its deals.' }) keyAccount?: boolean;
}

export class PhaseEvidenceDto {
  @Text({ example: 'framework agreement signed 2026-02' }) note!: string;
  @Text({ optional: true, description: 'The deal the evidence is about.' }) dealId?: string;
}

export class OverrideDto {
  @Text({ description: 'Why the gate is passed although unmet.' }) reason!: string;
}

export class ChangePhaseDto extends DealCommandDto {
  @OneOf(RELATIONSHIP_PHASES) to!: RelationshipPhase;
  @Text({ description: 'Why: phases are judged by people.' }) reason!: string;
  @Nested(() => PhaseEvidenceDto, { optional: true, array: true }) evidence?: PhaseEvidenceDto[];
  @Nested(() => OverrideDto, { optional: true, description: "A manager passes an unmet phase gate with a written reason." }) override?: OverrideDto;
}

export class AcceptSuggestionDto extends DealCommandDto {
  @Text({ optional: true, description: "Defaults to the suggestion's own reason." }) reason?: string;
}

export class ReasonDto extends DealCommandDto {
  @Text() reason!: string;
}

export class OptionalReasonDto extends DealCommandDto {
  @Text({ optional: true }) reason?: string;
}

export class FlagKeyAccountDto extends DealCommandDto {
  @Flag() keyAccount!: boolean;
  @Text({ optional: true }) reason?: string;
}

export class KeyPersonDto extends DealCommandDto {
  @Text({ example: 'p-wang-li', description: 'Your id for the person; recording it again replaces them.' }) personId!: string;
  @Text({ example: 'Wang Li' }) name!: string;
  @Text({ example: 'CIO' }) title!: string;
  @Text({ optional: true }) department?: string;
  @OneOfList(BUYING_ROLES, { description: "Buying roles, the deals' vocabulary." }) roles!: BuyingRole[];
  @OneOf(RELATIONSHIP_LEVELS, { description: 'How close the person is to us.' }) level!: RelationshipLevel;
  @Text({ optional: true }) note?: string;
}

export class MergeAccountDto extends DealCommandDto {
  @ApiProperty({ format: 'uuid', description: 'The account this one lives on in.' })
  @IsUUID(undefined, { message: 'into must be a uuid' })
  into!: string;

  @Text() reason!: string;
}
