import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { READ_MODEL_POOL } from '../projection/read-model-pool';

/** Where the live generations of some projections stand, every partition: "name:generation:partition:position;…". */
const LIVE_POSITIONS = `
  SELECT string_agg(c.projection || ':' || c.generation || ':' || c.partition || ':' || c.position, ';'
                    ORDER BY c.projection, c.partition) AS stamp
    FROM projection_checkpoints c
    JOIN projection_generations g USING (projection, generation)
   WHERE g.status = 'live' AND c.projection = ANY($1::text[])`;

/** Answers kept (each a few kB; a page of anomalies at most a few hundred kB). */
const DEFAULT_CAPACITY = 256;

/**
 * Analytics answers cached by read-model position. A read model is a function of the feed
 * position its live generation has projected, so an answer computed from given parameters at
 * given positions stays right until one of them moves — then the next request recomputes.
 * The positions are read before and after computing: an answer is kept only when no batch
 * committed meanwhile, so a cached answer is never older or newer than the positions it is
 * filed under. Parameters that default to now (asOf, `to`) are part of the key as instants,
 * so "now" answers are recomputed, as their definitions require.
 */
@Injectable()
export class AnswerCache {
  private readonly answers = new Map<string, { stamp: string; value: unknown }>();
  private hits = 0;
  private misses = 0;

  private readonly capacity = DEFAULT_CAPACITY;

  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async answer<T>(name: string, params: readonly unknown[], projections: readonly string[], compute: () => Promise<T>): Promise<T> {
    const key = `${name}|${JSON.stringify(params)}`;
    const stamp = await this.stamp(projections);
    const cached = this.answers.get(key);
    if (cached && cached.stamp === stamp) {
      // Least recently used goes first: re-inserting moves the key to the end of the Map.
      this.answers.delete(key);
      this.answers.set(key, cached);
      this.hits++;
      return cached.value as T;
    }
    this.misses++;
    const value = await compute();
    if ((await this.stamp(projections)) === stamp) {
      this.answers.delete(key);
      this.answers.set(key, { stamp, value });
      while (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value as string);
    }
    return value;
  }

  stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.answers.size };
  }

  private async stamp(projections: readonly string[]): Promise<string> {
    const result = await this.pool.query<{ stamp: string | null }>(LIVE_POSITIONS, [projections]);
    return result.rows[0]?.stamp ?? '';
  }
}
