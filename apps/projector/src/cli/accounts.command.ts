/**
 * `funnel accounts migrate`: gives the deals opened before accounts existed their accounts.
 * It replays every deal event through the account reactor (which appends account events:
 * accounts opened, deals linked, facts noted, phase suggestions) and then rebuilds the
 * account read models. Deal streams are only read, never written. Safe to run again, and
 * while `npm start` runs: whatever was appended already is recognised by its derived id.
 */
import { AccountReactor } from '@funnel/read-models/accounts/account-reactor';
import { accountSummaryProjection } from '@funnel/read-models/accounts/account-summary.projection';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { CommandContext } from './projections.commands';

export interface AccountMigrationResult {
  dealEventsReplayed: number;
  accountEventsAppended: number;
  rebuiltGeneration: number;
}

export async function migrateAccounts(ctx: CommandContext, signal?: AbortSignal): Promise<AccountMigrationResult> {
  const before = await countAccountEvents(ctx);
  const started = Date.now();
  ctx.out('accounts: replaying deal history through the account reactor…');
  const reactor = new AccountReactor({ pool: ctx.pool, store: ctx.store, pageSize: Math.min(ctx.batchSize, 1000) });
  const stop = () => void reactor.stop();
  signal?.addEventListener('abort', stop);
  let replayed: number;
  try {
    replayed = (await reactor.catchUp({ fromStart: true, until: await ctx.store.headPosition() })).events;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  const appended = (await countAccountEvents(ctx)) - before;
  ctx.out(`accounts: ${replayed.toLocaleString('en')} deal events replayed, ${appended.toLocaleString('en')} account events appended in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const rebuilt = await rebuildProjection({ pool: ctx.pool, store: ctx.store }, accountSummaryProjection, { batchSize: ctx.batchSize, signal });
  ctx.out(`accounts: ${accountSummaryProjection.name} rebuilt as generation ${rebuilt.generation} (${rebuilt.eventsProcessed.toLocaleString('en')} events)`);
  return { dealEventsReplayed: replayed, accountEventsAppended: appended, rebuiltGeneration: rebuilt.generation };
}

/** Account events in the store: exact on PostgreSQL; with EventStoreDB the count is not shown (-1 → 0). */
async function countAccountEvents(ctx: CommandContext): Promise<number> {
  if (!ctx.eventsDatabase) return 0;
  const result = await ctx.eventsDatabase.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE stream_id LIKE 'account-%'`);
  return Number(result.rows[0].n);
}
