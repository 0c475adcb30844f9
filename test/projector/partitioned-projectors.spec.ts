import { randomUUID } from 'node:crypto';
import { escapeIdentifier, Client, Pool } from 'pg';
import { dealSummaryProjection } from '@funnel/read-models/deal-summary/deal-summary.projection';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { GenerationRegistry } from '@funnel/read-models/projection/generation-registry';
import { generationSchema } from '@funnel/read-models/projection/generation-schema';
import { partitionOf } from '@funnel/read-models/projection/partition';
import { Projection } from '@funnel/read-models/projection/projection';
import { ProjectionRunner } from '@funnel/read-models/projection/projection-runner';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { makeFreshGenerationLive } from '@funnel/read-models/testing/fresh-live-generation';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';

/**
 * A projector "process" inside the test: its own pool, its own sessions (named, so pg_locks can
 * tell whose lease is whose) and one runner per projection. `crash()` ends every session it has
 * and keeps it from opening new ones, as a killed process would.
 */
class ProjectorProcess {
  readonly pool: Pool;
  private crashed = false;
  private readonly runners: ProjectionRunner[];

  constructor(
    readonly name: string,
    h: ReadModelHarness,
    projections: readonly Projection[],
    partitions: number,
  ) {
    this.pool = new Pool({ connectionString: h.db.url, max: 4, application_name: name });
    this.pool.on('error', () => undefined);
    this.runners = projections.map(
      (projection) =>
        new ProjectionRunner(projection, {
          pool: this.pool,
          store: h.store,
          batchSize: 97,
          partitions,
          rebalanceMs: 100,
          standbyRetryMs: 100,
          idleMs: 20,
          openSession: () => this.openSession(h.db.url),
        }),
    );
    for (const runner of this.runners) runner.start();
  }

  private async openSession(url: string): Promise<Client> {
    if (this.crashed) throw new Error(`${this.name} has crashed`);
    const client = new Client({ connectionString: url, application_name: this.name });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  async crash(admin: Pool): Promise<void> {
    this.crashed = true;
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [this.name],
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.pool.end();
  }
}

/** Every table of every projection's live generation, each row as text, in one stable order. */
async function dumpLiveTables(pool: Pool): Promise<Record<string, string[]>> {
  const live = await new GenerationRegistry(pool).active();
  const dump: Record<string, string[]> = {};
  for (const g of live.filter((x) => x.status === 'live')) {
    const schema = generationSchema(g.projection, g.generation);
    const tables = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    for (const { table_name } of tables.rows) {
      const rows = await pool.query<{ row: string }>(
        `SELECT t::text AS row FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table_name)} t ORDER BY t::text COLLATE "C"`,
      );
      dump[`${g.projection}.${table_name}`] = rows.rows.map((r) => r.row);
    }
  }
  return dump;
}

/** Partition leases of `projection`'s live generation, by the process (application_name) holding them. */
async function leasesByProcess(h: ReadModelHarness, projection: string): Promise<Record<string, number[]>> {
  const rows = await h.rows<{ process: string; partition: number }>(
    `SELECT a.application_name AS process, l.objid::int AS partition
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       JOIN projection_generations g ON g.projection = $1 AND g.status = 'live'
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.mode = 'ExclusiveLock'
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::int8 = (hashtext(g.projection || '/g' || g.generation)::int8 & 4294967295)
      ORDER BY 1, 2`,
    [projection],
  );
  const byProcess: Record<string, number[]> = {};
  for (const r of rows) (byProcess[r.process] ??= []).push(r.partition);
  return byProcess;
}

/** Polls until `check` holds; the deadline only ends a test that would otherwise hang. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('partitioned projectors', () => {
  it('partitions by a fixed hash of the lowercased stream id, every event of a deal in one partition', () => {
    const id = randomUUID();
    for (const n of [2, 4, 7]) {
      expect(partitionOf(`deal-${id}`, n)).toBe(partitionOf(`deal-${id.toUpperCase()}`, n));
      expect(partitionOf(`deal-${id}`, n)).toBeLessThan(n);
    }
    // FNV-1a's published test vectors, pinned: a change of the function (which would mix two
    // partitionings in one generation) cannot pass unnoticed.
    expect(partitionOf('a', 2 ** 32 - 1)).toBe(0xe40c292c);
    expect(partitionOf('FooBar', 2 ** 32 - 1)).toBe(0xbf9cf968);
    const spread = new Set(Array.from({ length: 64 }, () => partitionOf(`deal-${randomUUID()}`, 4)));
    expect([...spread].sort()).toEqual([0, 1, 2, 3]);
  });

  describe('N = 1, 2 and 4 build the same read models as one process', () => {
    let h: ReadModelHarness;
    let baseline: Record<string, string[]>;
    beforeAll(async () => {
      h = await startReadModelHarness();
      const deals = [...generateDealHistories({ deals: 300, seed: 1313 })];
      // The baseline: one process, one writer per projection, while the history is written.
      h.startRunners(ALL_PROJECTIONS, { batchSize: 37 });
      const written = await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 61 });
      expect(written).toBeGreaterThan(5000);
      await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name), 300_000);
      baseline = await dumpLiveTables(h.pool);
      expect(Object.keys(baseline).length).toBeGreaterThanOrEqual(ALL_PROJECTIONS.length);
      expect(baseline['audit_trail.audit_events']).toHaveLength(written);
    }, 400_000);
    afterAll(async () => {
      await h.close();
    });

    it.each([
      [1, 2],
      [2, 2],
      [4, 3],
    ])('N = %i over %i processes', async (partitions, processes) => {
      for (const projection of ALL_PROJECTIONS) await makeFreshGenerationLive(h.pool, projection, partitions);
      const expected = (p: Projection) => (p.partitionable ? partitions : 1);
      const live = await new GenerationRegistry(h.pool).active();
      expect(live.map((g) => [g.projection, g.partitions])).toEqual(
        [...ALL_PROJECTIONS].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.name, expected(p)]),
      );
      const running = Array.from({ length: processes }, (_, i) => new ProjectorProcess(`projector-${partitions}-${i}`, h, ALL_PROJECTIONS, partitions));
      try {
        await h.waitUntilCaughtUp(ALL_PROJECTIONS.map((p) => p.name), 300_000);
        const dump = await dumpLiveTables(h.pool);
        expect(Object.keys(dump)).toEqual(Object.keys(baseline));
        for (const table of Object.keys(baseline)) {
          expect({ table, rows: dump[table].length }).toEqual({ table, rows: baseline[table].length });
          expect(dump[table]).toEqual(baseline[table]);
        }
        if (partitions > 1) {
          // Every partition was written, and the checkpoints together counted every event once.
          const counts = await h.rows<{ projection: string; partitions: string; processed: string }>(
            `SELECT c.projection, count(*) AS partitions, sum(c.events_processed) AS processed
               FROM projection_checkpoints c JOIN projection_generations g USING (projection, generation)
              WHERE g.status = 'live' AND c.projection = 'audit_trail' GROUP BY 1`,
          );
          const [{ n }] = await h.rows<{ n: string }>(`SELECT count(*) AS n FROM events`);
          expect(counts).toEqual([{ projection: 'audit_trail', partitions: String(partitions), processed: n }]);
        }
      } finally {
        await Promise.all(running.map((p) => p.stop()));
      }
    }, 400_000);
  });

  describe('partition leases', () => {
    let h: ReadModelHarness;
    const processes: ProjectorProcess[] = [];
    const projections = [dealSummaryProjection];
    let opened = 0;
    /** Opens one more deal through the store; its id. */
    const newDeal = async () => {
      const [deal] = [...generateDealHistories({ deals: 1, seed: 9000 + ++opened })];
      await h.append(deal.dealId, [deal.events[0]]);
      return deal.dealId;
    };
    const summaries = async (dealId: string) => h.rows(`SELECT deal_id FROM rm.deal_summary WHERE deal_id = $1`, [dealId]);

    beforeAll(async () => {
      h = await startReadModelHarness();
      const deals = [...generateDealHistories({ deals: 60, seed: 77 })];
      await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 200 });
      await makeFreshGenerationLive(h.pool, dealSummaryProjection, 4);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await h.close();
    });

    it('are shared 2/2 by two processes, all taken by the one left when the other crashes, and shared again when a third joins', async () => {
      const a = new ProjectorProcess('proc-a', h, projections, 4);
      const b = new ProjectorProcess('proc-b', h, projections, 4);
      processes.push(a, b);
      await eventually(
        () => leasesByProcess(h, 'deal_summary'),
        (l) => l['proc-a']?.length === 2 && l['proc-b']?.length === 2,
        'two processes share four partitions 2/2',
      );
      await h.waitUntilCaughtUp(['deal_summary']);

      // b dies: its sessions end (and with them its member lock and leases); it cannot come back.
      await b.crash(h.pool);
      const alone = await eventually(
        () => leasesByProcess(h, 'deal_summary'),
        (l) => l['proc-a']?.length === 4 && l['proc-b'] === undefined,
        'the survivor leases all four partitions',
      );
      expect(alone).toEqual({ 'proc-a': [0, 1, 2, 3] });
      const afterCrash = await newDeal();
      await h.waitUntilCaughtUp(['deal_summary']);
      expect(await summaries(afterCrash)).toHaveLength(1);

      // A third process joins: the survivor gives up two partitions, which the newcomer takes.
      const c = new ProjectorProcess('proc-c', h, projections, 4);
      processes.push(c);
      await eventually(
        () => leasesByProcess(h, 'deal_summary'),
        (l) => l['proc-a']?.length === 2 && l['proc-c']?.length === 2,
        'the newcomer takes its share',
      );
      const whileShared = await newDeal();
      await h.waitUntilCaughtUp(['deal_summary']);
      expect(await summaries(whileShared)).toHaveLength(1);

      // c leaves in good order: its leases are released, and a takes them back.
      await c.stop();
      processes.splice(processes.indexOf(c), 1);
      await eventually(
        () => leasesByProcess(h, 'deal_summary'),
        (l) => l['proc-a']?.length === 4 && l['proc-c'] === undefined,
        'the one left takes the partitions of the one that stopped',
      );
      const afterLeave = await newDeal();
      await h.waitUntilCaughtUp(['deal_summary']);
      expect(await summaries(afterLeave)).toHaveLength(1);
    }, 180_000);

    it('a lease whose session is destroyed is free at once: its writer takes it again on a new session', async () => {
      const before = await h.rows<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.application_name = 'proc-a' AND l.locktype = 'advisory' AND l.objsubid = 2
            AND l.mode = 'ExclusiveLock' AND l.objid::int = 3`,
      );
      expect(before).toHaveLength(1);
      await h.pool.query(`SELECT pg_terminate_backend($1)`, [before[0].pid]);
      const retaken = await eventually(
        () =>
          h.rows<{ pid: number }>(
            `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE a.application_name = 'proc-a' AND l.locktype = 'advisory' AND l.objsubid = 2
                AND l.mode = 'ExclusiveLock' AND l.objid::int = 3`,
          ),
        (rows) => rows.length === 1 && rows[0].pid !== before[0].pid,
        'partition 3 leased again on another session',
      );
      expect(retaken[0].pid).not.toBe(before[0].pid);
      const afterKill = await newDeal();
      await h.waitUntilCaughtUp(['deal_summary']);
      expect(await summaries(afterKill)).toHaveLength(1);
    }, 120_000);
  });
});
