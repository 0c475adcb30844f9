import { Pool } from 'pg';
import { comparePositions, GlobalPosition } from '@funnel/event-store/global-position';
import { CheckpointPosition, parseCheckpoint } from './checkpoint';

/**
 * Read-your-writes for query endpoints: after a command answered with a feed position, a query
 * may wait (boundedly) until the projections it reads have projected that position.
 */
export class ProjectionPositions {
  constructor(
    private readonly pool: Pool,
    private readonly pollMs = 25,
  ) {}

  /**
   * Resolves true once the live generation of every named projection has reached `position` —
   * every partition of it, when it is partitioned —
   * false when `timeoutMs` passes first (the caller then answers with what it has).
   */
  async waitFor(position: GlobalPosition, timeoutMs: number, projections: readonly string[]): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.reached(position, projections)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, left)));
    }
  }

  async reached(position: GlobalPosition, projections: readonly string[]): Promise<boolean> {
    const result = await this.pool.query<{ projection: string; position: string }>(
      `SELECT c.projection, c.position
         FROM projection_checkpoints c
         JOIN projection_generations g USING (projection, generation)
        WHERE g.status = 'live' AND c.projection = ANY($1::text[])`,
      [projections],
    );
    const at = new Map<string, CheckpointPosition[]>();
    for (const row of result.rows) at.set(row.projection, [...(at.get(row.projection) ?? []), parseCheckpoint(row.position)]);
    return projections.every((name) => {
      const checkpoints = at.get(name);
      return (
        checkpoints !== undefined &&
        checkpoints.every((checkpoint) => checkpoint !== 'start' && comparePositions(checkpoint, position) >= 0)
      );
    });
  }
}
