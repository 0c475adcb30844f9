import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyScope } from './idempotency-scope';

export interface IdempotentOutcome<T> {
  status: number;
  body: T;
  /** True when the stored response of an earlier request was returned. */
  replayed: boolean;
}

/**
 * Runs a command at most once per Idempotency-Key. Requests with the same key wait for each
 * other (a session advisory lock, released by PostgreSQL if this process dies); the first
 * stores its response, later ones with the same body get it back, with another body a 422.
 *
 * Crash safety does not rest on this table alone: the command derives its event ids from the
 * key, so if the process dies after the append but before the response is stored, the retry
 * finds its own events in the stream (see DealCommandExecutor) instead of appending twice.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `work` runs under the key; `status` is what its success answers. When it throws an error
   * `isRefusal` recognises (nothing was appended), the key is freed again.
   */
  async run<T>(
    scope: IdempotencyScope,
    status: number,
    work: () => Promise<T>,
    isRefusal: (error: unknown) => boolean,
  ): Promise<IdempotentOutcome<T>> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lock = advisoryLockKey(scope);
    try {
      await runner.query(`SELECT pg_advisory_lock($1::bigint)`, [lock]);
      try {
        return await this.runLocked(runner, scope, status, work, isRefusal);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1::bigint)`, [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Forgets keys older than `hours`. A request retried with a forgotten key runs again, and is
   * still not applied twice: its event ids derive from the key and are found in the stream.
   */
  async purgeOlderThan(hours: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [hours],
    );
    return result[1];
  }

  private async runLocked<T>(
    runner: QueryRunner,
    scope: IdempotencyScope,
    status: number,
    work: () => Promise<T>,
    isRefusal: (error: unknown) => boolean,
  ): Promise<IdempotentOutcome<T>> {
    const rows: { route: string; request_hash: string; status: number | null; response: T | null }[] = await runner.query(
      `SELECT route, request_hash, status, response FROM idempotency_keys WHERE actor = $1 AND key = $2`,
      [scope.actor, scope.key],
    );
    const stored = rows[0];
    if (stored && (stored.route !== scope.route || stored.request_hash !== scope.requestHash)) {
      throw new IdempotencyKeyReusedError(scope.key);
    }
    if (stored && stored.status !== null) {
      return { status: stored.status, body: stored.response as T, replayed: true };
    }
    if (!stored) {
      // Claims the key for this body before anything is appended (see the migration).
      await runner.query(
        `INSERT INTO idempotency_keys (actor, key, route, request_hash) VALUES ($1, $2, $3, $4)`,
        [scope.actor, scope.key, scope.route, scope.requestHash],
      );
    }
    let body: T;
    try {
      body = await work();
    } catch (error) {
      // A refusal appended nothing: free the key so a corrected request may use it. After an
      // unexpected failure the claim stays, so only the same body can finish the job.
      if (isRefusal(error)) {
        await runner.query(`DELETE FROM idempotency_keys WHERE actor = $1 AND key = $2 AND status IS NULL`, [
          scope.actor,
          scope.key,
        ]);
      }
      throw error;
    }
    await runner.query(
      `UPDATE idempotency_keys SET status = $3, response = $4::jsonb WHERE actor = $1 AND key = $2`,
      [scope.actor, scope.key, status, JSON.stringify(body)],
    );
    return { status, body, replayed: false };
  }
}

/** A bigint lock id for pg_advisory_lock, from the key's owner and name. */
function advisoryLockKey(scope: IdempotencyScope): string {
  return createHash('sha256').update(`idempotency\u0000${scope.actor}\u0000${scope.key}`).digest().readBigInt64BE(0).toString();
}
