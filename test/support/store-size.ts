import { Client } from 'pg';

/**
 * How many events the test app's PostgreSQL store holds, counted on the table: the feed's head
 * position trails open transactions anywhere on the server, so it could hide an append that a
 * refused request made (or show one made before it).
 */
export class StoreSize {
  private constructor(private readonly client: Client) {}

  static async of(databaseUrl: string): Promise<StoreSize> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new StoreSize(client);
  }

  async events(): Promise<number> {
    const result = await this.client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(result.rows[0].n);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
