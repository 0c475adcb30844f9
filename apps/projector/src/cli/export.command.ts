/**
 * `funnel export [--format jsonl|csv|ocel2|xes] [--from <date>] [--to <date>] [--deal <id>] [--out <file>]`:
 * the same streamed export as GET /v1/exports/events, to a file or to stdout.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDealId } from '@funnel/domain/deal/deal.events';
import { EventStore } from '@funnel/event-store/event-store.port';
import { EXPORT_FORMATS, ExportFormat, exportChunks } from '@funnel/exports/export-events';

export interface ExportCommandOptions {
  format?: string;
  from?: string;
  to?: string;
  deal?: string;
  out?: string;
}

export async function exportCommand(store: EventStore, options: ExportCommandOptions, err: (line: string) => void): Promise<number> {
  const problems: string[] = [];
  const format = (options.format ?? 'jsonl') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) problems.push(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const instant = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}(T.*(Z|[+-]\d{2}:?\d{2}))?$/.test(text)) problems.push(`--${name} must be a date or an instant with zone`);
    return at;
  };
  const from = instant('from', options.from);
  const to = instant('to', options.to);
  if (from && to && to <= from) problems.push('--to must be later than --from');
  if (options.deal !== undefined && !isDealId(options.deal)) problems.push('--deal must be a deal id (uuid)');
  if (problems.length > 0) {
    for (const p of problems) err(p);
    return 2;
  }
  const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
  await pipeline(Readable.from(exportChunks(store, format, { from, to, dealId: options.deal })), out);
  if (options.out) err(`wrote ${options.out}`);
  return 0;
}
