import { DEAL_EVENT_SCHEMA_VERSION, DEAL_EVENT_TYPES } from '@funnel/domain/deal/deal.events';
import { DEAL_UPCASTERS } from './deal-event.upcasters';
import { UpcasterRegistry } from './upcaster-registry';

const regressedV1 = {
  type: 'StageRegressed',
  data: { from: 'APPROVED', to: 'INTENT', reason: 'budget frozen', occurredAt: '2024-03-01T00:00:00.000Z' },
  metadata: { schemaVersion: 1, hash: 'stored' },
};

describe('upcasters', () => {
  it('upgrade a version-1 StageRegressed with the stages it passed over, without touching the stored event', () => {
    const stored = structuredClone(regressedV1);
    const current = DEAL_UPCASTERS.upcast(stored);
    expect(current.data).toEqual({ ...regressedV1.data, skipped: ['PROJECT'] });
    expect(current.metadata).toEqual({ schemaVersion: 2, hash: 'stored' });
    expect(stored).toEqual(regressedV1); // the stored form (which the hash covers) is unchanged
  });

  it('read an event without a schema version as version 1, and leave current ones as they are', () => {
    const unversioned = { ...regressedV1, data: { ...regressedV1.data, from: 'PROJECT', to: 'POTENTIAL' }, metadata: {} };
    expect(DEAL_UPCASTERS.upcast(unversioned).data).toMatchObject({ skipped: ['INTENT'] });
    const v2 = { ...regressedV1, data: { ...regressedV1.data, skipped: ['PROJECT'] }, metadata: { schemaVersion: 2 } };
    expect(DEAL_UPCASTERS.upcast(v2)).toBe(v2);
    const other = { type: 'VisitRecorded', data: { visitId: 'v1' }, metadata: {} };
    expect(DEAL_UPCASTERS.upcast(other)).toBe(other);
  });

  it('reach exactly the schema version the domain writes, for every deal event type', () => {
    for (const type of DEAL_EVENT_TYPES) expect([type, DEAL_UPCASTERS.currentVersion(type)]).toEqual([type, DEAL_EVENT_SCHEMA_VERSION[type]]);
  });

  it('chain several versions in order and refuse two upcasters for one step', () => {
    const registry = new UpcasterRegistry([
      { type: 'T', fromVersion: 2, upcast: (d) => ({ ...(d as object), c: 3 }) },
      { type: 'T', fromVersion: 1, upcast: (d) => ({ ...(d as object), b: 2 }) },
    ]);
    expect(registry.upcast({ type: 'T', data: { a: 1 }, metadata: {} })).toEqual({ type: 'T', data: { a: 1, b: 2, c: 3 }, metadata: { schemaVersion: 3 } });
    expect(() => new UpcasterRegistry([{ type: 'T', fromVersion: 1, upcast: (d) => d }, { type: 'T', fromVersion: 1, upcast: (d) => d }])).toThrow(
      'two upcasters for T v1',
    );
  });
});
