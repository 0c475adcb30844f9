import { Pool } from 'pg';
import { AnchorRefusedError, recordAnchor, verifyAnchor } from '@funnel/event-store/audit/anchor/anchor';
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

/**
 * `npm run funnel -- audit anchor`: fix every stream's head in a Merkle root, record it in the
 * audit stream and print it, for the auditor to keep outside the system. Exit 3 when the store
 * does not verify (an anchor vouches for what it covers).
 */
export async function anchorCommand(ctx: { store: EventStore; out: (line: string) => void; actor?: string }): Promise<number> {
  try {
    const anchor = await recordAnchor(ctx.store, { id: ctx.actor ?? 'funnel-cli' });
    ctx.out(`anchor ${anchor.root}`);
    ctx.out(`  streams ${anchor.count}, covered position ${anchor.coveredPosition}, recorded ${anchor.recordedAt} (event ${anchor.eventId})`);
    ctx.out('keep the root (and the position) outside the system: a file, a ticket, an email;');
    ctx.out(`verify later with: npm run funnel -- audit verify --anchor ${anchor.root} --position ${anchor.coveredPosition}`);
    return 0;
  } catch (error) {
    if (!(error instanceof AnchorRefusedError)) throw error;
    ctx.out(`REFUSED: ${error.message}`);
    for (const b of error.breaks.slice(0, 20)) ctx.out(`  ${b.streamId} revision ${b.revision.toString()}: ${b.reason}`);
    return 3;
  }
}

/**
 * `npm run funnel -- audit verify --anchor <root> [--position <p>]`: recompute every covered
 * stream's head from the events and compare with the kept root. Exit 0 verified, 3 not.
 */
export async function verifyAnchorCommand(ctx: { store: EventStore; out: (line: string) => void }, root: string, position?: string): Promise<number> {
  const result = await verifyAnchor(ctx.store, root, { position });
  if (!result.anchorFound) ctx.out(`anchor ${result.root} is not in the audit stream${position ? '; using the position given' : ''}`);
  if (result.coveredPosition === null) {
    ctx.out('NOT VERIFIED: without the anchor event, pass the position printed with it (--position)');
    return 3;
  }
  if (result.anchorRecordIntact === false) ctx.out('the recorded anchor event no longer reproduces its root: it was altered');
  ctx.out(`${result.count} streams recomputed up to position ${result.coveredPosition} (anchored: ${result.anchoredCount ?? 'unknown'})`);
  ctx.out(`recomputed root ${result.recomputedRoot}`);
  if (result.verified) {
    ctx.out(`VERIFIED: nothing covered by anchor ${result.root} was lost, changed or reordered`);
    return 0;
  }
  ctx.out(`NOT VERIFIED: the store no longer matches anchor ${result.root}`);
  for (const f of result.findings) {
    const anchored = f.anchored ? ` anchored revision ${f.anchored.revision} ${f.anchored.hash.slice(0, 12)}…` : '';
    const found = f.found ? ` found revision ${f.found.revision}${f.found.hash ? ` ${f.found.hash.slice(0, 12)}…` : ''}` : ' found nothing';
    ctx.out(`  ${f.streamId}: ${f.reason}${anchored}${found}`);
  }
  return 3;
}
