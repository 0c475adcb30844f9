import { formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';
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

export async function readCheckpoint(sql: Sql, projection: string, generation: number): Promise<Checkpoint> {
  const result = await sql.query<{ position: string; events_processed: string }>(
    `SELECT position, events_processed FROM projection_checkpoints
      WHERE projection = $1 AND generation = $2`,
    [projection, generation],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no checkpoint for ${projection} generation ${generation}`);
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
): Promise<boolean> {
  const result = await sql.query(
    `UPDATE projection_checkpoints
        SET position = $4, events_processed = events_processed + $5, updated_at = now()
      WHERE projection = $1 AND generation = $2 AND position = $3`,
    [projection, generation, checkpointText(from), formatPosition(to), events],
  );
  return result.rowCount === 1;
}
