/**
 * Read-your-writes latency: how long after a command's answer its events are in the read
 * models. Starts the real app with the projector in-process on a fresh database, sends
 * commands from several clients at once, and for each waits on `GET /v1/funnel?waitFor=<the
 * command's position>`. Prints p50/p90/p99/max of command → visible, and the command latency.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:visibility -- --clients 4 --commands 250
 */
import { randomUUID } from 'node:crypto';
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

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (a PostgreSQL server the bench may create a database on)');
  const clients = option('clients', 4);
  const commands = option('commands', 250);
  const t = await startTestApp({ withProjector: true });
  const config = loadFunnelConfig({ NODE_ENV: 'test' });
  const rep = `Bearer ${mintToken(config, { sub: 'bench-rep', name: 'Bench Rep', roles: ['rep'] })}`;
  const analyst = `Bearer ${mintToken(config, { sub: 'bench-analyst', name: 'Bench Analyst', roles: ['analyst'] })}`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { Authorization: rep, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { dealId: string; position: string };
  };

  const visible: number[] = [];
  const commandMs: number[] = [];
  let behind = 0;
  try {
    say(`${clients} clients × ${commands} commands (open a deal, then record visits on it), projector in-process`);
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        let dealId = '';
        for (let i = 0; i < commands; i++) {
          const started = performance.now();
          const answer =
            i % 10 === 0
              ? await post('/v1/deals', {
                  account: { name: `Bench ${c}-${i}`, industry: 'Manufacturing', region: 'EMEA' },
                  owner: 'bench-rep',
                  team: 'bench',
                  amount: 10000 + i,
                  currency: 'EUR',
                })
              : await post(`/v1/deals/${dealId}/visits`, {
                  visitId: randomUUID(),
                  preparation: {
                    date: new Date().toISOString(),
                    durationMinutes: 60,
                    purpose: 'demo',
                    agenda: ['needs'],
                    customerAttendees: [],
                    ourAttendees: [],
                    materials: [],
                  },
                });
          const answered = performance.now();
          commandMs.push(answered - started);
          dealId = answer.dealId;
          const res = await fetch(`${t.url}/v1/funnel?waitFor=${encodeURIComponent(answer.position)}`, {
            headers: { Authorization: analyst },
          });
          if (res.status !== 200) throw new Error(`funnel: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
          if (res.headers.get('x-projection-behind') === 'true') behind++;
          visible.push(performance.now() - answered);
        }
      }),
    );
  } finally {
    await t.close();
  }
  visible.sort((a, b) => a - b);
  commandMs.sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  say(`command answered: p50 ${f(quantile(commandMs, 0.5))}, p99 ${f(quantile(commandMs, 0.99))}`);
  say(
    `command → visible in read models: p50 ${f(quantile(visible, 0.5))}, p90 ${f(quantile(visible, 0.9))}, ` +
      `p99 ${f(quantile(visible, 0.99))}, max ${f(visible[visible.length - 1])}; ${behind} of ${visible.length} still behind after 5 s`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
