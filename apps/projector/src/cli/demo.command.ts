/**
 * `funnel demo [--deals N] [--seed S]`: fills the store with a believable year of pipeline
 * through the real command path — the api's DealCommandExecutor in a Nest context of its own
 * (DemoModule, in-process, no HTTP) — and says how long it took. The projections of a running
 * `npm start` pick the events up from the feed.
 */
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { DealCommandExecutor } from '../../../api/src/deals/deal-command.executor';
import { runDemo } from '../../../api/src/demo/demo-pipeline';
import { DemoModule } from '../../../api/src/demo/demo.module';

export interface DemoCommandOptions {
  deals?: string;
  seed?: string;
}

export async function demoCommand(runtime: FunnelRuntime, options: DemoCommandOptions, out: (line: string) => void): Promise<number> {
  const deals = options.deals === undefined ? 1000 : Number(options.deals);
  const seed = options.seed === undefined ? 2026 : Number(options.seed);
  if (!Number.isInteger(deals) || deals < 1 || deals > 1_000_000) {
    out('--deals must be a whole number from 1 to 1000000');
    return 2;
  }
  if (!Number.isInteger(seed) || seed < 0) {
    out('--seed must be a whole number from 0');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(DemoModule.register(runtime), { logger: false });
  try {
    return await tell(app.get(DealCommandExecutor), app.get<EventStore>(EVENT_STORE), deals, seed, out);
  } finally {
    await app.close();
  }
}

async function tell(executor: DealCommandExecutor, store: EventStore, deals: number, seed: number, out: (line: string) => void): Promise<number> {
  const bar = new SingleBar({ format: 'demo |{bar}| {percentage}% | {value}/{total} deals | ETA {eta_formatted}', hideCursor: true });
  const showBar = process.stderr.isTTY;
  if (showBar) bar.start(deals, 0);
  const started = Date.now();
  const summary = await runDemo(executor, store, { deals, seed, concurrency: 8, onDeal: (done) => showBar && bar.update(done) });
  if (showBar) bar.stop();
  const seconds = (Date.now() - started) / 1000;
  out(`demo (seed ${seed}): ${summary.deals.toLocaleString('en')} deals, ${summary.commands.toLocaleString('en')} commands in ${seconds.toFixed(1)} s`);
  if (summary.alreadyThere > 0) out(`  ${summary.alreadyThere.toLocaleString('en')} deals of this seed were already there and were left alone`);
  out(`  won ${summary.won}, lost ${summary.lost}, open ${summary.open}; ${summary.overrides} manager overrides, ${summary.regressions} regressions, ${summary.reopenings} reopenings`);
  for (const r of summary.refused.slice(0, 20)) out(`  refused: ${r.dealId} ${r.command}: ${r.code} ${r.message}`);
  if (summary.position) out(`  last position ${summary.position}`);
  return summary.refused.length > 0 ? 1 : 0;
}
