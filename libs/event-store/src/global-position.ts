/**
 * A position in the global feed. EventStoreDB's own shape (commit, prepare); the PostgreSQL
 * adapter maps it to (transaction id, sequence), which orders the feed the same way:
 * lexicographically, commit first.
 */
export interface GlobalPosition {
  commit: bigint;
  prepare: bigint;
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Text form used in HTTP responses, checkpoints and `?waitFor=`: "<commit>:<prepare>". */
export function formatPosition(p: GlobalPosition): string {
  return `${p.commit.toString()}:${p.prepare.toString()}`;
}

/** Both parts of a position are signed 64-bit in every store (PostgreSQL: xid8 and bigint). */
export const MAX_POSITION_PART = 2n ** 63n - 1n;

/** Parses "<commit>:<prepare>"; refuses a part no store can hold, which no feed ever reaches. */
export function parsePosition(text: string): GlobalPosition {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text.trim());
  if (!match) throw new InvalidPositionError(text);
  const position = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  if (position.commit > MAX_POSITION_PART || position.prepare > MAX_POSITION_PART) throw new InvalidPositionError(text);
  return position;
}

/** Whether a value is a position text some store could reach (what every `waitFor`/`after` must be). */
export function isFeedPosition(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parsePosition(value);
    return /^\d{1,20}:\d{1,20}$/.test(value);
  } catch {
    return false;
  }
}

export class InvalidPositionError extends Error {
  constructor(readonly text: string) {
    super(`"${text}" is not a feed position (expected "<commit>:<prepare>")`);
    this.name = 'InvalidPositionError';
  }
}
