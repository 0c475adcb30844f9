/**
 * `funnel.account.phase-changed` v1: the public integration event for a change of an
 * account's relationship phase (breakthrough → consolidation → harvest → defence). Versioned
 * independently of the internal account events: a breaking change becomes v2, served beside v1.
 */
export const ACCOUNT_PHASE_CHANGED_V1 = 'funnel.account.phase-changed/1' as const;

export type RelationshipPhaseV1 = 'BREAKTHROUGH' | 'CONSOLIDATION' | 'HARVEST' | 'DEFENCE';

export interface AccountPhaseChangedV1 {
  schema: typeof ACCOUNT_PHASE_CHANGED_V1;
  /** The id of the domain event it was made from: consumers de-duplicate on it. */
  eventId: string;
  accountId: string;
  /** Feed position ("<commit>:<prepare>"): resume after it to miss nothing. */
  position: string;
  /** Business time of the change. */
  occurredAt: string;
  /** When the store recorded it. */
  recordedAt: string;
  from: RelationshipPhaseV1;
  to: RelationshipPhaseV1;
  reason: string;
  /** Who judged it (phases are decided by people). */
  decidedBy: string;
  /** Set when a manager accepted a suggestion of the phase rules. */
  suggestionId: string | null;
  /** A phase gate passed although unmet, with the manager's reason. */
  override: { by: string; reason: string } | null;
  evidence: { note: string; dealId: string | null }[];
  phaseRulesVersion: string;
  correlationId: string | null;
}

const PHASES = ['BREAKTHROUGH', 'CONSOLIDATION', 'HARVEST', 'DEFENCE'];

/** JSON Schema (2020-12) of v1, served to consumers with the feed. */
export const ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: ACCOUNT_PHASE_CHANGED_V1,
  title: 'Account relationship phase changed (v1)',
  type: 'object',
  additionalProperties: false,
  required: [
    'schema', 'eventId', 'accountId', 'position', 'occurredAt', 'recordedAt', 'from', 'to', 'reason',
    'decidedBy', 'suggestionId', 'override', 'evidence', 'phaseRulesVersion', 'correlationId',
  ],
  properties: {
    schema: { const: ACCOUNT_PHASE_CHANGED_V1 },
    eventId: { type: 'string', format: 'uuid' },
    accountId: { type: 'string', format: 'uuid' },
    position: { type: 'string', pattern: '^[0-9]+:[0-9]+$' },
    occurredAt: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time' },
    from: { enum: PHASES },
    to: { enum: PHASES },
    reason: { type: 'string' },
    decidedBy: { type: 'string' },
    suggestionId: { type: ['string', 'null'], format: 'uuid' },
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
    evidence: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['note', 'dealId'],
        properties: { note: { type: 'string' }, dealId: { type: ['string', 'null'] } },
      },
    },
    phaseRulesVersion: { type: 'string' },
    correlationId: { type: ['string', 'null'] },
  },
} as const;
