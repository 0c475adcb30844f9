import { comparePositions, formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
import { Sql } from './projection';

/** Where a generation has got to in the feed: 'start' before its first batch. */
export type CheckpointPosition = GlobalPosition | 'start';

export interface Checkpoint {
  position: CheckpointPosition;
  eventsProcessed: number;
}

export function checkpointText(position: CheckpointPosition): string {
  return position === 'start' ? 'start' : formatPosition(position);
}

export function parseCheckpoint(text: string): CheckpointPosition {
  return text === 'start' ? 'start' : parsePosition(text);
}

/** -1 when a is behind b, 0 when equal, 1 when ahead ('start' is behind every position). */
export function compareCheckpoints(a: CheckpointPosition, b: CheckpointPosition): number {
  if (a === 'start' || b === 'start') return a === b ? 0 : a === 'start' ? -1 : 1;
  return comparePositions(a, b);
}

/**
 * Of the checkpoints of a partitioned generation, the one furthest behind: every partition has
 * projected the feed up to it, so the read model as a whole has too.
 */
export function lowestCheckpoint(positions: readonly CheckpointPosition[]): CheckpointPosition {
  if (positions.length === 0) throw new Error('no checkpoint');
  return positions.reduce((low, p) => (compareCheckpoints(p, low) < 0 ? p : low));
}

/** The one furthest ahead: no partition has projected anything after it. */
export function highestCheckpoint(positions: readonly CheckpointPosition[]): CheckpointPosition {
  if (positions.length === 0) throw new Error('no checkpoint');
  return positions.reduce((high, p) => (compareCheckpoints(p, high) > 0 ? p : high));
}

/** A generation's checkpoint of one partition (0, the only one, when it is not partitioned). */
export async function readCheckpoint(sql: Sql, projection: string, generation: number, partition = 0): Promise<Checkpoint> {
  const result = await sql.query<{ position: string; events_processed: string }>(
    `SELECT position, events_processed FROM projection_checkpoints
      WHERE projection = $1 AND generation = $2 AND partition = $3`,
    [projection, generation, partition],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no checkpoint for ${projection} generation ${generation} partition ${partition}`);
  return { position: parseCheckpoint(row.position), eventsProcessed: Number(row.events_processed) };
}

/**
 * Compare-and-set, inside the batch's transaction: the checkpoint moves only if it still stands
 * where this batch started. False means another runner moved it; the caller rolls back the batch.
 */
export async function advanceCheckpoint(
  sql: Sql,
  projection: string,
  generation: number,
  from: CheckpointPosition,
  to: GlobalPosition,
  events: number,
  partition = 0,
): Promise<boolean> {
  const result = await sql.query(
    `UPDATE projection_checkpoints
        SET position = $4, events_processed = events_processed + $5, updated_at = now(),
            last_error = NULL, failing_since = NULL, consecutive_failures = 0
      WHERE projection = $1 AND generation = $2 AND partition = $6 AND position = $3`,
    [projection, generation, checkpointText(from), formatPosition(to), events, partition],
  );
  return result.rowCount === 1;
}

/**
 * Notes a failed batch on the projection's live generation (outside the failed transaction,
 * which rolled back): `GET /v1/projections` then shows that it is stuck, since when and why.
 * With a partition, on that partition's checkpoint only; without, on every one.
 */
export async function recordFailure(sql: Sql, projection: string, error: unknown, partition?: number): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await sql.query(
    `UPDATE projection_checkpoints c
        SET last_error = left($2, 2000),
            failing_since = coalesce(c.failing_since, now()),
            consecutive_failures = c.consecutive_failures + 1
       FROM projection_generations g
      WHERE g.projection = c.projection AND g.generation = c.generation
        AND g.projection = $1 AND g.status = 'live' AND ($3::int IS NULL OR c.partition = $3)`,
    [projection, message, partition ?? null],
  );
}
