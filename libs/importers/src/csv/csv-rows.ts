/**
 * CSV in, rows out, streamed: a file or an HTTP body is parsed as it arrives (csv-parse), each
 * row with the 1-based line it ends on (the header is line 1), so a bad row can be reported by
 * line. CRLF and LF, a UTF-8 byte-order mark and blank lines are all taken as they come. A
 * failure of the source itself is thrown as it is.
 */
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';

export interface CsvRow {
  /** 1-based line the record ends on. */
  line: number;
  /** Values by header name as written in the file, trimmed. */
  values: Record<string, string>;
}

/** The file as a whole cannot be read: no header, a missing column, broken quoting. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ImportFileError';
  }
}

export interface CsvSource {
  /** What the events name as the file (a file's base name, or the upload's name). */
  name: string;
  /** A fresh stream of the file's bytes. */
  open(): Readable;
}

/**
 * The rows of a CSV source. `columns` must all be in the header (matched case-insensitively);
 * `values` is keyed by these names, in the case given here, plus any other header as written.
 */
export async function* csvRows(source: CsvSource, columns: readonly string[]): AsyncGenerator<CsvRow> {
  const wanted = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const input = source.open();
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (header: string[]) => {
        const names = header.map((h) => wanted.get(h.trim().toLowerCase()) ?? h.trim());
        const missing = columns.filter((c) => !names.includes(c));
        if (missing.length > 0) {
          throw new ImportFileError(source.name, `the header lacks ${missing.map((m) => `"${m}"`).join(', ')} (it has ${header.join(', ')})`);
        }
        return names;
      },
    }),
  );
  // pipe() does not pass the source's failure on (an upload over its size limit, a body that is
  // not the gzip it claims): it ends the rows with that very error, for the caller to answer.
  let inputError: Error | undefined;
  input.on('error', (error) => {
    inputError ??= error;
    parser.destroy(error);
  });
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string | undefined>; info: { lines: number } }>) {
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(record)) values[key] = value ?? '';
      yield { line: info.lines, values };
    }
  } catch (error) {
    if (inputError) throw inputError;
    if (error instanceof ImportFileError) throw error;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ImportFileError) throw cause;
    throw new ImportFileError(source.name, error instanceof Error ? error.message : String(error));
  }
}
