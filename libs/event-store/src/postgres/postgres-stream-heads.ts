import { Pool } from 'pg';
import { StreamHead, StreamHeadSource } from '../audit/feed-audit';

/** The heads the PostgreSQL adapter keeps in `event_streams` (revision and hash of each stream's last event). */
export class PostgresStreamHeads implements StreamHeadSource {
  constructor(private readonly pool: Pool) {}

  async *heads(): AsyncIterable<StreamHead> {
    // Keyset pages: the table has one row per stream, which may be many.
    let after = '';
    for (;;) {
      const page = await this.pool.query<{ stream_id: string; revision: string; last_hash: string | null }>(
        `SELECT stream_id, revision, last_hash FROM event_streams
          WHERE stream_id > $1 AND revision >= 0
          ORDER BY stream_id LIMIT 1000`,
        [after],
      );
      for (const row of page.rows) yield { streamId: row.stream_id, revision: BigInt(row.revision), hash: row.last_hash };
      if (page.rows.length < 1000) return;
      after = page.rows[page.rows.length - 1].stream_id;
    }
  }
}
