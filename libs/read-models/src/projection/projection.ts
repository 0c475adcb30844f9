/**
 * A projection turns the global feed into read-model tables. It is code plus versioned DDL: the
 * runner creates its tables in a generation's own schema and calls `apply` once per batch,
 * inside the transaction that also moves the checkpoint.
 */
import { PoolClient } from 'pg';
import { RecordedEvent } from '@funnel/event-store/event-store.port';

/** What a projection may do with the database: run statements in the batch's transaction. */
export type Sql = Pick<PoolClient, 'query'>;

/** A value of one column of a row written by COPY: a string array is a text[] (or any array type's literal). */
export type CopyValue = string | number | boolean | null | readonly string[];

/** What a builder may do with the database: statements, and rows streamed into a table by COPY. */
export interface BulkSql extends Sql {
  /** COPY `table` (`columns`) FROM STDIN in text format, in the writer's transaction. */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<void>;
}

/**
 * A projection's fast path for a generation being built from the very start of the feed by its
 * one writer (a rebuild's first catch-up): every deal's state stays in memory from batch to batch
 * (nothing is read back), and what the batches change is written in bulk — COPY for new rows,
 * one statement per table for the rest — once the writer decides to flush, rows that can still
 * change only by the final flush. The tables must end
 * up exactly as `apply` batch by batch would leave them, internal state tables included: the
 * generation goes on with `apply` afterwards (rebuild-equality and bulk-build specs hold that).
 */
export interface ProjectionBuilder {
  /** Folds one batch, in feed order, into memory. No I/O. */
  add(events: readonly RecordedEvent[]): void;
  /** Rows an interim flush would write; the writer flushes once the builders hold enough. */
  readonly pending: number;
  /**
   * Writes what the builder holds, in the writer's transaction (search_path = the generation's
   * schema), and forgets it — but keeps the states later batches fold onto. An interim flush
   * (`final` false) writes only the rows no later event can change (an audit row, a stage move, a
   * closed interval) and keeps the others (a deal's state, an open interval) for a later flush, so
   * that each is written once, by COPY, instead of written and then rewritten. The final flush
   * (made once level, with no batch after it) writes everything left: from then on the tables are
   * exactly what apply would have left, and the generation goes on with apply.
   *
   * Between the two the generation's checkpoint is only progress: its tables lack the rows still
   * held. That is safe because a building generation is read by nobody and never resumed — a
   * rebuild that dies leaves it abandoned, and it is dropped (generation-registry).
   *
   * It must take which rows it writes synchronously, before its first await: the writer goes on
   * calling `add` for the next batches while the flush is being written. A row taken may still show
   * what a later batch changed in its state; that row is then pending again and a later flush
   * writes it again.
   */
  flush(sql: BulkSql, final: boolean): Promise<void>;
}

export interface Projection {
  /** Stable name: the registry key and the prefix of its schemas (`rm_<name>_g<N>`). */
  readonly name: string;
  /**
   * Bump when the tables or the handling change. A live generation built by an older version is
   * rebuilt beside it (blue/green) when the projector next starts.
   */
  readonly version: number;
  /** Tables published as views `rm.<table>` (the read-model contract). */
  readonly views: readonly string[];
  /** CREATE TABLE statements with unqualified names: they run with search_path = the generation's schema. */
  readonly tables: readonly string[];
  /** Indexes that only queries need; a rebuild creates them once caught up, which loads faster. */
  readonly indexes: readonly string[];
  /**
   * True when every row belongs to one stream (a deal) and no row depends on another stream's
   * events: the projection may then be split over processes by partitionOf(streamId) (see
   * partition.ts). False or absent: it always runs as one partition (account_summary adds a
   * whole account's deals together).
   */
  readonly partitionable?: boolean;
  /**
   * Projects one batch, in feed order, with search_path = the generation's schema. Must not
   * commit: the runner's transaction also moves the checkpoint, so a batch counts once or not at all.
   */
  apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void>;
  /** The bulk path for a generation built from the start by one writer (see ProjectionBuilder); absent: apply per batch. */
  builder?(): ProjectionBuilder;
}
