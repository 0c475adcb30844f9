import { Pool } from 'pg';
import { auditStore } from '@funnel/event-store/audit/feed-audit';
import { EventStore } from '@funnel/event-store/event-store.port';
import { PostgresStreamHeads } from '@funnel/event-store/postgres/postgres-stream-heads';

/**
 * `npm run funnel -- audit`: recompute every stream's hash chain from the feed and compare each
 * stream's last event with its head. Exit code 0 when the store is intact, 3 when it is not.
 */
export async function auditCommand(ctx: {
  store: EventStore;
  /** The event store's PostgreSQL (its stream heads), or null on EventStoreDB. */
  eventsDatabase: Pool | null;
  out: (line: string) => void;
}): Promise<number> {
  let lastReport = Date.now();
  const report = await auditStore(ctx.store, {
    heads: ctx.eventsDatabase ? new PostgresStreamHeads(ctx.eventsDatabase) : undefined,
    onProgress: (events) => {
      if (Date.now() - lastReport > 2000) {
        lastReport = Date.now();
        ctx.out(`… ${events.toLocaleString('en')} events checked`);
      }
    },
  });
  ctx.out(`${report.events.toLocaleString('en')} events in ${report.streams.toLocaleString('en')} streams checked`);
  if (report.valid) {
    ctx.out('intact: every hash chain verifies and every stream ends where its head says');
    return 0;
  }
  ctx.out(`TAMPERED: ${report.breakCount} break(s)`);
  for (const b of report.breaks) {
    ctx.out(`  ${b.streamId} revision ${b.revision ?? '-'}${b.eventId ? ` (event ${b.eventId})` : ''}: ${b.reason}`);
  }
  if (report.breakCount > report.breaks.length) ctx.out(`  … and ${report.breakCount - report.breaks.length} more`);
  return 3;
}
