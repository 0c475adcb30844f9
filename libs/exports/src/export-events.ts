/**
 * An export from start to end, as text chunks to stream: the CLI writes them to a file or
 * stdout, GET /v1/exports/events to the response — both with backpressure (stream.pipeline
 * over Readable.from), so the store is read no faster than the consumer takes the output.
 */
import { EventStore } from '@funnel/event-store/event-store.port';
import { csvChunks } from './formats/csv.writer';
import { jsonlChunks } from './formats/jsonl.writer';
import { ocel2Chunks } from './formats/ocel2.writer';
import { xesChunks } from './formats/xes.writer';
import { exportedEventPages, ExportFilter } from './read/exported-events';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'ocel2', 'xes'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ocel2: 'application/json; charset=utf-8',
  xes: 'application/xml; charset=utf-8',
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { jsonl: 'jsonl', csv: 'csv', ocel2: 'ocel.json', xes: 'xes' };

export function exportChunks(store: EventStore, format: ExportFormat, filter: ExportFilter): AsyncGenerator<string> {
  switch (format) {
    case 'jsonl':
      return jsonlChunks(exportedEventPages(store, filter));
    case 'csv':
      return csvChunks(exportedEventPages(store, filter));
    case 'ocel2':
      return ocel2Chunks(exportedEventPages(store, filter));
    case 'xes':
      return xesChunks(store, filter);
    default: {
      const _: never = format;
      throw new Error(`unknown export format ${String(_)}`);
    }
  }
}
