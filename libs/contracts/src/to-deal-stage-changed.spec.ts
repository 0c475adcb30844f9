import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { toDealStageChangedV1 } from './to-deal-stage-changed';
import { DEAL_STAGE_CHANGED_V1_JSON_SCHEMA } from './deal-stage-changed.v1';

const dealId = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

function recorded(type: string, data: Record<string, unknown>, streamId = `deal-${dealId}`): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type,
    data: { occurredAt: '2026-03-01T10:00:00.000Z', ...data },
    metadata: { actor: { id: 'mia', roles: ['manager'] }, correlationId: 'corr-7' },
    streamId,
    revision: 3n,
    position: { commit: 812n, prepare: 44n },
    recordedAt: new Date('2026-03-01T10:00:01.000Z'),
  };
}

describe('the public stage-changed v1 event', () => {
  it('carries a manager-overridden skip with who, why and the skipped stages', () => {
    const out = toDealStageChangedV1(
      recorded('StageAdvanced', {
        from: 'INTENT',
        to: 'APPROVED',
        skipped: ['PROJECT'],
        override: { by: 'mia', reason: 'board fast-tracked it', unmetAtOverride: [] },
        playbookVersion: '2026.1',
      }),
    );
    expect(out).toEqual({
      schema: 'funnel.deal.stage-changed/1',
      eventId: '00000000-0000-4000-8000-000000000001',
      dealId,
      position: '812:44',
      occurredAt: '2026-03-01T10:00:00.000Z',
      recordedAt: '2026-03-01T10:00:01.000Z',
      kind: 'skipped',
      from: 'INTENT',
      to: 'APPROVED',
      skipped: ['PROJECT'],
      reason: null,
      override: { by: 'mia', reason: 'board fast-tracked it' },
      competitor: null,
      actor: 'mia',
      correlationId: 'corr-7',
    });
    // every field the schema requires is present, and nothing more
    expect(Object.keys(out!).sort()).toEqual([...DEAL_STAGE_CHANGED_V1_JSON_SCHEMA.required].sort());
  });

  it('names winning, losing (with the competitor) and reopening as kinds', () => {
    expect(toDealStageChangedV1(recorded('StageAdvanced', { from: 'NEGOTIATION', to: 'WON', skipped: [] }))?.kind).toBe('won');
    const lost = toDealStageChangedV1(recorded('DealLost', { from: 'PROJECT', reason: 'price', competitor: 'Acme' }));
    expect(lost).toMatchObject({ kind: 'lost', from: 'PROJECT', to: 'LOST', competitor: 'Acme', reason: 'price' });
    expect(toDealStageChangedV1(recorded('DealReopened', { to: 'PROJECT' }))).toMatchObject({ kind: 'reopened', from: 'LOST', to: 'PROJECT' });
    expect(toDealStageChangedV1(recorded('DealOpened', { stage: 'TARGET' }))).toMatchObject({ kind: 'opened', from: null, to: 'TARGET' });
  });

  it('ignores events that do not change the stage, and streams that are not deals', () => {
    expect(toDealStageChangedV1(recorded('VisitRecorded', { visitId: 'v1' }))).toBeNull();
    expect(toDealStageChangedV1(recorded('DealLost', { from: 'PROJECT', reason: 'x' }, 'other-1'))).toBeNull();
  });
});
