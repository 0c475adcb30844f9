/** Response shapes, for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEAL_STATUS_STAGES } from '@funnel/domain/playbook/stage';

export class DealCommandResultDto {
  @ApiProperty({ format: 'uuid' }) dealId!: string;
  @ApiProperty({ description: "Revision of the deal's last event (0-based); also the ETag.", example: 3 }) revision!: number;
  @ApiProperty({ description: 'Global feed position of the last event, "<commit>:<prepare>".', example: '812:37' })
  position!: string;
}

export class ValidationErrorDto {
  @ApiProperty({ example: 'account.name', description: 'Path of the bad field.' }) field!: string;
  @ApiProperty({ type: String, isArray: true, example: ['name should not be empty'] }) messages!: string[];
}

export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) message!: string | string[];
  @ApiPropertyOptional({ type: () => ValidationErrorDto, isArray: true, description: '400: every bad field.' })
  errors?: ValidationErrorDto[];
}

export class UnmetCriterionDto {
  @ApiProperty({ example: 'POTENTIAL.VISIT_REVIEWED' }) code!: string;
  @ApiProperty() message!: string;
}

export class DomainRefusalDto {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'GATE_NOT_MET', description: 'The DomainError code, or IDEMPOTENCY_KEY_REUSED.' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: () => UnmetCriterionDto, isArray: true, description: 'Every unmet gate criterion (empty otherwise).' })
  unmet!: UnmetCriterionDto[];
}

export class ConcurrentChangeDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'CONCURRENT_CHANGE' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['no_stream'] }], description: 'The revision the command expected.' })
  expected!: number | 'no_stream';
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['no_stream'] }], description: "The deal's actual revision." })
  actual!: number | 'no_stream';
}

/** Which time axis an answer used (see docs/audit.md). */
export class TimeAxesDto {
  @ApiProperty({
    enum: ['current', 'business', 'recorded', 'bitemporal'],
    description: 'current: everything recorded; business: asOf (occurredAt); recorded: knownAt (recordedAt); bitemporal: both.',
  })
  axis!: 'current' | 'business' | 'recorded' | 'bitemporal';
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Business-time instant, or null.' }) asOf!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Recorded-time instant, or null.' }) knownAt!: string | null;
}

export class DealViewDto {
  @ApiProperty({ format: 'uuid' }) dealId!: string;
  @ApiProperty({ type: () => TimeAxesDto, description: 'The time axis this answer used.' }) time!: TimeAxesDto;
  @ApiProperty({ enum: ['open', 'won', 'lost'] }) status!: string;
  @ApiProperty({ enum: [...DEAL_STATUS_STAGES] }) stage!: string;
  @ApiProperty({ description: 'Revision of the last event folded (also the ETag).' }) revision!: number;
  @ApiProperty({ format: 'uuid', description: 'The account (GET /v1/accounts/:id) the deal belongs to.' }) accountId!: string;
  @ApiProperty({ description: 'Account, owner, amounts, facts recorded so far (see DealView in libs/domain).', type: Object })
  account!: object;
  @ApiProperty({ description: 'What the next stage gate still wants; null when won or lost.', type: Object, nullable: true })
  nextGate!: object | null;
}

export class EventActorDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ type: String, isArray: true }) roles?: string[];
}

export class EventMetadataDto {
  @ApiProperty({ type: () => EventActorDto }) actor!: EventActorDto;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty({ example: 'AdvanceStage' }) command!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the previous event of the deal; null for the first.' })
  prevHash!: string | null;
  @ApiProperty() hash!: string;
}

export class DealHistoryEventDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'StageAdvanced' }) type!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'date-time', description: 'When the store recorded it.' }) recordedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time: when it happened.' }) occurredAt!: string;
  @ApiProperty({ type: Object }) data!: object;
  @ApiProperty({ type: () => EventMetadataDto }) metadata!: EventMetadataDto;
  @ApiProperty({ example: '812:37' }) position!: string;
}

export class HistoryPageDto {
  @ApiProperty() limit!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  next!: number | null;
}

export class DealHistoryPageDto {
  @ApiProperty({ format: 'uuid' }) dealId!: string;
  @ApiProperty({ type: () => TimeAxesDto, description: 'The time axis this answer used.' }) time!: TimeAxesDto;
  @ApiProperty({ type: () => DealHistoryEventDto, isArray: true }) events!: DealHistoryEventDto[];
  @ApiProperty({ type: () => HistoryPageDto }) page!: HistoryPageDto;
}

export class ChainBreakDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null for head_mismatch: the event the head names is not there.' })
  eventId!: string | null;
  @ApiProperty({
    enum: ['revision_gap', 'prev_hash_mismatch', 'hash_mismatch', 'chain_version_downgrade', 'head_mismatch'],
    description:
      'hash_mismatch: the event (content, metadata, or from chain version 2 its recorded time) was changed; ' +
      'head_mismatch: the stream no longer ends where the store\'s head says (its last events were removed or replaced).',
  })
  reason!: string;
}

export class StoredHeadDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ type: String, nullable: true }) hash!: string | null;
}

export class DealIntegrityDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Events checked.' }) events!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the last event found.' }) headHash!: string | null;
  @ApiProperty({
    type: () => StoredHeadDto,
    nullable: true,
    description: "The head the store keeps apart from the events (PostgreSQL); null on EventStoreDB, whose streams end at their last event.",
  })
  storedHead!: StoredHeadDto | null;
  @ApiProperty({ type: () => ChainBreakDto, isArray: true }) breaks!: ChainBreakDto[];
}

export class ProofAnchorDto {
  @ApiProperty({ description: 'The Merkle root (hex).' }) root!: string;
  @ApiProperty({ description: 'Streams covered.' }) count!: number;
  @ApiProperty({ example: '812:37', description: 'Feed position up to which every stream head is fixed.' }) coveredPosition!: string;
  @ApiProperty({ example: 'rfc6962-sha256:stream-heads/1' }) algorithm!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'Feed position of the anchor event.' }) position!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class ProofLeafDto {
  @ApiProperty({ example: 'deal-6f1c1f3e-8d7a-4b7e-9a51-0c5d2f9b1e21' }) streamId!: string;
  @ApiProperty({ description: 'The revision the anchor fixed as the deal\'s head.' }) revision!: string;
  @ApiProperty({ description: 'The chain hash of the deal\'s event at that revision, as stored now.' }) hash!: string;
}

export class ProofStepDto {
  @ApiProperty({ enum: ['left', 'right'], description: 'Which side the sibling hash goes on.' }) side!: 'left' | 'right';
  @ApiProperty() hash!: string;
}

export class DealProofDto {
  @ApiProperty({ format: 'uuid' }) dealId!: string;
  @ApiProperty({ type: () => ProofAnchorDto }) anchor!: ProofAnchorDto;
  @ApiProperty({ type: () => ProofLeafDto }) leaf!: ProofLeafDto;
  @ApiProperty({ description: 'SHA-256 of 0x00 ‖ "<streamId>\\n<revision>\\n<hash>".' }) leafHash!: string;
  @ApiProperty({ type: () => ProofStepDto, isArray: true, description: 'From the leaf up: node = SHA-256(0x01 ‖ left ‖ right).' })
  path!: ProofStepDto[];
  @ApiProperty({ description: "Whether the deal's events up to the anchored revision recompute their chain." })
  chainValid!: boolean;
}
