import { Pool } from 'pg';
import { formatPosition, GlobalPosition, parsePosition } from '@funnel/event-store/global-position';

/**
 * Where an outbound consumer (the NATS publisher) has got to in the feed, by name. Saved after
 * the broker acknowledged, so a crash repeats at most what came after the save (and the
 * publisher's own reconciliation removes even that).
 */
export class ConsumerCheckpoints {
  constructor(private readonly pool: Pool) {}

  async read(consumer: string): Promise<GlobalPosition | 'start'> {
    const result = await this.pool.query<{ position: string }>(`SELECT position FROM integration_checkpoints WHERE consumer = $1`, [consumer]);
    const text = result.rows[0]?.position;
    return text === undefined || text === 'start' ? 'start' : parsePosition(text);
  }

  async save(consumer: string, position: GlobalPosition): Promise<void> {
    await this.pool.query(
      `INSERT INTO integration_checkpoints (consumer, position) VALUES ($1, $2)
       ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = now()`,
      [consumer, formatPosition(position)],
    );
  }
}
