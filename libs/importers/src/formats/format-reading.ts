/**
 * What reading a source file gives: the deals it describes, mapped onto our stages, and every
 * row that could not be used, with its line and the reason. Formats never touch the store.
 */
import { ImportedDealRecord } from '@funnel/domain/deal/imported-history';
import { CsvSource } from '../csv/csv-rows';
import { ImportMapping } from '../mapping/import-mapping';

export interface RowProblem {
  file: string;
  line: number;
  reason: string;
}

export interface FormatReading {
  rowsRead: number;
  records: ImportedDealRecord[];
  problems: RowProblem[];
}

export interface FormatInput {
  /** The main file: the pipeline, the history or the stage changes. */
  source: CsvSource;
  /** Companion files some formats read (maven: sales teams; salesforce-history: opportunities). */
  companion?: CsvSource;
  mapping: ImportMapping;
  /** The importing actor, recorded in every event's importedFrom. */
  importedBy: string;
  /** The import's clock, for sources that date nothing (see ImportMapping.undatedAt). */
  now: Date;
}

/** The latest of the business times seen, as the date an undated entry gets (or the mapping's). */
export function undatedInstant(mapping: ImportMapping, latestSeen: string | undefined, now: Date): string {
  if (mapping.undatedAt !== 'latest') return new Date(Date.parse(mapping.undatedAt)).toISOString();
  return latestSeen ?? now.toISOString();
}
