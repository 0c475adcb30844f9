/**
 * `funnel.deal.stage-changed` v1: the public integration event other services consume.
 * Versioned independently of the internal domain events, which may change shape: a breaking
 * change here becomes v2, served beside v1.
 */
export const DEAL_STAGE_CHANGED_V1 = 'funnel.deal.stage-changed/1' as const;

export type StageOrLost =
  | 'TARGET'
  | 'POTENTIAL'
  | 'INTENT'
  | 'PROJECT'
  | 'APPROVED'
  | 'NEGOTIATION'
  | 'WON'
  | 'LOST';

export type StageChangeKind = 'opened' | 'advanced' | 'skipped' | 'regressed' | 'won' | 'lost' | 'reopened';

export interface DealStageChangedV1 {
  schema: typeof DEAL_STAGE_CHANGED_V1;
  /** The id of the domain event it was made from: consumers de-duplicate on it. */
  eventId: string;
  dealId: string;
  /** Feed position ("<commit>:<prepare>"): resume after it to miss nothing. */
  position: string;
  /** Business time of the change. */
  occurredAt: string;
  /** When the store recorded it. */
  recordedAt: string;
  kind: StageChangeKind;
  /** null when the deal was opened. */
  from: StageOrLost | null;
  to: StageOrLost;
  skipped: StageOrLost[];
  reason: string | null;
  override: { by: string; reason: string } | null;
  /** Lost to this competitor, when known. */
  competitor: string | null;
  actor: string | null;
  correlationId: string | null;
}

const STAGE_OR_LOST = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON', 'LOST'];
const nullableString = { type: ['string', 'null'] };

/** JSON Schema (2020-12) of v1, served to consumers with the feed. */
export const DEAL_STAGE_CHANGED_V1_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: DEAL_STAGE_CHANGED_V1,
  title: 'Deal stage changed (v1)',
  type: 'object',
  additionalProperties: false,
  required: [
    'schema', 'eventId', 'dealId', 'position', 'occurredAt', 'recordedAt', 'kind', 'from', 'to',
    'skipped', 'reason', 'override', 'competitor', 'actor', 'correlationId',
  ],
  properties: {
    schema: { const: DEAL_STAGE_CHANGED_V1 },
    eventId: { type: 'string', format: 'uuid' },
    dealId: { type: 'string', format: 'uuid' },
    position: { type: 'string', pattern: '^[0-9]+:[0-9]+$' },
    occurredAt: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time' },
    kind: { enum: ['opened', 'advanced', 'skipped', 'regressed', 'won', 'lost', 'reopened'] },
    from: { enum: [...STAGE_OR_LOST, null] },
    to: { enum: STAGE_OR_LOST },
    skipped: { type: 'array', items: { enum: STAGE_OR_LOST } },
    reason: nullableString,
    override: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['by', 'reason'],
          properties: { by: { type: 'string' }, reason: { type: 'string' } },
        },
      ],
    },
    competitor: nullableString,
    actor: nullableString,
    correlationId: nullableString,
  },
} as const;
