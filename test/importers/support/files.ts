import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { CsvSource } from '@funnel/importers/csv/csv-rows';

/** The shared sample data, read where it lies (never copied, never edited). */
export const MAVEN_DIR = resolve(__dirname, '../../../../shared/data/maven-crm');

export function fileSource(path: string): CsvSource {
  return { name: basename(path), open: () => createReadStream(path) };
}

/** A throwaway file with this content; returns its path. */
export function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'funnel-import-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
