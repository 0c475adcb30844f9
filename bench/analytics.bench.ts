/**
 * Analytics at scale: the api (`start:api`, a child process) over a generated history of N
 * deals (default 100,000 ≈ 2.27 M events), each endpoint asked R times over HTTP. Prints p50 and
 * p99 per endpoint — the first (cold) answer apart, since answers that do not depend on the
 * clock are cached by read-model position — and the api's peak RSS. Beside them, the peers:
 * the reference implementation (the first one: rows loaded into Node, pure functions; run in
 * this process, its own peak RSS) and one naive SQL over the raw events per question.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:analytics -- --deals 100000
 *
 * Options: --deals N, --requests R (default 30), --database NAME (default funnel_bench_<N>;
 * reused when it already holds the history), --skip-reference, --json FILE (append the figures).
 */
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { DEFAULT_STALL_SETTINGS } from '@funnel/domain/metrics/stall-limits';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { ReferenceAnomaliesQuery } from '@funnel/read-models/testing/reference-analytics/anomalies.reference';
import { ReferenceConversionQuery } from '@funnel/read-models/testing/reference-analytics/conversion.reference';
import { ReferenceCycleTimeQuery } from '@funnel/read-models/testing/reference-analytics/cycle-time.reference';
import { ReferenceDwellTimesQuery } from '@funnel/read-models/testing/reference-analytics/dwell-times.reference';
import { ReferenceRepPerformanceQuery } from '@funnel/read-models/testing/reference-analytics/rep-performance.reference';
import { mintToken } from '../apps/api/src/auth/mint-token';
import { peakRssMb, startApi } from './support/bench-api';
import { ensureBenchHistory, say } from './support/bench-history';
import { NAIVE_SQL } from './support/naive-analytics.sql';
import { BenchFigure, option, flag, percentile, recordFigures, timed } from './support/bench-figures';

interface Endpoint {
  name: string;
  path: string;
  /** The reference implementation's answer to the same question (loads rows into this process). */
  reference?: (pool: Pool) => Promise<unknown>;
  naive?: keyof typeof NAIVE_SQL;
}

const AS_OF = '2025-06-01T00:00:00Z';

const ENDPOINTS: Endpoint[] = [
  { name: 'dwell-times', path: '/v1/analytics/dwell-times', naive: 'dwellTimes',
    reference: (pool) => new ReferenceDwellTimesQuery(pool).answer({}, {}, new Date()) },
  { name: `dwell-times?asOf`, path: `/v1/analytics/dwell-times?asOf=${AS_OF}` },
  { name: 'conversion strict', path: '/v1/analytics/conversion', naive: 'conversionStrict',
    reference: (pool) => new ReferenceConversionQuery(pool).answer({}, {}, 'strict') },
  { name: 'conversion any', path: '/v1/analytics/conversion?skipPolicy=any',
    reference: (pool) => new ReferenceConversionQuery(pool).answer({}, {}, 'any') },
  { name: 'cycle-time', path: '/v1/analytics/cycle-time', naive: 'cycleTime',
    reference: (pool) => new ReferenceCycleTimeQuery(pool).answer({}, {}, undefined, 'strict') },
  { name: 'funnel', path: '/v1/funnel', naive: 'funnel' },
  { name: 'funnel?asOf', path: `/v1/funnel?asOf=${AS_OF}`, naive: 'funnelAsOf' },
  { name: 'anomalies (page)', path: '/v1/anomalies', naive: 'anomalies',
    reference: (pool) =>
      new ReferenceAnomaliesQuery(pool).answer({}, {}, { asOf: new Date(), inactiveDays: 30, settings: DEFAULT_STALL_SETTINGS }) },
  { name: 'reps', path: '/v1/analytics/reps', naive: 'reps',
    reference: (pool) => {
      const to = new Date();
      return new ReferenceRepPerformanceQuery(pool).answer({}, { from: new Date(to.getTime() - 84 * 86_400_000), to }, 'owner', to);
    } },
];

async function main(): Promise<void> {
  const deals = option('deals', 100_000);
  const requests = option('requests', 30);
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
  const name = process.argv.includes('--database') ? process.argv[process.argv.indexOf('--database') + 1] : `funnel_bench_${deals}`;
  const history = await ensureBenchHistory(server, name, deals);
  say(`history: ${deals.toLocaleString('en')} deals, ${history.events.toLocaleString('en')} events in ${name}${history.reused ? ' (reused)' : ''}`);
  // What the endpoints read: the read models (a history scaled up in them holds more deals than the feed).
  const counts = new Pool({ connectionString: history.url, max: 1 });
  const [{ deals: readModelDeals, stays }] = (
    await counts.query<{ deals: number; stays: number }>('SELECT (SELECT count(*) FROM rm.deal_summary)::int AS deals, (SELECT count(*) FROM rm.stage_intervals)::int AS stays')
  ).rows;
  await counts.end();
  say(`read models: ${readModelDeals.toLocaleString('en')} deals, ${stays.toLocaleString('en')} stays`);

  const api = await startApi(history.url, option('port', 31913));
  const config = loadFunnelConfig({ NODE_ENV: 'development' });
  const token = `Bearer ${mintToken(config, { sub: 'bench-analyst', name: 'Bench Analyst', roles: ['analyst'] })}`;
  const figures: BenchFigure[] = [];
  const pool = new Pool({ connectionString: history.url, max: 4 });
  try {
    say(`\n${'endpoint'.padEnd(20)} ${'cold ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'bytes'.padStart(9)}  | naive SQL ms | reference ms`);
    for (const endpoint of ENDPOINTS) {
      const get = async () => {
        const res = await fetch(`${api.url}${endpoint.path}`, { headers: { Authorization: token } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${endpoint.path}: ${res.status} ${body.slice(0, 300)}`);
        return body.length;
      };
      const cold = await timed(get);
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push((await timed(get)).ms);
      times.sort((a, b) => a - b);
      const naive = endpoint.naive && !flag('skip-naive') ? await timed(() => pool.query(NAIVE_SQL[endpoint.naive as keyof typeof NAIVE_SQL])) : undefined;
      const reference = endpoint.reference && !flag('skip-reference') ? await timed(() => (endpoint.reference as (p: Pool) => Promise<unknown>)(pool)) : undefined;
      const p50 = percentile(times, 0.5);
      const p99 = percentile(times, 0.99);
      const figure: BenchFigure = {
        measure: `GET ${endpoint.name}`,
        coldMs: cold.ms,
        p50Ms: p50,
        p99Ms: p99,
        bytes: cold.result,
        naiveSqlMs: naive?.ms ?? null,
        referenceMs: reference?.ms ?? null,
      };
      figures.push(figure);
      say(
        `${endpoint.name.padEnd(20)} ${cold.ms.toFixed(0).padStart(9)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${String(cold.result).padStart(9)}  | ` +
          `${(naive ? naive.ms.toFixed(0) : '–').padStart(12)} | ${(reference ? reference.ms.toFixed(0) : '–').padStart(12)}`,
      );
    }
    const apiRss = peakRssMb(api.pid);
    const benchRss = peakRssMb(process.pid);
    say(`\npeak RSS: api ${apiRss.toFixed(0)} MB; this process (reference implementation's rows) ${benchRss.toFixed(0)} MB`);
    say(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    figures.push({ measure: 'api peak RSS MB', value: apiRss }, { measure: 'reference peak RSS MB (bench process)', value: benchRss });
    recordFigures('analytics', { deals, readModelDeals, stays, events: history.events, requests, load: loadavg() }, figures);
  } finally {
    await api.stop();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
