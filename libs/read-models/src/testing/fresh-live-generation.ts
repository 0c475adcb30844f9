/**
 * For tests and benchmarks: makes a new, empty generation of `projection` live at once, split
 * into `partitions`, every checkpoint at 'start' — what a first start with PROJECTOR_PARTITIONS
 * creates — so that runners project the whole feed into it from the beginning. The old live
 * generation is retired and dropped.
 */
import { Pool } from 'pg';
import { GenerationRegistry } from '../projection/generation-registry';
import { createGenerationIndexes, generationSchema } from '../projection/generation-schema';
import { Projection } from '../projection/projection';
import { borrowClient, inTransaction } from '../projection/transaction';
import { unlockWriter } from '../projection/writer-lock';

export async function makeFreshGenerationLive(pool: Pool, projection: Projection, partitions: number): Promise<number> {
  const registry = new GenerationRegistry(pool);
  const borrowed = await borrowClient(pool);
  try {
    const { generation } = await registry.startBuilding(borrowed.client, projection, partitions);
    await inTransaction(borrowed.client, (c) => createGenerationIndexes(c, projection, generationSchema(projection.name, generation)));
    await registry.promote(borrowed.client, projection, generation);
    await unlockWriter(borrowed.client, projection.name, generation);
    await registry.dropRetiredSchemas(projection.name, borrowed.client);
    return generation;
  } finally {
    borrowed.release(true);
  }
}
