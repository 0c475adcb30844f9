/**
 * `funnel projections list` and `funnel projections rebuild <name>`: what the projections are
 * doing, and a blue/green rebuild of one of them, safe while `npm start` (or a standalone
 * projector) keeps the live generation up to date in another process.
 */
import { SingleBar } from 'cli-progress';
import { Pool } from 'pg';
import { EventStore } from '@funnel/event-store/event-store.port';
import { ALL_PROJECTIONS, findProjection } from '@funnel/read-models/projection/all-projections';
import { FeedLagMeter } from '@funnel/read-models/projection/feed-lag';
import { GenerationRegistry, RebuildInProgressError } from '@funnel/read-models/projection/generation-registry';
import { rebuildProjection, rebuildProjections, RebuildCancelledError } from '@funnel/read-models/projection/projection-rebuild';
import { ProjectionStatusQuery } from '@funnel/read-models/projection/projection-status.query';

export interface CommandContext {
  pool: Pool;
  store: EventStore;
  /** The events' own PostgreSQL (for cheap counts), or null with EventStoreDB. */
  eventsDatabase: Pool | null;
  batchSize: number;
  /** PROJECTOR_PARTITIONS: the partitions a rebuilt generation gets once live. */
  partitions?: number;
  out: (line: string) => void;
}

export async function listProjections(ctx: CommandContext): Promise<number> {
  const statuses = await new ProjectionStatusQuery(ctx.pool, new FeedLagMeter(ctx.store, ctx.eventsDatabase)).list();
  if (statuses.length === 0) {
    ctx.out('no projection has a generation yet: the projector creates them when it first starts');
    return 0;
  }
  const rows = statuses.map((s) => [
    s.name,
    s.status,
    `g${s.generation}${s.status === 'building' && s.liveGeneration ? ` (live g${s.liveGeneration})` : ''}`,
    `v${s.version}`,
    s.position,
    s.eventsProcessed.toLocaleString('en'),
    `${s.lag.capped ? '≥' : ''}${s.lag.events.toLocaleString('en')}`,
    `${s.lag.seconds.toFixed(1)} s`,
  ]);
  printTable(ctx.out, ['projection', 'status', 'generation', 'version', 'position', 'processed', 'lag (events)', 'lag (time)'], rows);
  for (const s of statuses.filter((x) => x.failing)) {
    ctx.out(`${s.name}: FAILING since ${s.failing!.since} (${s.failing!.attempts} attempts): ${s.failing!.lastError}`);
  }
  return 0;
}

export async function rebuild(ctx: CommandContext, name: string | undefined, signal: AbortSignal): Promise<number> {
  if (name === '--all' || name === 'all') return rebuildAll(ctx, signal);
  const projection = name ? findProjection(name) : undefined;
  if (!projection) {
    ctx.out(`${name ? `unknown projection "${name}"` : 'which projection?'}; one of: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
    return 2;
  }
  const live = await new GenerationRegistry(ctx.pool).live(projection.name);
  const total = await estimateFeedSize(ctx, live ? live.generation : null, projection.name);
  const bar = new SingleBar({
    format: `${projection.name} g{generation} |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}`,
    hideCursor: true,
    etaBuffer: 50,
  });
  let started = 0;
  let barRunning = false;
  try {
    const result = await rebuildProjection({ pool: ctx.pool, store: ctx.store }, projection, {
      batchSize: ctx.batchSize,
      partitions: ctx.partitions,
      signal,
      onStart: (generation) => {
        started = Date.now();
        bar.start(Math.max(total, 1), 0, { generation, rate: 0 });
        barRunning = true;
      },
      onBatch: ({ eventsProcessed }) => {
        if (eventsProcessed > bar.getTotal()) bar.setTotal(eventsProcessed);
        const seconds = (Date.now() - started) / 1000;
        bar.update(eventsProcessed, { rate: seconds > 0 ? Math.round(eventsProcessed / seconds).toLocaleString('en') : 0 });
      },
    });
    bar.setTotal(Math.max(result.eventsProcessed, 1));
    bar.update(result.eventsProcessed);
    bar.stop();
    barRunning = false;
    const rate = result.seconds > 0 ? Math.round(result.eventsProcessed / result.seconds) : result.eventsProcessed;
    ctx.out(
      `${projection.name}: generation ${result.generation} is live — ${result.eventsProcessed.toLocaleString('en')} events in ` +
        `${result.seconds.toFixed(1)} s (${rate.toLocaleString('en')} events/s)` +
        (result.retired.length ? `; generation ${result.retired.join(', ')} retired and dropped` : ''),
    );
    return 0;
  } catch (error) {
    if (barRunning) bar.stop();
    if (error instanceof RebuildCancelledError) {
      ctx.out(`${projection.name}: rebuild cancelled; the new generation was dropped, the live one is untouched`);
      return 130;
    }
    if (error instanceof RebuildInProgressError) {
      ctx.out(error.message);
      return 1;
    }
    throw error;
  }
}

/** Every projection rebuilt from one shared read of the feed (rebuildProjections). */
async function rebuildAll(ctx: CommandContext, signal: AbortSignal): Promise<number> {
  const started = Date.now();
  let last = 0;
  try {
    const results = await rebuildProjections({ pool: ctx.pool, store: ctx.store }, ALL_PROJECTIONS, {
      batchSize: ctx.batchSize,
      partitions: ctx.partitions,
      signal,
      onBatch: ({ eventsProcessed }) => {
        if (eventsProcessed - last < 100_000) return;
        last = eventsProcessed;
        const seconds = (Date.now() - started) / 1000;
        ctx.out(`  ${eventsProcessed.toLocaleString('en')} events, ${Math.round(eventsProcessed / seconds).toLocaleString('en')} events/s`);
      },
    });
    for (const r of results) {
      ctx.out(`${r.projection}: generation ${r.generation} is live${r.retired.length ? `; generation ${r.retired.join(', ')} retired and dropped` : ''}`);
    }
    const seconds = (Date.now() - started) / 1000;
    const events = results[0]?.eventsProcessed ?? 0;
    ctx.out(`${events.toLocaleString('en')} events into ${results.length} projections in ${seconds.toFixed(1)} s (${Math.round(events / seconds).toLocaleString('en')} events/s, one read of the feed)`);
    return 0;
  } catch (error) {
    if (error instanceof RebuildCancelledError) {
      ctx.out('rebuild cancelled; the new generations were dropped, the live ones are untouched');
      return 130;
    }
    if (error instanceof RebuildInProgressError) {
      ctx.out(error.message);
      return 1;
    }
    throw error;
  }
}

/** How many events the rebuild will read, for the progress bar: exact on PostgreSQL, else the live generation's count. */
async function estimateFeedSize(ctx: CommandContext, liveGeneration: number | null, projection: string): Promise<number> {
  if (ctx.eventsDatabase) {
    const result = await ctx.eventsDatabase.query<{ n: string }>(`SELECT count(*) AS n FROM events`);
    return Number(result.rows[0].n);
  }
  if (liveGeneration === null) return 0;
  const result = await ctx.pool.query<{ n: string }>(
    `SELECT sum(events_processed) AS n FROM projection_checkpoints WHERE projection = $1 AND generation = $2`,
    [projection, liveGeneration],
  );
  return Number(result.rows[0]?.n ?? 0);
}

function printTable(out: (line: string) => void, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  out(line(header));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out(line(row));
}
