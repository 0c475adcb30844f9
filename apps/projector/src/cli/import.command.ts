/**
 * `funnel import <file> --format <f> [--mapping <json>] [--dry-run]`: a thin adapter over
 * libs/importers — resolves the files and the mapping, shows a progress bar on large files,
 * prints the summary and every refused row with its line and reason.
 */
import { SingleBar } from 'cli-progress';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { EventStore } from '@funnel/event-store/event-store.port';
import { CsvSource, ImportFileError } from '@funnel/importers/csv/csv-rows';
import { IMPORT_FORMATS, ImportMappingError, isImportFormat, resolveMapping } from '@funnel/importers/mapping/import-mapping';
import { importHistoryFile, ImportSummary } from '@funnel/importers/run/import-history-file';

export interface ImportCommandOptions {
  file?: string;
  format?: string;
  mapping?: string;
  dryRun: boolean;
  as?: string;
}

/** Problems printed in full; the rest are counted. */
const SHOWN_PROBLEMS = 50;

/** Exit codes: 0 all rows imported, 4 some rows refused (the others were imported), 2 unusable input. */
export async function importCommand(store: EventStore, options: ImportCommandOptions, out: (line: string) => void): Promise<number> {
  if (!options.file || !existsSync(options.file)) {
    out(options.file ? `no such file: ${options.file}` : 'which file? npm run funnel -- import <file> --format <format>');
    return 2;
  }
  if (!isImportFormat(options.format)) {
    out(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    return 2;
  }
  const format = options.format;
  let summary: ImportSummary;
  try {
    const mapping = resolveMapping(format, options.mapping ? JSON.parse(readFileSync(options.mapping, 'utf8')) : {});
    const companionName = format === 'maven' ? mapping.teamsFile : format === 'salesforce-history' ? mapping.opportunitiesFile : undefined;
    const companionPath = companionName ? resolve(dirname(options.file), companionName) : undefined;
    if (format === 'maven' && companionPath && !existsSync(companionPath)) {
      out(`note: no ${companionName} next to the file: teams and regions come from the mapping (${mapping.team}, ${mapping.region})`);
    }
    const bar = new SingleBar({ format: 'importing |{bar}| {percentage}% | {value}/{total} deals | ETA {eta_formatted}', hideCursor: true });
    let barStarted = false;
    summary = await importHistoryFile(store, {
      format,
      source: fileSource(options.file),
      companion: companionPath && existsSync(companionPath) ? fileSource(companionPath) : undefined,
      mapping,
      actor: { id: options.as ?? `cli:${userInfo().username}`, roles: ['manager'] },
      dryRun: options.dryRun,
      correlationId: randomUUID(),
      concurrency: 8,
      onProgress: (done, total) => {
        // A bar only where it helps: large files, on a terminal.
        if (total < 500 || !process.stderr.isTTY) return;
        if (!barStarted) {
          bar.start(total, done);
          barStarted = true;
        } else bar.update(done);
        if (done === total) bar.stop();
      },
    });
  } catch (error) {
    if (error instanceof ImportMappingError || error instanceof ImportFileError || error instanceof SyntaxError) {
      out(error.message);
      return 2;
    }
    throw error;
  }
  printSummary(summary, out);
  return summary.refused > 0 ? 4 : 0;
}

export function printSummary(s: ImportSummary, out: (line: string) => void): void {
  out(`${s.dryRun ? 'dry run (nothing appended): ' : ''}${s.file} as ${s.format}`);
  out(`  rows read        ${s.rowsRead.toLocaleString('en')}`);
  out(`  deals            ${s.deals.toLocaleString('en')}`);
  out(`  events ${s.dryRun ? 'to append' : 'appended'} ${s.dryRun ? '' : ' '}${s.eventsAppended.toLocaleString('en')}`);
  out(`  skipped          ${s.skipped.toLocaleString('en')} (already imported or nothing new)`);
  out(`  refused          ${s.refused.toLocaleString('en')}`);
  for (const p of s.problems.slice(0, SHOWN_PROBLEMS)) out(`  ${p.file}:${p.line}: ${p.reason}`);
  if (s.problems.length > SHOWN_PROBLEMS) out(`  … and ${s.problems.length - SHOWN_PROBLEMS} more refused`);
  if (s.position) out(`  last position    ${s.position} (GET /v1/analytics/…?waitFor=${s.position})`);
}

function fileSource(path: string): CsvSource {
  return { name: basename(path), open: () => createReadStream(path) };
}
