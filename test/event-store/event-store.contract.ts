import { randomUUID } from 'node:crypto';
import { EventStore, RecordedEvent, Subscription } from '@funnel/event-store/event-store.port';
import { StreamNotFoundError, WrongExpectedVersionError } from '@funnel/event-store/event-store.errors';
import { comparePositions } from '@funnel/event-store/global-position';
import { verifyChain } from '@funnel/event-store/hash-chain';

/**
 * The one contract every EventStore adapter is held to. Each adapter's spec file calls this
 * with a factory for a store over an empty (or at least isolated) database.
 */
export function eventStoreContract(
  name: string,
  open: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, dispose } = await open());
    });
    afterAll(async () => {
      await dispose();
    });

    const stream = () => `contract-${randomUUID()}`;
    const event = (n: number, extra: Record<string, unknown> = {}) => ({
      type: 'ThingHappened',
      data: { n, ...extra },
      metadata: { correlationId: 'corr-1', actor: { id: 'alice' }, free: 'kept' },
    });

    async function collect(sub: Subscription, count: number, timeoutMs = 10000): Promise<RecordedEvent[]> {
      const seen: RecordedEvent[] = [];
      const timer = setTimeout(() => void sub.stop(), timeoutMs);
      for await (const e of sub) {
        seen.push(e);
        if (seen.length >= count) break;
      }
      clearTimeout(timer);
      await sub.stop();
      return seen;
    }

    describe('append and read', () => {
      it('reads back what was appended, with the full envelope', async () => {
        const s = stream();
        const id = randomUUID();
        const result = await store.appendToStream(s, [{ ...event(1), id }], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0n);

        const [read] = await store.readStream(s);
        expect(read.id).toBe(id);
        expect(read.type).toBe('ThingHappened');
        expect(read.data).toEqual({ n: 1 });
        expect(read.metadata).toMatchObject({ correlationId: 'corr-1', actor: { id: 'alice' }, free: 'kept' });
        expect(read.streamId).toBe(s);
        expect(read.revision).toBe(0n);
        expect(comparePositions(read.position, result.position)).toBe(0);
        expect(read.recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(read.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
      });

      it('appends several events atomically with consecutive revisions', async () => {
        const s = stream();
        const result = await store.appendToStream(s, [event(1), event(2), event(3)], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
      });

      it('writes nothing of a batch that fails its expectation', async () => {
        const s = stream();
        await store.appendToStream(s, [event(1)], { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStream(s, [event(2), event(3)], { expectedRevision: 5n }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('throws StreamNotFound for a stream with no events', async () => {
        await expect(store.readStream(stream())).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('reads backwards, from a revision, and at most maxCount', async () => {
        const s = stream();
        await store.appendToStream(s, [1, 2, 3, 4, 5].map((n) => event(n)), { expectedRevision: 'any' });
        const backwards = await store.readStream(s, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.revision)).toEqual([4n, 3n]);
        const fromTwo = await store.readStream(s, { fromRevision: 2n, maxCount: 2 });
        expect(fromTwo.map((e) => e.revision)).toEqual([2n, 3n]);
        const backFromTwo = await store.readStream(s, { direction: 'backwards', fromRevision: 2n });
        expect(backFromTwo.map((e) => e.revision)).toEqual([2n, 1n, 0n]);
      });
    });

    describe('expected revision', () => {
      it('no_stream: succeeds on a new stream, fails on an existing one', async () => {
        const s = stream();
        await store.appendToStream(s, [event(1)], { expectedRevision: 'no_stream' });
        const error = await store
          .appendToStream(s, [event(2)], { expectedRevision: 'no_stream' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actual).toBe(0n);
      });

      it('stream_exists: fails on a new stream, succeeds on an existing one', async () => {
        const s = stream();
        const error = await store
          .appendToStream(s, [event(1)], { expectedRevision: 'stream_exists' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actual).toBe('no_stream');
        await store.appendToStream(s, [event(1)], { expectedRevision: 'no_stream' });
        const ok = await store.appendToStream(s, [event(2)], { expectedRevision: 'stream_exists' });
        expect(ok.nextExpectedRevision).toBe(1n);
      });

      it('any: succeeds whatever the stream holds', async () => {
        const s = stream();
        expect((await store.appendToStream(s, [event(1)], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(s, [event(2)], { expectedRevision: 'any' })).nextExpectedRevision).toBe(1n);
      });

      it('exact revision: succeeds when it matches, fails with expected and actual otherwise', async () => {
        const s = stream();
        await store.appendToStream(s, [event(1), event(2)], { expectedRevision: 'no_stream' });
        const ok = await store.appendToStream(s, [event(3)], { expectedRevision: 1n });
        expect(ok.nextExpectedRevision).toBe(2n);
        const error = await store
          .appendToStream(s, [event(4)], { expectedRevision: 1n })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).expected).toBe(1n);
        expect((error as WrongExpectedVersionError).actual).toBe(2n);
      });

      it('lets exactly one of two racing writers at the same revision win', async () => {
        const s = stream();
        await store.appendToStream(s, [event(0)], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          [1, 2, 3, 4].map((n) => store.appendToStream(s, [event(n)], { expectedRevision: 0n })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected).toHaveLength(3);
        for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('idempotency', () => {
      it('appending the same event ids again writes nothing and returns the same result', async () => {
        const s = stream();
        const batch = [{ ...event(1), id: randomUUID() }, { ...event(2), id: randomUUID() }];
        const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(again.position, first.position)).toBe(0);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('hash chain', () => {
      it('chains each event to the previous one, across appends', async () => {
        const s = stream();
        await store.appendToStream(s, [event(1), event(2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(s, [event(3)], { expectedRevision: 1n });
        const events = await store.readStream(s);
        expect(events[0].metadata.prevHash).toBeUndefined();
        expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
        expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
        expect(verifyChain(events)).toMatchObject({ valid: true, events: 3 });

        const tampered = events.map((e, i) => (i === 1 ? { ...e, data: { n: 99 } } : e));
        const verdict = verifyChain(tampered);
        expect(verdict.valid).toBe(false);
        expect(verdict.breaks[0]).toMatchObject({ revision: 1n, reason: 'hash_mismatch' });
      });

      it('hashes new events under chain version 2, covering the recorded time wherever it is fixed before hashing', async () => {
        const s = stream();
        await store.appendToStream(s, [event(1), event(2)], { expectedRevision: 'no_stream' });
        const events = await store.readStream(s);
        expect(events.map((e) => e.metadata.chainVersion)).toEqual([2, 2]);
        const moved = events.map((e, i) => (i === 1 ? { ...e, recordedAt: new Date(e.recordedAt.getTime() - 86_400_000) } : e));
        if (events[1].metadata.recordedAtHashed === false) {
          // EventStoreDB: the server sets `created` after the client hashed; the metadata says so
          expect(verifyChain(moved).valid).toBe(true);
        } else {
          expect(verifyChain(moved).breaks).toEqual([{ revision: 1n, eventId: events[1].id, reason: 'hash_mismatch' }]);
        }
      });
    });

    describe('global feed', () => {
      it('pages through the feed in order, each page after the previous', async () => {
        const s = stream();
        const before = await store.headPosition();
        await store.appendToStream(s, [1, 2, 3, 4, 5].map((n) => event(n, { s })), { expectedRevision: 'no_stream' });
        const pages: RecordedEvent[][] = [];
        let after = before ?? ('start' as const);
        for (;;) {
          const page = await store.readAll({ after, maxCount: 2 });
          if (page.length === 0) break;
          pages.push(page);
          after = page[page.length - 1].position;
        }
        const mine = pages.flat().filter((e) => e.streamId === s);
        expect(mine.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(pages.every((p) => p.length <= 2)).toBe(true);
        const all = pages.flat();
        for (let i = 1; i < all.length; i++) {
          expect(comparePositions(all[i - 1].position, all[i].position)).toBe(-1);
        }
        const head = await store.headPosition();
        expect(head && comparePositions(head, all[all.length - 1].position)).toBe(0);
      });

      it('filters the feed by stream prefix and event type', async () => {
        const prefix = `flt${randomUUID().slice(0, 8)}-`;
        const before = (await store.headPosition()) ?? ('start' as const);
        await store.appendToStream(`${prefix}a`, [event(1), { ...event(2), type: 'OtherThing' }], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream(), [event(3)], { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}b`, [event(4)], { expectedRevision: 'no_stream' });
        const page = await store.readAll({
          after: before,
          maxCount: 10,
          filter: { streamPrefixes: [prefix], eventTypes: ['ThingHappened'] },
        });
        expect(page.map((e) => (e.data as { n: number }).n)).toEqual([1, 4]);
      });

      it('orders the feed as the appends happened', async () => {
        const a = stream();
        const b = stream();
        const first = await store.appendToStream(a, [event(1)], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(b, [event(2)], { expectedRevision: 'no_stream' });
        expect(comparePositions(first.position, second.position)).toBe(-1);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up on past events, then delivers live ones, filtered by stream prefix', async () => {
        const prefix = `sub${randomUUID().slice(0, 8)}-`;
        const before = await store.headPosition();
        await store.appendToStream(`${prefix}1`, [event(1), event(2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream(), [event(99)], { expectedRevision: 'no_stream' });
        const sub = store.subscribeToAll({ from: before ?? 'start', filter: { streamPrefixes: [prefix] } });
        const collecting = collect(sub, 4);
        await new Promise((r) => setTimeout(r, 300));
        await store.appendToStream(`${prefix}2`, [event(3), event(4)], { expectedRevision: 'no_stream' });
        const seen = await collecting;
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
        expect(seen.every((e) => e.streamId.startsWith(prefix))).toBe(true);
      });

      it('from "end" sees only what comes after it', async () => {
        const prefix = `end${randomUUID().slice(0, 8)}-`;
        await store.appendToStream(`${prefix}old`, [event(1)], { expectedRevision: 'no_stream' });
        const sub = store.subscribeToAll({ from: 'end', filter: { streamPrefixes: [prefix] } });
        const collecting = collect(sub, 1);
        await new Promise((r) => setTimeout(r, 500));
        await store.appendToStream(`${prefix}new`, [event(2)], { expectedRevision: 'no_stream' });
        const seen = await collecting;
        expect(seen.map((e) => e.streamId)).toEqual([`${prefix}new`]);
      });

      it('stop() ends the iteration', async () => {
        const sub = store.subscribeToAll({ from: 'end', filter: { streamPrefixes: ['nothing-ever-'] } });
        const iterating = (async () => {
          let count = 0;
          for await (const _ of sub) count++;
          return count;
        })();
        await new Promise((r) => setTimeout(r, 200));
        await sub.stop();
        await expect(iterating).resolves.toBe(0);
      });
    });
  });
}
