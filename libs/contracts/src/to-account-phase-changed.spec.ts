import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA } from './account-phase-changed.v1';
import { toAccountPhaseChangedV1 } from './to-account-phase-changed';

const accountId = '6f1c2d3e-4a5b-5c6d-8e7f-901234567890';
const validate = addFormats(new Ajv2020({ strict: true, allErrors: true })).compile(ACCOUNT_PHASE_CHANGED_V1_JSON_SCHEMA);

function recorded(type: string, data: Record<string, unknown>, streamId = `account-${accountId}`): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000002',
    type,
    data: { occurredAt: '2026-03-01T10:00:00.000Z', ...data },
    metadata: { actor: { id: 'mia', roles: ['manager'] }, correlationId: 'corr-9' },
    streamId,
    revision: 5n,
    position: { commit: 900n, prepare: 12n },
    recordedAt: new Date('2026-03-01T10:00:02.000Z'),
  };
}

describe('the public account phase-changed v1 event', () => {
  it('carries an accepted suggestion with its evidence, and fits its JSON Schema', () => {
    const out = toAccountPhaseChangedV1(
      recorded('PhaseChanged', {
        from: 'BREAKTHROUGH',
        to: 'CONSOLIDATION',
        reason: "The account's first won deal",
        evidence: [{ note: 'deal won', dealId: '7a2d3b5f-9c2e-4d4f-8a8b-3e6f9d0c1b22', sourceEventId: '00000000-0000-4000-8000-000000000009' }],
        decidedBy: 'mia',
        suggestionId: '11111111-2222-5333-8444-555555555555',
        phaseRulesVersion: 'phases-2026.1',
      }),
    );
    expect(out).toEqual({
      schema: 'funnel.account.phase-changed/1',
      eventId: '00000000-0000-4000-8000-000000000002',
      accountId,
      position: '900:12',
      occurredAt: '2026-03-01T10:00:00.000Z',
      recordedAt: '2026-03-01T10:00:02.000Z',
      from: 'BREAKTHROUGH',
      to: 'CONSOLIDATION',
      reason: "The account's first won deal",
      decidedBy: 'mia',
      suggestionId: '11111111-2222-5333-8444-555555555555',
      override: null,
      evidence: [{ note: 'deal won', dealId: '7a2d3b5f-9c2e-4d4f-8a8b-3e6f9d0c1b22' }],
      phaseRulesVersion: 'phases-2026.1',
      correlationId: 'corr-9',
    });
    expect(validate(out)).toBe(true);
  });

  it('carries an overridden gate without the internal list of unmet criteria', () => {
    const out = toAccountPhaseChangedV1(
      recorded('PhaseChanged', {
        from: 'BREAKTHROUGH',
        to: 'HARVEST',
        reason: 'won before this system',
        evidence: [{ note: 'paper contract 2024' }],
        decidedBy: 'mia',
        override: { by: 'mia', reason: 'contract on paper', unmetAtOverride: [{ code: 'HARVEST.DEAL_WON', message: 'x' }] },
        phaseRulesVersion: 'phases-2026.1',
      }),
    );
    expect(out).toMatchObject({ override: { by: 'mia', reason: 'contract on paper' }, suggestionId: null, evidence: [{ note: 'paper contract 2024', dealId: null }] });
    expect(validate(out)).toBe(true);
    expect(validate({ ...out, to: 'GOLD' })).toBe(false);
  });

  it('is null for every other event and stream', () => {
    expect(toAccountPhaseChangedV1(recorded('PhaseSuggested', { from: 'BREAKTHROUGH', to: 'CONSOLIDATION' }))).toBeNull();
    expect(toAccountPhaseChangedV1(recorded('PhaseChanged', { from: 'A', to: 'B' }, `deal-${accountId}`))).toBeNull();
  });
});
