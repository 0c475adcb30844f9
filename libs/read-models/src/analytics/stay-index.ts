import { Inject, Injectable } from '@nestjs/common';
import { StringDecoder } from 'node:string_decoder';
import { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { StayExitKind } from '@funnel/domain/metrics/stage-stay';
import { DEAL_STATUS_STAGES, DealStatusStage } from '@funnel/domain/playbook/stage';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { CheckpointPosition } from '../projection/checkpoint';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { ReadModelFollower } from './deals-touched';

/**
 * rm.stage_intervals held in the api process as columns (typed arrays), so an analytics request
 * is a scan over the stays it asks about instead of a query that loads them: ~40 bytes a stay,
 * ~30 MB at 100,000 deals.
 *
 * A snapshot is the read model at one position of stage_history's live generation, the stays in
 * the read model's (deal_id, seq) order — the order the metrics add in (docs/metrics.md: means
 * add in (deal, seq) order, and a float sum depends on its order). Snapshots never change; a
 * request takes the current one. When the read model has moved on, the next request first brings
 * the index level: the deals with events in the feed between the two positions are read again
 * (all their stays, in one REPEATABLE READ snapshot with the checkpoint they belong to) and
 * merged into a new snapshot in order. A new live generation (a rebuild) loads everything again.
 */

/** Codes of exit kinds in `exitKind` (0: still open). */
export const EXIT_KINDS: readonly (StayExitKind | null)[] = [null, 'advanced', 'skipped', 'regressed', 'won', 'lost', 'reopened'];
/** Codes of stages in `stage` / `nextStage`: the index in DEAL_STATUS_STAGES; NO_STAGE for none. */
export const NO_STAGE = 255;

const stageCode = (stage: string | null) => (stage === null ? NO_STAGE : DEAL_STATUS_STAGES.indexOf(stage as DealStatusStage));
const exitCode = (kind: string | null) => EXIT_KINDS.indexOf(kind as StayExitKind | null);

/** Text columns stored as small ids: one dictionary per column, append-only and shared by all snapshots. */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** The id of a value, added when new. */
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The id of a value, or -1 when no stay has it (a filter on it matches nothing). */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

const COLUMNS = ['deal', 'seq', 'stage', 'exitKind', 'nextStage', 'exitImported', 'entered', 'exited', 'owner', 'team', 'region', 'industry'] as const;
type ColumnName = (typeof COLUMNS)[number];

/** The stays, one typed array per column, row i of each is stay i. */
export interface StayColumns {
  /** Index into StayIndex's deal ids. */
  deal: Int32Array;
  seq: Int32Array;
  stage: Uint8Array;
  exitKind: Uint8Array;
  nextStage: Uint8Array;
  exitImported: Uint8Array;
  /** Business time of entry, epoch ms. */
  entered: Float64Array;
  /** Business time of exit, epoch ms; NaN while open. */
  exited: Float64Array;
  owner: Int32Array;
  team: Int32Array;
  region: Int32Array;
  industry: Int32Array;
}

function allocate(n: number): StayColumns {
  return {
    deal: new Int32Array(n),
    seq: new Int32Array(n),
    stage: new Uint8Array(n),
    exitKind: new Uint8Array(n),
    nextStage: new Uint8Array(n),
    exitImported: new Uint8Array(n),
    entered: new Float64Array(n),
    exited: new Float64Array(n),
    owner: new Int32Array(n),
    team: new Int32Array(n),
    region: new Int32Array(n),
    industry: new Int32Array(n),
  };
}

/** A row as read: deal_id, seq, stage, entered ms, exited ms, exit_kind, next_stage, owner, team, region, industry, exit_imported. */
type StayRow = [string, number, string, number, number | null, string | null, string | null, string, string, string, string, boolean | null];

const STAY_COLUMNS_SQL = `
  deal_id::text, seq, stage, (extract(epoch FROM entered_at) * 1000)::float8, (extract(epoch FROM exited_at) * 1000)::float8,
  exit_kind, next_stage, owner, team, region, industry, exit_imported`;

/**
 * Every stay in (deal_id, seq) order, streamed (COPY) rather than paged: one sort in PostgreSQL
 * beats walking the primary key page by page over a table stored in business-time order.
 * (Qualified: a bare `deal_id` in ORDER BY would name the text output column.)
 */
const ALL_STAYS = `COPY (SELECT ${STAY_COLUMNS_SQL} FROM rm.stage_intervals i ORDER BY i.deal_id, i.seq) TO STDOUT`;

const STAYS_OF_DEALS = `SELECT ${STAY_COLUMNS_SQL} FROM rm.stage_intervals i WHERE i.deal_id = ANY($1::uuid[]) ORDER BY i.deal_id, i.seq`;

/** stage_history's live generation and where it stands (a row per partition). */
const INITIAL_ROWS = 100_000;
/** Beyond this many deals touched since the last snapshot, loading everything again is cheaper. */
const MAX_TOUCHED_DEALS = 20_000;

export class StaySnapshot {
  /** Latest business time of any entry or exit: an asOf at or past it sees every stay as it is now. */
  readonly latest: number;
  /**
   * The snapshot this one was merged from and the deals whose stays were replaced (numbers in
   * StayIndex.dealIds), so an answer kept there can be patched instead of recomputed. One step
   * only: the previous snapshot lets go of its own predecessor.
   */
  previous?: { snapshot: StaySnapshot; touched: ReadonlySet<number> };
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly index: StayIndex,
    readonly count: number,
    readonly columns: StayColumns,
    /** stage_history's live generation and checkpoint this snapshot is level with. */
    readonly generation: number,
    readonly position: CheckpointPosition,
  ) {
    let latest = -Infinity;
    for (let i = 0; i < count; i++) {
      if (columns.entered[i] > latest) latest = columns.entered[i];
      if (columns.exited[i] > latest) latest = columns.exited[i];
    }
    this.latest = latest;
  }

  /** What remember() kept under a key, if anything. */
  recall<T>(key: string): T | undefined {
    return this.memo.get(key) as T | undefined;
  }

  /** A value computed once per snapshot and key (a few dozen kept; a new snapshot starts empty). */
  remember<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    if (this.memo.size > 64) this.memo.delete(this.memo.keys().next().value as string);
    return value;
  }
}

@Injectable()
export class StayIndex {
  readonly dealIds: string[] = [];
  private readonly dealNumbers = new Map<string, number>();
  readonly owners = new Dictionary();
  readonly teams = new Dictionary();
  readonly regions = new Dictionary();
  readonly industries = new Dictionary();

  private readonly follower: ReadModelFollower<StaySnapshot>;

  constructor(@Inject(READ_MODEL_POOL) pool: Pool, @Inject(EVENT_STORE) store: Pick<EventStore, 'readAll'>) {
    this.follower = new ReadModelFollower(pool, store, 'stage_history', {
      empty: () => new StaySnapshot(this, 0, allocate(0), -1, 'start'),
      load: (client, generation, position) => this.loadAll(client, generation, position),
      patch: (have, client, touched, generation, position) => this.merge(have, client, touched, generation, position),
    }, MAX_TOUCHED_DEALS);
  }

  /** Starts loading without waiting, so the first request does not wait for all of it (errors surface on that request). */
  warmUp(): void {
    this.current().catch(() => undefined);
  }

  /** The snapshot level with stage_history's live generation as it stands now. */
  current(): Promise<StaySnapshot> {
    return this.follower.current();
  }

  private async loadAll(client: PoolClient, generation: number, position: CheckpointPosition): Promise<StaySnapshot> {
    await client.query(`SET LOCAL work_mem = '64MB'`);
    let columns = allocate(INITIAL_ROWS);
    let count = 0;
    let partial = '';
    const decoder = new StringDecoder('utf8');
    for await (const chunk of client.query(copyTo(ALL_STAYS)) as AsyncIterable<Buffer>) {
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      if (count + lines.length > columns.deal.length) columns = grow(columns, count, Math.max(columns.deal.length * 2, count + lines.length));
      for (const line of lines) this.write(columns, count++, copyRow(line));
    }
    return new StaySnapshot(this, count, grow(columns, count, count), generation, position);
  }

  /** The snapshot with the stays of `touched` deals replaced by what the read model holds now. */
  private async merge(have: StaySnapshot, client: PoolClient, touched: Set<string>, generation: number, position: CheckpointPosition): Promise<StaySnapshot> {
    if (touched.size === 0) return this.successor(have, new StaySnapshot(this, have.count, have.columns, generation, position), touched);
    const fresh = (await client.query<StayRow>({ text: STAYS_OF_DEALS, values: [[...touched]], rowMode: 'array' })).rows;
    const gone = new Set<number>();
    for (const id of touched) {
      const n = this.dealNumbers.get(id);
      if (n !== undefined) gone.add(n);
    }
    const old = have.columns;
    let removed = 0;
    for (let i = 0; i < have.count; i++) if (gone.has(old.deal[i])) removed++;
    const count = have.count - removed + fresh.length;
    const columns = allocate(count);
    let out = 0;
    let f = 0;
    const copy = (from: number, to: number) => {
      if (to <= from) return;
      for (const name of COLUMNS) (columns[name] as Int32Array).set((old[name] as Int32Array).subarray(from, to), out);
      out += to - from;
    };
    // Old stays in runs, fresh rows inserted where their deal id sorts (ids compare as
    // PostgreSQL compares uuids: lower-case hex, byte by byte).
    let runStart = 0;
    for (let i = 0; i < have.count; i++) {
      const deal = old.deal[i];
      if (i === 0 || deal !== old.deal[i - 1]) {
        const id = this.dealIds[deal];
        if (f < fresh.length && fresh[f][0] < id) {
          copy(runStart, i);
          runStart = i;
          while (f < fresh.length && fresh[f][0] < id) this.write(columns, out++, fresh[f++]);
        }
      }
      if (gone.has(deal)) {
        copy(runStart, i);
        runStart = i + 1;
      }
    }
    copy(runStart, have.count);
    while (f < fresh.length) this.write(columns, out++, fresh[f++]);
    return this.successor(have, new StaySnapshot(this, count, columns, generation, position), touched);
  }

  private successor(have: StaySnapshot, next: StaySnapshot, touched: Set<string>): StaySnapshot {
    have.previous = undefined;
    next.previous = { snapshot: have, touched: new Set([...touched].map((id) => this.dealNumbers.get(id)).filter((n): n is number => n !== undefined)) };
    return next;
  }

  /** The number a deal id has in this index (and in DealIndex, which shares it), given when new. */
  dealNumber(dealId: string): number {
    let deal = this.dealNumbers.get(dealId);
    if (deal === undefined) {
      deal = this.dealIds.length;
      this.dealIds.push(dealId);
      this.dealNumbers.set(dealId, deal);
    }
    return deal;
  }

  private write(columns: StayColumns, i: number, row: StayRow): void {
    const [dealId, seq, stage, entered, exited, exitKind, nextStage, owner, team, region, industry, exitImported] = row;
    const deal = this.dealNumber(dealId);
    columns.deal[i] = deal;
    columns.seq[i] = seq;
    columns.stage[i] = stageCode(stage);
    columns.exitKind[i] = exitCode(exitKind);
    columns.nextStage[i] = stageCode(nextStage);
    columns.exitImported[i] = exitImported ? 1 : 0;
    columns.entered[i] = entered;
    columns.exited[i] = exited ?? NaN;
    columns.owner[i] = this.owners.intern(owner);
    columns.team[i] = this.teams.intern(team);
    columns.region[i] = this.regions.intern(region);
    columns.industry[i] = this.industries.intern(industry);
  }
}

/** A line of COPY's text format as a row: tab-separated, \\N for null, backslash escapes. */
function copyRow(line: string): StayRow {
  const f = line.split('\t');
  const text = (value: string) => (value.includes('\\') ? value.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c) : value);
  const nullable = (value: string) => (value === '\\N' ? null : text(value));
  const exited = nullable(f[4]);
  const imported = nullable(f[11]);
  return [
    f[0],
    Number(f[1]),
    f[2],
    Number(f[3]),
    exited === null ? null : Number(exited),
    nullable(f[5]),
    nullable(f[6]),
    text(f[7]),
    text(f[8]),
    text(f[9]),
    text(f[10]),
    imported === null ? null : imported === 't',
  ];
}

const COPY_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };

function grow(columns: StayColumns, count: number, size: number): StayColumns {
  const next = allocate(size);
  for (const name of COLUMNS) (next[name as ColumnName] as Int32Array).set((columns[name] as Int32Array).subarray(0, count));
  return next;
}
