/**
 * `npm run bench`: every benchmark side by side in one run — the raw limits of PostgreSQL on
 * this machine, the analytics over HTTP beside their naive peers and the reference
 * implementation, and the rebuilds — then one table with the ratios, from
 * bench/results/<date>.json (which each benchmark writes its section of).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench            # full: 100,000 deals, 1 M events
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench -- --quick # small: a few minutes at most
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './support/bench-history';
import { BenchFigure } from './support/bench-figures';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';

const quick = process.argv.includes('--quick');
const STEPS: [string, string[]][] = quick
  ? [
      ['raw-limits', ['--seconds', '3', '--copy-rows', '20000']],
      ['commands', ['--seconds', '3', '--raw-seconds', '3']],
      ['analytics', ['--deals', '2000', '--requests', '10']],
      ['rebuild', ['--events', '45000', '--quick']],
    ]
  : [
      ['raw-limits', ['--seconds', '10']],
      ['commands', ['--seconds', '10']],
      ['analytics', ['--deals', '100000', '--requests', '30']],
      ['rebuild', ['--events', '1000000']],
    ];

/** The rebuild runs with the V8 flags of package.json's `funnel` and `bench:rebuild` scripts (the operator's rebuild). */
const NODE_FLAGS: Record<string, string[]> = { rebuild: ['--max-semi-space-size=64', '--heap-growing-percent=100'] };

function run(script: string, args: string[]): void {
  say(`\n== ${script} ${args.join(' ')}`);
  const result = spawnSync(
    process.execPath,
    [...(NODE_FLAGS[script] ?? []), '--expose-gc', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('bench', `${script}.bench.ts`), ...args],
    { stdio: 'inherit', env: process.env },
  );
  if (result.status !== 0) throw new Error(`${script} failed (${result.status})`);
}

const num = (f: BenchFigure | undefined, key: string) => (f && typeof f[key] === 'number' ? (f[key] as number) : null);
const fmt = (n: number | null, digits = 0) => (n === null ? '–' : n.toLocaleString('en', { maximumFractionDigits: digits }));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);

function main(): void {
  const started = Date.now();
  for (const [script, args] of STEPS) run(script, args);
  const file = join(__dirname, 'results', `${new Date().toISOString().slice(0, 10)}.json`);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { figures: BenchFigure[]; setup: Record<string, unknown> }>;
  const find = (bench: string, measure: string) => doc[bench]?.figures.find((f) => f.measure === measure);

  say(`\n== side by side (${quick ? 'quick' : 'full'} run, ${((Date.now() - started) / 1000).toFixed(0)} s; ${file})`);
  say('| measure | ours | peer | ratio |');
  say('|---|---|---|---|');
  const raw1 = num(find('raw', 'durable single-row inserts, 1 client'), 'perSecond');
  const raw16 = num(find('raw', 'durable single-row inserts, 16 clients'), 'perSecond');
  say(`| durable inserts/s via pg, 1 / 16 clients (the raw limit commands are measured against) | ${fmt(raw1)} / ${fmt(raw16)} | COPY ${fmt(num(find('raw', 'COPY of the same rows'), 'perSecond'))} rows/s | |`);
  for (const f of doc.analytics?.figures ?? []) {
    if (!String(f.measure).startsWith('GET')) continue;
    const p99 = num(f, 'p99Ms');
    const naive = num(f, 'naiveSqlMs');
    const reference = num(f, 'referenceMs');
    const peer = [naive !== null ? `naive SQL ${fmt(naive)} ms` : null, reference !== null ? `before ${fmt(reference)} ms` : null].filter(Boolean).join(', ') || '–';
    const ratios = [naive !== null ? `${ratio(naive, p99)} faster than naive` : null, reference !== null ? `${ratio(reference, p99)} than before` : null].filter(Boolean).join(', ') || '–';
    say(`| ${f.measure} at ${fmt(Number(doc.analytics.setup.deals))} deals: p50 / p99 (cold) | ${fmt(num(f, 'p50Ms'), 1)} / ${fmt(p99, 1)} ms (${fmt(num(f, 'coldMs'))} ms) | ${peer} | ${ratios} |`);
  }
  const apiRss = num(find('analytics', 'api peak RSS MB'), 'value');
  const refRss = num(find('analytics', 'reference peak RSS MB (bench process)'), 'value');
  say(`| peak RSS during the analytics | api ${fmt(apiRss)} MB | before: ${fmt(refRss)} MB | ${ratio(refRss, apiRss)} less |`);
  const shared = find('rebuild', 'rebuild of every projection at once, one shared feed read');
  const sharedApply = find('rebuild', 'rebuild of every projection at once, one shared feed read, apply per batch');
  const separate = find('rebuild', 'rebuild of every projection at once, a feed read each');
  const bulkRate = num(shared, 'eventsPerSecond');
  say(
    `| rebuild of ${fmt(Number(doc.rebuild?.setup.events))} events, all ${ALL_PROJECTIONS.length} projections at once (goal ≥ 50,000/s) | ${fmt(bulkRate)} events/s (one read, in bulk) | ` +
      `${fmt(num(sharedApply, 'eventsPerSecond'))} events/s (one read, apply per batch); ${fmt(num(separate, 'eventsPerSecond'))} (a read each) | ` +
      `${ratio(bulkRate, num(sharedApply, 'eventsPerSecond'))}; ${ratio(bulkRate, num(separate, 'eventsPerSecond'))} |`,
  );
  const three = find('rebuild', 'rebuild of the first three projections at once, one shared feed read');
  say(
    `| rebuild of ${fmt(Number(doc.rebuild?.setup.events))} events, the first three projections at once (${three?.projections ?? '–'}; the issue's measure, goal ≥ 50,000/s) | ` +
      `${fmt(num(three, 'eventsPerSecond'))} events/s, peak RSS ${fmt(num(three, 'peakRssMb'))} MB | 12,200 events/s when the goal was set | ${ratio(num(three, 'eventsPerSecond'), 12_200)} |`,
  );
  for (const clients of [1, 16]) {
    const f = doc.commands?.figures.find((x) => x.measure === `commands over HTTP, ${clients} client${clients > 1 ? 's' : ''}, api alone`);
    say(
      `| commands/s over HTTP (open, visit, assessment, stage moves), ${clients} client${clients > 1 ? 's' : ''}, start:api: p50 / p99 | ` +
        `${fmt(num(f, 'perSecond'))}/s, ${fmt(num(f, 'p50Ms'), 1)} / ${fmt(num(f, 'p99Ms'), 1)} ms | durable inserts ${fmt(num(f, 'rawTps'))}/s | ${ratio(num(f, 'perSecond'), num(f, 'rawTps'))} of raw |`,
    );
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
