/**
 * COPY FROM STDIN for the builders of a generation being built (ProjectionBuilder): rows go to
 * PostgreSQL as COPY's text format, which costs a fraction of the same rows as arrays of
 * parameters to unnest (pg escapes every array element in JavaScript, and the server parses
 * them twice). Each value is read by its column type's input function, as a parameter would be.
 */
import { escapeIdentifier, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BulkSql, CopyValue } from './projection';

/** Rows per chunk handed to the COPY stream: big enough to amortise a write, small enough not to hold a table's worth of text. */
const CHUNK_ROWS = 2000;

/**
 * A builder's view of the writer's connection. Its statements run one after the other, each once
 * `ready` has resolved (the writer's BEGIN and status check): a builder may call them at once,
 * handing over its rows synchronously, while the writer has not yet begun the transaction.
 */
export function bulkSql(client: PoolClient, ready: Promise<unknown> = Promise.resolve()): BulkSql {
  let chain: Promise<unknown> = ready;
  const inTurn = <T>(op: () => Promise<T>): Promise<T> => {
    const result = chain.then(op);
    chain = result;
    return result;
  };
  return {
    query: ((text: string, values?: unknown[]) => inTurn(() => client.query(text, values))) as PoolClient['query'],
    copyRows: (table, columns, rows) => inTurn(() => copyRows(client, table, columns, rows)),
  };
}

async function copyRows(client: PoolClient, table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const uneven = rows.find((row) => row.length !== columns.length);
  if (uneven) throw new Error(`COPY ${table}: a row of ${uneven.length} values for ${columns.length} columns`);
  const statement = `COPY ${escapeIdentifier(table)} (${columns.map((c) => escapeIdentifier(c)).join(', ')}) FROM STDIN`;
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    let text = '';
    const end = Math.min(rows.length, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) {
      text += copyLine(rows[i]);
    }
    // Honour back-pressure: a table's worth of text must not pile up in memory.
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await done;
}

/** One row in COPY's text format: tab-separated, \N for null, newline-terminated. */
export function copyLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(row[i]);
  }
  return `${line}\n`;
}

const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`COPY: ${value} is not a number a column can hold`);
    return String(value);
  }
  const text = typeof value === 'string' ? value : arrayLiteral(value);
  return NEEDS_COPY_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, escapeCopyChar) : text;
}

function escapeCopyChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}

/** An array literal: every element quoted, so empty strings, commas, braces and NULL-looking text stay text. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
