/**
 * For a builder (ProjectionBuilder): the rows of one keyed table — a deal's state, a visit — that
 * its flushes have written so far. A row new since the last flush goes by COPY; a row an earlier
 * flush wrote and that changed since goes by the projection's own upsert (apply's statement), as
 * COPY cannot replace a row. Keeps only the keys: the rows themselves live in the builder's fold.
 */
import { BulkSql, CopyValue, Sql } from './projection';

export class WrittenRows<R extends Record<C, CopyValue>, C extends keyof R & string> {
  private readonly written = new Set<string>();

  constructor(
    private readonly table: string,
    private readonly columns: readonly C[],
    private readonly keyOf: (row: R) => string,
    private readonly upsert: (sql: Sql, rows: R[]) => Promise<void>,
  ) {}

  /** An earlier flush wrote the row of `key`. */
  has(key: string): boolean {
    return this.written.has(key);
  }

  /** Writes `rows` (each key once) in the flush's transaction: COPY for the new ones, the upsert for the others. */
  async write(sql: BulkSql, rows: Iterable<R>): Promise<void> {
    const fresh: CopyValue[][] = [];
    const rewritten: R[] = [];
    for (const row of rows) {
      const key = this.keyOf(row);
      if (this.written.has(key)) {
        rewritten.push(row);
      } else {
        fresh.push(this.columns.map((c) => row[c]));
        this.written.add(key);
      }
    }
    await sql.copyRows(this.table, this.columns, fresh);
    await this.upsert(sql, rewritten);
  }
}
