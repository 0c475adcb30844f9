import { DEAL_EVENT_SCHEMA_VERSION, DEAL_EVENT_TYPES, dealIdFromStream, dealStreamId, isDealEventType } from './deal.events';

describe('deal events', () => {
  it('have explicit, stable type strings, each with a schema version', () => {
    expect(DEAL_EVENT_TYPES).toContain('DealOpened');
    expect(DEAL_EVENT_TYPES).toContain('StageAdvanced');
    expect(DEAL_EVENT_TYPES).toHaveLength(28);
    for (const type of DEAL_EVENT_TYPES) expect(DEAL_EVENT_SCHEMA_VERSION[type]).toBeGreaterThanOrEqual(1);
    // gained `skipped`; libs/event-store's upcaster reads version 1
    expect(DEAL_EVENT_SCHEMA_VERSION.StageRegressed).toBe(2);
    expect(isDealEventType('DealOpened')).toBe(true);
    expect(isDealEventType('SomethingElse')).toBe(false);
  });

  it('live one deal per stream, deal-<uuid>', () => {
    const id = '6f1c2a4e-8b1d-4c3e-9f7a-2d5e8c9b0a11';
    expect(dealStreamId(id)).toBe(`deal-${id}`);
    expect(dealIdFromStream(`deal-${id}`)).toBe(id);
  });

  it('refuse a stream name that is not a deal', () => {
    expect(() => dealStreamId('42')).toThrow('uuid');
    expect(dealIdFromStream('account-6f1c2a4e-8b1d-4c3e-9f7a-2d5e8c9b0a11')).toBeUndefined();
    expect(dealIdFromStream('deal-not-a-uuid')).toBeUndefined();
  });
});
