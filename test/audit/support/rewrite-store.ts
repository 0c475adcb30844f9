import { Client } from 'pg';
import { hashEvent } from '@funnel/event-store/hash-chain';

/**
 * What a database owner can do behind the store's back (tests only): statements run with the
 * events table's refusal of UPDATE and DELETE switched off.
 */
export async function asDatabaseOwner(url: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_delete');
    await work(client);
    await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_delete');
  } finally {
    await client.end();
  }
}

interface Row {
  global_position: string;
  event_id: string;
  stream_revision: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

/**
 * A careful forger: changes one event's data and re-hashes it and every later event of its
 * stream, and moves the stream's head along, so the chain verifies again.
 */
export async function forgeAndRehash(client: Client, streamId: string, revision: number, data: unknown): Promise<void> {
  const { rows } = await client.query<Row>(`SELECT * FROM events WHERE stream_id = $1 ORDER BY stream_revision`, [streamId]);
  let prevHash: string | null = null;
  for (const row of rows) {
    const r = Number(row.stream_revision);
    if (r < revision) {
      prevHash = row.metadata.hash as string;
      continue;
    }
    const newData = r === revision ? data : row.data;
    const metadata: Record<string, unknown> = { ...row.metadata, prevHash: prevHash ?? undefined };
    delete metadata.hash;
    const hash = hashEvent(streamId, BigInt(r), { id: row.event_id, type: row.event_type, data: newData, metadata, recordedAt: row.recorded_at }, prevHash);
    await client.query(`UPDATE events SET data = $2, metadata = $3 WHERE global_position = $1`, [
      row.global_position,
      JSON.stringify(newData),
      JSON.stringify({ ...metadata, hash }),
    ]);
    prevHash = hash;
  }
  await client.query(`UPDATE event_streams SET last_hash = $2 WHERE stream_id = $1`, [streamId, prevHash]);
}
