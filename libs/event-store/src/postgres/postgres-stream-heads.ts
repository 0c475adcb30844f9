import { Pool } from 'pg';
import { StreamHead, StreamHeadSource } from '../stream-heads';

interface HeadRow {
  stream_id: string;
  revision: string;
  last_hash: string | null;
  settled: boolean;
}

// The feed is read below the oldest running transaction (see postgres-event-store.ts): a head
// written by a transaction at or above it is not yet visible to feed readers.
const SETTLED = `last_transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;

function toHead(row: HeadRow): StreamHead {
  return { streamId: row.stream_id, revision: BigInt(row.revision), hash: row.last_hash, settled: row.settled };
}

/** The heads the PostgreSQL adapter keeps in `event_streams` (revision and hash of each stream's last event). */
export class PostgresStreamHeads implements StreamHeadSource {
  constructor(private readonly pool: Pool) {}

  async *heads(): AsyncIterable<StreamHead> {
    // Keyset pages: the table has one row per stream, which may be many.
    let after = '';
    for (;;) {
      const page = await this.pool.query<HeadRow>(
        `SELECT stream_id, revision, last_hash, ${SETTLED} AS settled FROM event_streams
          WHERE stream_id > $1 AND revision >= 0
          ORDER BY stream_id LIMIT 1000`,
        [after],
      );
      for (const row of page.rows) yield toHead(row);
      if (page.rows.length < 1000) return;
      after = page.rows[page.rows.length - 1].stream_id;
    }
  }

  async head(streamId: string): Promise<StreamHead | null> {
    const r = await this.pool.query<HeadRow>(
      `SELECT stream_id, revision, last_hash, ${SETTLED} AS settled FROM event_streams WHERE stream_id = $1 AND revision >= 0`,
      [streamId],
    );
    return r.rows[0] ? toHead(r.rows[0]) : null;
  }
}
