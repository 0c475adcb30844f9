/**
 * A projection turns the global feed into read-model tables. It is code plus versioned DDL: the
 * runner creates its tables in a generation's own schema and calls `apply` once per batch,
 * inside the transaction that also moves the checkpoint.
 */
import { PoolClient } from 'pg';
import { RecordedEvent } from '@funnel/event-store/event-store.port';

/** What a projection may do with the database: run statements in the batch's transaction. */
export type Sql = Pick<PoolClient, 'query'>;

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
}
