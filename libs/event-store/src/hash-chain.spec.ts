import { EventMetadata } from './event-store.port';
import { ChainLink, chainEvents, hashEvent, verifyChain } from './hash-chain';

const DAY_MS = 86_400_000;
const at = (iso: string) => new Date(iso);

/** Events as the store gives them back: with stream, revision and recorded time. */
function stored(streamId: string, events: { id: string; type: string; data: unknown; metadata: EventMetadata; recordedAt?: Date }[]): ChainLink[] {
  return events.map((e, i) => ({ ...e, streamId, revision: BigInt(i), recordedAt: e.recordedAt ?? at('2025-01-05T00:00:00.000Z') }));
}

/** Two events hashed by the version-1 code (before chain version 2 existed), copied verbatim. */
const LEGACY_V1 = stored('deal-legacy', [
  {
    id: '00000000-0000-4000-8000-000000000001',
    type: 'Tick',
    data: { n: 1, occurredAt: '2025-01-01T00:00:00.000Z' },
    metadata: { actor: { id: 'alice' }, schemaVersion: 1, hash: '64f3d2b829fda8fe8a2ad5fc6405ba4910451d1c76dd39a6d09aaab2cba778cc' },
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    type: 'Tick',
    data: { n: 2, occurredAt: '2025-01-02T00:00:00.000Z' },
    metadata: {
      actor: { id: 'alice' },
      schemaVersion: 1,
      prevHash: '64f3d2b829fda8fe8a2ad5fc6405ba4910451d1c76dd39a6d09aaab2cba778cc',
      hash: '4e47d2ede2f5bab06e123941d1ac3f854ea1aec2a93986d4db6683d5f017980b',
    },
  },
]);

const tick = (n: number) => ({ id: `00000000-0000-4000-8000-00000000010${n}`, type: 'Tick', data: { n }, metadata: { actor: { id: 'bob' } } });

describe('hash chain versions', () => {
  it('keeps verifying events stored under version 1, which did not cover the recorded time', () => {
    expect(verifyChain(LEGACY_V1)).toMatchObject({ valid: true, events: 2, breaks: [] });
    const edited = LEGACY_V1.map((e, i) => (i === 0 ? { ...e, data: { n: 9, occurredAt: '2025-01-01T00:00:00.000Z' } } : e));
    expect(verifyChain(edited).breaks).toEqual([{ revision: 0n, eventId: LEGACY_V1[0].id, reason: 'hash_mismatch' }]);
    // the gap version 2 closes: under version 1 a moved recorded time goes unnoticed
    const moved = LEGACY_V1.map((e, i) => (i === 0 ? { ...e, recordedAt: new Date(e.recordedAt.getTime() - DAY_MS) } : e));
    expect(verifyChain(moved).valid).toBe(true);
  });

  it('hashes new events under version 2, which covers the recorded time', () => {
    const recordedAt = at('2025-02-01T10:00:00.123Z');
    const events = stored('deal-v2', chainEvents('deal-v2', null, 0n, [tick(1), tick(2)], recordedAt));
    expect(events.map((e) => e.metadata.chainVersion)).toEqual([2, 2]);
    expect(verifyChain(events).valid).toBe(true);

    const moved = events.map((e, i) => (i === 1 ? { ...e, recordedAt: new Date(recordedAt.getTime() - DAY_MS) } : e));
    expect(verifyChain(moved).breaks).toEqual([{ revision: 1n, eventId: events[1].id, reason: 'hash_mismatch' }]);
  });

  it('cannot be switched back to version 1 by editing the metadata, nor continued under version 1', () => {
    const events = stored('deal-v2', chainEvents('deal-v2', null, 0n, [tick(1), tick(2)], at('2025-02-01T10:00:00.000Z')));
    const { chainVersion: _v, ...v1Metadata } = events[1].metadata;
    const relabelled = [events[0], { ...events[1], metadata: v1Metadata }];
    expect(verifyChain(relabelled).breaks.map((b) => b.reason)).toEqual(['hash_mismatch', 'chain_version_downgrade']);

    // a forged event appended after version 2, correctly hashed under version 1 (which would
    // let its recorded time be moved freely)
    const prevHash = events[1].metadata.hash!;
    const body = { id: '00000000-0000-4000-8000-000000000999', type: 'Tick', data: { n: 3 }, metadata: { actor: { id: 'mallory' }, prevHash } };
    const forged = { ...body, metadata: { ...body.metadata, hash: hashEvent('deal-v2', 2n, body, prevHash) }, streamId: 'deal-v2', revision: 2n, recordedAt: at('2025-02-02T00:00:00.000Z') };
    expect(verifyChain([...events, forged]).breaks).toEqual([{ revision: 2n, eventId: forged.id, reason: 'chain_version_downgrade' }]);
  });

  it('continues a version-1 stream under version 2', () => {
    const next = chainEvents('deal-legacy', LEGACY_V1[1].metadata.hash!, 2n, [tick(3)], at('2025-03-01T00:00:00.000Z'));
    const stream = [...LEGACY_V1, { ...next[0], streamId: 'deal-legacy', revision: 2n, recordedAt: at('2025-03-01T00:00:00.000Z') }];
    expect(verifyChain(stream)).toMatchObject({ valid: true, events: 3 });
  });

  it('says so where the store sets the recorded time after hashing (EventStoreDB), and covers the rest', () => {
    const events = stored('deal-esdb', chainEvents('deal-esdb', null, 0n, [tick(1)], null));
    expect(events[0].metadata).toMatchObject({ chainVersion: 2, recordedAtHashed: false });
    expect(verifyChain(events).valid).toBe(true);
    expect(verifyChain([{ ...events[0], data: { n: 2 } }]).valid).toBe(false);
  });
});
