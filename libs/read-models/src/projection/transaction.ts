import { Pool, PoolClient } from 'pg';

/** Runs `work` in one transaction on `client` (which the caller owns). */
export async function inTransaction<T>(client: PoolClient, work: (client: PoolClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A connection of our own from `pool`; `release(destroy)` gives it back (or closes it). */
export interface BorrowedClient {
  client: PoolClient;
  release(destroy?: boolean): void;
}

/**
 * Borrows a connection that cannot crash the process: pg emits 'error' on a checked-out client
 * whose server goes away, and an unhandled 'error' event is fatal. The failure still surfaces as
 * the rejected query.
 */
export async function borrowClient(pool: Pool): Promise<BorrowedClient> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  return {
    client,
    release: (destroy = false) => {
      client.off('error', ignore);
      client.release(destroy);
    },
  };
}

/** Runs `work` in one transaction on a connection borrowed from `pool`. */
export async function inPoolTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const borrowed = await borrowClient(pool);
  let broken = false;
  try {
    return await inTransaction(borrowed.client, work);
  } catch (error) {
    broken = isConnectionError(error);
    throw error;
  } finally {
    // A failed connection is destroyed rather than handed to the next borrower.
    borrowed.release(broken);
  }
}

/** True for errors after which the connection is unusable (terminated, reset, closed). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e.code && /^(57P0[1-3]|08\d\d\d)$/.test(e.code)) return true;
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.code === 'ECONNREFUSED') return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message ?? '');
}
