/**
 * Run in a child process with --expose-gc and a small --max-old-space-size: exports every event
 * of DATABASE_URL in the given format to a counting sink, collecting garbage every page, and
 * prints the heap after each collection — so the heap reported is what the export holds, not
 * garbage not yet collected. An export that buffered its output would die of the heap limit.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'pg';
import { PostgresEventStore } from '@funnel/event-store/postgres/postgres-event-store';
import { ExportFormat, exportChunks } from '@funnel/exports/export-events';

async function main(): Promise<void> {
  const store = new PostgresEventStore(new Pool({ connectionString: process.env.DATABASE_URL, max: 2 }), { pollIntervalMs: 1000 });
  const results: Record<string, unknown> = {};
  for (const format of process.argv.slice(2) as ExportFormat[]) results[format] = await measure(store, format);
  await store.close();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

async function measure(store: PostgresEventStore, format: ExportFormat): Promise<{ lines: number; bytes: number; heap: number[] }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  let lines = 0;
  let bytes = 0;
  let chunks = 0;
  const heap: number[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      lines += chunk.toString('latin1').split('\n').length - 1;
      if (++chunks % 2 === 0) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
      done();
    },
  });
  await pipeline(Readable.from(exportChunks(store, format, {})), sink);
  return { lines, bytes, heap };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
