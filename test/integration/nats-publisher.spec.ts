import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '@funnel/integration/contract/deal-stage-changed.outbound';
import { JetStreamPublisher, NATS_HEADERS } from '@funnel/integration/nats/jetstream-publisher';
import { EventStore } from '@funnel/event-store/event-store.port';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { openDatabase } from '@funnel/runtime/open-database';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { NATS_URL, natsAvailable } from './support/nats-available';
import { nextChange } from './support/stage-change-events';

const available = natsAvailable();
if (!available) process.stdout.write(`skipped: no NATS JetStream answers at ${NATS_URL} (the NATS publisher tests need one)\n`);
const describeWithNats = available ? describe : describe.skip;

interface Published {
  seq: number;
  subject: string;
  eventId: string;
  msgId: string | null;
  schema: string | null;
  dealId: string;
  to: string;
}

/**
 * The publisher follows the store's feed into a JetStream stream. Killed mid-stream, or cut off
 * from the broker for a while, it must resume so that the stream holds every stage change
 * exactly once, each deal's changes in order.
 */
describeWithNats('NATS JetStream publisher', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await openDatabase(loadFunnelConfig({ NODE_ENV: 'test', DATABASE_URL: db.url }), () => undefined);
    pool = new Pool({ connectionString: db.url, max: 4 });
    store = PostgresEventStore.fromConnectionString(db.url, 4);
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const stream of streams) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await store.close();
    await pool.end();
    await db.drop();
  });

  const uniqueStream = () => {
    const tag = randomBytes(5).toString('hex');
    const stream = `FUNNEL_TEST_${tag}`;
    streams.push(stream);
    return { stream, prefix: `test${tag}.` };
  };

  /** Appends the next stage change of `deals` round-robin, `rounds` times (a deal's changes in order). */
  async function appendRounds(deals: { id: string; step: number }[], rounds: number, between?: () => Promise<void>): Promise<void> {
    for (let r = 0; r < rounds; r++) {
      for (const deal of deals) {
        await store.appendToStream(`deal-${deal.id}`, [nextChange(deal.id, deal.step)], {
          expectedRevision: deal.step === 0 ? 'no_stream' : BigInt(deal.step - 1),
        });
        deal.step++;
      }
      await between?.();
    }
  }

  /**
   * Every stage change in the store, in feed order, once the feed shows all `count` changes of
   * these deals (a commit becomes readable only when no older transaction on the server is still
   * running, and other suites share the server).
   */
  async function expectedChanges(dealIds: Set<string>, count: number): Promise<{ eventId: string; dealId: string }[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const events = await store.readAll({ after: 'start', maxCount: 100_000, filter: DEAL_STAGE_CHANGED_OUTBOUND.feedFilter });
      const all = events.map((e) => ({ eventId: e.id, dealId: e.streamId.slice('deal-'.length) }));
      const ours = all.filter((e) => dealIds.has(e.dealId)).length;
      if (ours === count) return all;
      if (Date.now() > deadline) throw new Error(`the feed shows ${ours} of ${count} changes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function messagesIn(stream: string): Promise<Published[]> {
    const info = await jsm.streams.info(stream);
    const out: Published[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      if (!m) continue;
      const body = m.json<{ eventId: string; dealId: string; to: string }>();
      out.push({
        seq,
        subject: m.subject,
        eventId: m.header.get(NATS_HEADERS.eventId),
        msgId: m.header.get('Nats-Msg-Id') || null,
        schema: m.header.get(NATS_HEADERS.schema) || null,
        dealId: body.dealId,
        to: body.to,
      });
      expect(body.eventId).toBe(m.header.get(NATS_HEADERS.eventId));
    }
    return out;
  }

  async function waitForCount(stream: string, count: number, what: string): Promise<void> {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const info = await jsm.streams.info(stream).catch(() => null);
      const n = info?.state.messages ?? 0;
      if (n >= count) return;
      if (Date.now() > deadline) throw new Error(`${what}: the stream holds ${n} of ${count} messages`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Exactly once, in order per deal, on the subject of the stage moved to, with the contract's headers. */
  function expectExactlyOnceInOrder(published: Published[], expected: { eventId: string; dealId: string }[], prefix: string) {
    const ids = published.map((p) => p.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice().sort()).toEqual(expected.map((e) => e.eventId).sort());
    const perDeal = (list: { eventId: string; dealId: string }[]) => {
      const byDeal = new Map<string, string[]>();
      for (const e of list) byDeal.set(e.dealId, [...(byDeal.get(e.dealId) ?? []), e.eventId]);
      return Object.fromEntries(byDeal);
    };
    expect(perDeal(published)).toEqual(perDeal(expected));
    for (const p of published) {
      expect(p.subject).toBe(`${prefix}funnel.deal.stage-changed.${p.to}`);
      expect(p.msgId).toBe(p.eventId);
      expect(p.schema).toBe('funnel.deal.stage-changed/1');
    }
  }

  function spawnPublisher(stream: string, prefix: string): ChildProcess {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'support/nats-publisher.process.ts')],
      {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, DATABASE_URL: db.url, NATS_URL, NATS_STREAM: stream, SUBJECT_PREFIX: prefix, CHECKPOINT_EVERY_MS: '60000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[publisher] ${d.toString()}`));
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  it('killed mid-stream and restarted: the stream holds every change exactly once, in order per deal', async () => {
    const { stream, prefix } = uniqueStream();
    const deals = Array.from({ length: 12 }, () => ({ id: randomUUID(), step: 0 }));
    await appendRounds(deals, 2);

    let publisher = spawnPublisher(stream, prefix);
    try {
      // changes keep coming while the publisher runs; it is killed once part of them is out
      let killed = false;
      await appendRounds(deals, 4, async () => {
        if (killed) return;
        const info = await jsm.streams.info(stream).catch(() => null);
        if ((info?.state.messages ?? 0) >= 20) {
          await kill(publisher);
          killed = true;
        }
      });
      if (!killed) {
        await waitForCount(stream, 20, 'before the kill');
        await kill(publisher);
      }
      const atKill = (await jsm.streams.info(stream)).state.messages;
      expect(atKill).toBeGreaterThan(0);
      await appendRounds(deals, 1);

      publisher = spawnPublisher(stream, prefix);
      const expected = await expectedChanges(new Set(deals.map((d) => d.id)), 12 * 7);
      await waitForCount(stream, expected.length, 'after the restart');
      const published = await messagesIn(stream);
      expectExactlyOnceInOrder(published, expected, prefix);
    } finally {
      await kill(publisher);
    }
  }, 300_000); // two cold starts of a TypeScript process on a shared, loaded machine

  it('cut off from the broker for a while: resumes without loss or duplicates', async () => {
    const { stream, prefix } = uniqueStream();
    const proxy = new BrokerProxy(NATS_URL);
    await proxy.open();
    const publisher = new JetStreamPublisher({
      servers: proxy.url,
      stream,
      subjectPrefix: prefix,
      store,
      pool,
      contract: DEAL_STAGE_CHANGED_OUTBOUND,
    });
    const deals = Array.from({ length: 6 }, () => ({ id: randomUUID(), step: 0 }));
    try {
      publisher.start();
      await appendRounds(deals, 2);
      await waitForCount(stream, 12, 'before the outage');
      await proxy.cut();
      await appendRounds(deals, 3); // published nowhere: the broker is unreachable
      await proxy.open();
      const expected = await expectedChanges(new Set(deals.map((d) => d.id)), 6 * 5);
      await waitForCount(stream, expected.length, 'after the outage');
      await publisher.stop();
      expectExactlyOnceInOrder(await messagesIn(stream), expected, prefix);
    } finally {
      await publisher.stop();
      await proxy.cut();
    }
  }, 240_000);
});

/** A TCP hop between the publisher and NATS that a test can cut (every connection dropped, new ones refused). */
class BrokerProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;
  private readonly target: { host: string; port: number };

  constructor(natsUrl: string) {
    const url = new URL(natsUrl);
    this.target = { host: url.hostname, port: Number(url.port) || 4222 };
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
