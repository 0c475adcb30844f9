/**
 * Outbound latency while commands flow: from a command's answer (its events committed) until
 * the stage change it made reaches a Server-Sent Events client, a webhook receiver and a NATS
 * subscriber. Starts the real app with the projector (webhook worker) in-process on a fresh
 * database, a JetStream publisher beside it, and clients that open deals (a stage change each)
 * and record visits on them (other events in the same feed). Prints p50/p99/max per path.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:integration -- --clients 4 --commands 200
 *   (NATS_URL, default nats://127.0.0.1:4222; the NATS column is left out when none answers)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '@funnel/integration/contract/deal-stage-changed.outbound';
import { JetStreamPublisher } from '@funnel/integration/nats/jetstream-publisher';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { mintToken } from '../apps/api/src/auth/mint-token';
import { startTestApp } from '../test/support/test-app';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

const say = (message: string) => process.stdout.write(`${message}\n`);

/** dealId → when its DealOpened command was answered, and when each path delivered it. */
const answeredAt = new Map<string, number>();
const arrivals: Record<'sse' | 'webhook' | 'nats', Map<string, number>> = { sse: new Map(), webhook: new Map(), nats: new Map() };

function arrived(path: keyof typeof arrivals, body: string): void {
  const change = JSON.parse(body) as { dealId: string; kind: string };
  if (change.kind === 'opened' && !arrivals[path].has(change.dealId)) arrivals[path].set(change.dealId, performance.now());
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (a PostgreSQL server the bench may create a database on)');
  const clients = option('clients', 4);
  const commands = option('commands', 200);
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const t = await startTestApp({
    withProjector: true,
    env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '1000' },
  });
  const config = loadFunnelConfig({ NODE_ENV: 'test' });
  const token = (roles: ('rep' | 'service')[]) => `Bearer ${mintToken(config, { sub: `bench-${roles[0]}`, name: 'Bench', roles })}`;
  const rep = token(['rep']);
  const service = token(['service']);

  // webhook receiver + subscription
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrived('webhook', Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = await fetch(`${t.url}/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: service, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }),
  });
  if (hook.status !== 201) throw new Error(`webhook registration: ${hook.status} ${await hook.text()}`);

  // SSE client from now on
  const sse = new AbortController();
  void (async () => {
    const res = await fetch(`${t.url}/v1/feeds/stage-changes`, {
      headers: { Authorization: service, Accept: 'text/event-stream' },
      signal: sse.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data:'));
        if (data) arrived('sse', data.slice(5).trim());
      }
    }
  })().catch(() => undefined);

  // NATS: a JetStream publisher beside the app (as the projector runs it), a plain subscriber
  const tag = randomBytes(4).toString('hex');
  const stream = `FUNNEL_BENCH_${tag}`;
  const prefix = `bench${tag}.`;
  let publisher: JetStreamPublisher | null = null;
  const nc = await connect({ servers: natsUrl }).catch(() => null);
  if (nc) {
    const subscription = nc.subscribe(`${prefix}funnel.deal.stage-changed.>`);
    void (async () => {
      for await (const m of subscription) arrived('nats', m.string());
    })();
    publisher = new JetStreamPublisher({
      servers: natsUrl,
      stream,
      subjectPrefix: prefix,
      store: t.app.get<EventStore>(EVENT_STORE),
      pool: t.app.get<Pool>(READ_MODEL_POOL),
      contract: DEAL_STAGE_CHANGED_OUTBOUND,
    });
    publisher.start();
  } else {
    say(`no NATS at ${natsUrl}: the NATS column is left out`);
  }
  await new Promise((resolve) => setTimeout(resolve, 1500)); // SSE connected, publisher and worker following

  const commandMs: number[] = [];
  const post = async (path: string, body: unknown) => {
    const started = performance.now();
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { Authorization: rep, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const answer = (await res.json()) as { dealId: string };
    commandMs.push(performance.now() - started);
    return answer;
  };
  say(`${clients} clients × ${commands} commands over HTTP (every other one opens a deal: a stage change; the rest record visits)`);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let dealId = '';
      for (let i = 0; i < commands; i++) {
        if (i % 2 === 0) {
          const answer = await post('/v1/deals', {
            account: { name: `Bench ${c}-${i}`, industry: 'Manufacturing', region: 'EMEA' },
            owner: 'bench-rep',
            team: 'bench',
            amount: 10000 + i,
            currency: 'EUR',
          });
          dealId = answer.dealId;
          answeredAt.set(dealId, performance.now());
        } else {
          await post(`/v1/deals/${dealId}/visits`, {
            visitId: randomUUID(),
            preparation: { date: new Date().toISOString(), durationMinutes: 60, purpose: 'demo', agenda: ['needs'], customerAttendees: [], ourAttendees: [], materials: [] },
          });
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const deadline = Date.now() + 60_000;
  const paths = (['sse', 'webhook', 'nats'] as const).filter((p) => p !== 'nats' || nc);
  while (Date.now() < deadline && paths.some((p) => arrivals[p].size < answeredAt.size)) await new Promise((r) => setTimeout(r, 100));

  say(`${clients * commands} commands in ${seconds.toFixed(1)} s (${((clients * commands) / seconds).toFixed(0)}/s); ${answeredAt.size} stage changes`);
  const sortedCommands = commandMs.sort((a, b) => a - b);
  say(`command answered: p50 ${quantile(sortedCommands, 0.5).toFixed(1)} ms, p99 ${quantile(sortedCommands, 0.99).toFixed(1)} ms`);
  say('| path | received | p50 | p99 | max |');
  say('|---|---|---|---|---|');
  for (const path of paths) {
    const latencies = [...answeredAt].flatMap(([dealId, at]) => {
      const got = arrivals[path].get(dealId);
      return got === undefined ? [] : [got - at];
    });
    const sorted = latencies.sort((a, b) => a - b);
    const row = sorted.length
      ? `${quantile(sorted, 0.5).toFixed(1)} ms | ${quantile(sorted, 0.99).toFixed(1)} ms | ${sorted[sorted.length - 1].toFixed(1)} ms`
      : '– | – | –';
    say(`| command answered → ${path === 'sse' ? 'SSE' : path === 'nats' ? 'NATS subscriber' : 'webhook receiver'} | ${sorted.length}/${answeredAt.size} | ${row} |`);
  }

  sse.abort();
  await publisher?.stop();
  if (nc) {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
  receiver.closeAllConnections();
  receiver.close();
  await t.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
