/**
 * An import from start to summary: read the source with its format (bad rows reported, good
 * ones kept), then append what is new deal by deal. The CLI and POST /v1/imports are thin
 * adapters over this.
 */
import { EventStore } from '@funnel/event-store/event-store.port';
import { CsvSource } from '../csv/csv-rows';
import { FormatInput, FormatReading, RowProblem } from '../formats/format-reading';
import { readMaven } from '../formats/maven.format';
import { readSalesforceHistory } from '../formats/salesforce-history.format';
import { readStageChanges } from '../formats/stage-changes.format';
import { ImportFormatName, ImportMapping } from '../mapping/import-mapping';
import { appendImportedHistory, ImportActor } from './append-imported-history';

export interface ImportRequest {
  format: ImportFormatName;
  source: CsvSource;
  companion?: CsvSource;
  mapping: ImportMapping;
  actor: ImportActor;
  dryRun: boolean;
  correlationId: string;
  now?: Date;
  concurrency?: number;
  /** Called once the file is read (total deals) and after every deal. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  format: ImportFormatName;
  file: string;
  dryRun: boolean;
  rowsRead: number;
  deals: number;
  /** Events appended (in a dry run: that would be appended). */
  eventsAppended: number;
  /** Stage entries already imported before, or saying nothing new. */
  skipped: number;
  /** Rows and entries refused; each is in `problems` with its line and reason. */
  refused: number;
  problems: RowProblem[];
  /** Feed position of the last event appended, for `?waitFor=` on the analytics; null if none. */
  position: string | null;
}

const READERS: Record<ImportFormatName, (input: FormatInput) => Promise<FormatReading>> = {
  maven: readMaven,
  'salesforce-history': readSalesforceHistory,
  'stage-changes': readStageChanges,
};

export async function importHistoryFile(store: EventStore, request: ImportRequest): Promise<ImportSummary> {
  const reading = await READERS[request.format]({
    source: request.source,
    companion: request.companion,
    mapping: request.mapping,
    importedBy: request.actor.id,
    now: request.now ?? new Date(),
  });
  request.onProgress?.(0, reading.records.length);
  const tally = await appendImportedHistory(store, reading.records, {
    dryRun: request.dryRun,
    actor: request.actor,
    correlationId: request.correlationId,
    concurrency: request.concurrency,
    onDeal: request.onProgress,
  });
  const problems = [...reading.problems, ...tally.refused].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    format: request.format,
    file: request.source.name,
    dryRun: request.dryRun,
    rowsRead: reading.rowsRead,
    deals: tally.deals,
    eventsAppended: tally.eventsAppended,
    skipped: tally.alreadyRecorded + tally.unchanged,
    refused: problems.length,
    problems,
    position: tally.position,
  };
}
