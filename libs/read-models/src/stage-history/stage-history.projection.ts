/**
 * `rm.stage_intervals` and `rm.stage_overrides`: every stay of a deal in a stage as an interval
 * [entered_at, exited_at) with how it began and ended, and every manager override. Intervals
 * answer the funnel as of any instant, dwell times and conversion cohorts.
 *
 * Each interval also keeps when its entry and its exit were recorded (recorded time), so the
 * funnel can be asked as the system knew it at an instant (`knownAt`), not only as of business time.
 *
 * Per deal the projection keeps (internally, in `deal_stage_state`) the facts a new interval
 * copies at entry — owner, team, region, industry, amount — and the seq of the open interval.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { StageOverride } from '@funnel/domain/deal/deal.events';
import { importedMove } from '@funnel/domain/deal/imported-move';
import { DealFeedEvent, dealEventsIn, distinctDealIds } from '../projection/deal-events';
import { BulkSql, CopyValue, Projection, ProjectionBuilder, Sql } from '../projection/projection';

export type EntryKind = 'opened' | 'advanced' | 'skipped' | 'regressed' | 'reopened' | 'lost';
export type ExitKind = 'advanced' | 'skipped' | 'regressed' | 'won' | 'lost' | 'reopened';

export interface StageIntervalRow {
  deal_id: string;
  seq: number;
  stage: string;
  entered_at: string;
  exited_at: string | null;
  entered_recorded_at: string;
  exited_recorded_at: string | null;
  /** Stages passed over on entry: forward by an advance that skipped, backward by a regression. */
  entry_skipped: string[];
  entry_kind: EntryKind;
  exit_kind: ExitKind | null;
  next_stage: string | null;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: string;
  overridden: boolean;
  /** The stay began (entry) / ended (exit) by a move recorded from another system. */
  entry_imported: boolean;
  exit_imported: boolean | null;
}

interface DealStageState {
  deal_id: string;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: string;
  /** Stage of the latest interval (one of the seven, or LOST). */
  stage: string;
  last_seq: number;
}

interface OverrideRow {
  deal_id: string;
  occurred_at: string;
  from_stage: string;
  to_stage: string;
  skipped: string[];
  reason: string;
  by_actor: string;
  unmet: string;
  owner: string;
  team: string;
}

interface Closure {
  deal_id: string;
  seq: number;
  exited_at: string;
  exited_recorded_at: string;
  exit_kind: ExitKind;
  next_stage: string;
  exit_imported: boolean;
}

const TABLES = [
  `CREATE TABLE stage_intervals (
     deal_id    uuid          NOT NULL,
     seq        int           NOT NULL,
     stage      text          NOT NULL,
     entered_at timestamptz   NOT NULL,
     -- null while the deal is still in the stage, and for WON
     exited_at  timestamptz,
     -- recorded time of the entry and of the exit (null while open): the knownAt axis
     entered_recorded_at timestamptz NOT NULL,
     exited_recorded_at  timestamptz,
     -- the stages passed over on entry (an advance that skipped, or a regression of several stages)
     entry_skipped text[] NOT NULL,
     entry_kind text          NOT NULL,
     exit_kind  text,
     next_stage text,
     -- owner, team, region, industry and amount as at entry
     owner      text          NOT NULL,
     team       text          NOT NULL,
     region     text          NOT NULL,
     industry   text          NOT NULL,
     amount     numeric(18,2) NOT NULL,
     overridden boolean       NOT NULL,
     -- entered / left by a move imported from another system (not decided here, not an anomaly)
     entry_imported boolean   NOT NULL,
     exit_imported  boolean,
     PRIMARY KEY (deal_id, seq)
   )`,
  `CREATE TABLE stage_overrides (
     deal_id     uuid        NOT NULL,
     occurred_at timestamptz NOT NULL,
     from_stage  text        NOT NULL,
     to_stage    text        NOT NULL,
     skipped     text[]      NOT NULL,
     reason      text        NOT NULL,
     by_actor    text        NOT NULL,
     unmet       jsonb       NOT NULL,
     owner       text        NOT NULL,
     team        text        NOT NULL
   )`,
  // Internal: what the next interval of each deal copies at entry. Not published as a view.
  `CREATE TABLE deal_stage_state (
     deal_id  uuid          PRIMARY KEY,
     owner    text          NOT NULL,
     team     text          NOT NULL,
     region   text          NOT NULL,
     industry text          NOT NULL,
     amount   numeric(18,2) NOT NULL,
     stage    text          NOT NULL,
     last_seq int           NOT NULL
   )`,
];

const INDEXES = [
  // "In stage s at t" is range containment; the funnel as of t uses this expression as written.
  `CREATE INDEX stage_intervals_during ON stage_intervals USING gist (tstzrange(entered_at, exited_at, '[)'))`,
  `CREATE INDEX stage_intervals_stage_entered ON stage_intervals (stage, entered_at)`,
  // The latest exit (is asOf past every exit?) and regressions in a period, without a scan.
  `CREATE INDEX stage_intervals_exited ON stage_intervals (exited_at)`,
  `CREATE INDEX stage_overrides_deal ON stage_overrides (deal_id, occurred_at)`,
];

const LOAD_STATES = `
  SELECT deal_id, owner, team, region, industry, amount::text AS amount, stage, last_seq
    FROM deal_stage_state WHERE deal_id = ANY($1::uuid[])`;

const CLOSE_INTERVALS = `
  UPDATE stage_intervals i
     SET exited_at = c.exited_at, exit_kind = c.exit_kind, next_stage = c.next_stage,
         exited_recorded_at = c.exited_recorded_at, exit_imported = c.exit_imported
    FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[])
      AS c(deal_id, seq, exited_at, exit_kind, next_stage, exited_recorded_at, exit_imported)
   WHERE i.deal_id = c.deal_id AND i.seq = c.seq`;

const INSERT_INTERVALS = `
  INSERT INTO stage_intervals (deal_id, seq, stage, entered_at, exited_at, entry_kind, exit_kind,
                               next_stage, owner, team, region, industry, amount, overridden,
                               entered_recorded_at, exited_recorded_at, entry_skipped, entry_imported, exit_imported)
  SELECT i.deal_id, i.seq, i.stage, i.entered_at, i.exited_at, i.entry_kind, i.exit_kind, i.next_stage, i.owner,
         i.team, i.region, i.industry, i.amount, i.overridden, i.entered_recorded_at, i.exited_recorded_at,
         ARRAY(SELECT jsonb_array_elements_text(i.entry_skipped)), i.entry_imported, i.exit_imported
    FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[],
                $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                $12::text[], $13::numeric[], $14::boolean[], $15::timestamptz[], $16::timestamptz[], $17::jsonb[],
                $18::boolean[], $19::boolean[])
      AS i(deal_id, seq, stage, entered_at, exited_at, entry_kind, exit_kind, next_stage, owner, team, region,
           industry, amount, overridden, entered_recorded_at, exited_recorded_at, entry_skipped, entry_imported, exit_imported)`;

// skipped travels as a JSON array per row: unnest would flatten a text[][] into one list.
const INSERT_OVERRIDES = `
  INSERT INTO stage_overrides (deal_id, occurred_at, from_stage, to_stage, skipped, reason, by_actor, unmet, owner, team)
  SELECT o.deal_id, o.occurred_at, o.from_stage, o.to_stage,
         ARRAY(SELECT jsonb_array_elements_text(o.skipped)), o.reason, o.by_actor, o.unmet, o.owner, o.team
    FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::text[],
                $7::text[], $8::jsonb[], $9::text[], $10::text[])
      AS o(deal_id, occurred_at, from_stage, to_stage, skipped, reason, by_actor, unmet, owner, team)`;

const UPSERT_STATES = `
  INSERT INTO deal_stage_state (deal_id, owner, team, region, industry, amount, stage, last_seq)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::int[])
  ON CONFLICT (deal_id) DO UPDATE SET
    owner = excluded.owner, team = excluded.team, region = excluded.region, industry = excluded.industry,
    amount = excluded.amount, stage = excluded.stage, last_seq = excluded.last_seq`;

/** The events this projection reads; every other event only moves its checkpoint. */
const STAGE_HISTORY_EVENTS = new Set([
  'DealOpened',
  'StageAdvanced',
  'StageRegressed',
  'DealLost',
  'DealReopened',
  'OwnerReassigned',
  'DealImported',
  'StageChangeImported',
]);

export const stageHistoryProjection: Projection = {
  name: 'stage_history',
  // 2: intervals keep the recorded time of entry and exit (the knownAt axis) and the stages
  //    passed over on entry
  // 3: imported history (DealImported, StageChangeImported), entry_imported / exit_imported.
  version: 3,
  views: ['stage_intervals', 'stage_overrides'],
  tables: TABLES,
  indexes: INDEXES,
  // Rows of one deal, from that deal's events only.
  partitionable: true,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const dealEvents = stageHistoryEventsIn(events);
    if (dealEvents.length === 0) return;
    const batch = new StageHistoryBatch(await loadStates(sql, distinctDealIds(dealEvents)));
    for (const e of dealEvents) batch.apply(e);
    await batch.write(sql);
  },
  builder(): ProjectionBuilder {
    // Every deal seen so far stays in memory: nothing is read back, and an interval opened since
    // the last flush is closed in memory like one opened in the same batch of apply.
    const batch = new StageHistoryBatch(new Map());
    return {
      add: (events) => {
        for (const e of stageHistoryEventsIn(events)) batch.apply(e);
      },
      get pending() {
        return batch.pending;
      },
      flush: (sql: BulkSql, final: boolean) => batch.flush(sql, final),
    };
  },
};

function stageHistoryEventsIn(events: readonly RecordedEvent[]): DealFeedEvent[] {
  return dealEventsIn(events, STAGE_HISTORY_EVENTS);
}

/**
 * The changes of a batch (apply) or of everything added since a builder's last flush, gathered
 * in memory and written with one statement per table; the states are what later events fold onto.
 */
class StageHistoryBatch {
  private opened = new Map<string, StageIntervalRow>();
  private closures = new Map<string, Closure>();
  private overrides: OverrideRow[] = [];
  private changed = new Set<string>();
  /** Intervals opened and closed since the last flush (a builder's interim flush writes only closed ones). */
  private closedInMemory = 0;
  /** Recorded time of the event being applied. */
  private recordedAt = '';

  constructor(private readonly states: Map<string, DealStageState>) {}

  apply({ dealId, event, recordedAt }: DealFeedEvent): void {
    const at = event.data.occurredAt;
    this.recordedAt = recordedAt;
    if (event.type === 'DealOpened' || event.type === 'DealImported') {
      if (this.states.has(dealId)) return;
      const d = event.data;
      const state: DealStageState = {
        deal_id: dealId,
        owner: d.owner,
        team: d.team,
        region: d.account.region,
        industry: d.account.industry,
        amount: String(d.amount),
        stage: d.stage,
        last_seq: 0,
      };
      this.states.set(dealId, state);
      this.enter(state, d.stage, at, 'opened', false, [], event.type === 'DealImported');
      return;
    }
    const state = this.states.get(dealId);
    if (!state) return;
    switch (event.type) {
      case 'StageAdvanced': {
        const { to, skipped, override } = event.data;
        const skipping = skipped.length > 0;
        this.exitCurrent(state, at, to === 'WON' ? 'won' : skipping ? 'skipped' : 'advanced', to);
        this.enter(state, to, at, skipping ? 'skipped' : 'advanced', !!override, skipped);
        if (override) this.recordOverride(state, at, event.data.from, to, skipped, override);
        return;
      }
      case 'StageRegressed':
        this.exitCurrent(state, at, 'regressed', event.data.to);
        // schema version 2 names the stages passed over (upcast for version-1 events)
        this.enter(state, event.data.to, at, 'regressed', false, event.data.skipped);
        return;
      case 'DealLost':
        this.exitCurrent(state, at, 'lost', 'LOST');
        this.enter(state, 'LOST', at, 'lost', false);
        return;
      case 'DealReopened':
        this.exitCurrent(state, at, 'reopened', event.data.to);
        this.enter(state, event.data.to, at, 'reopened', false);
        return;
      case 'StageChangeImported': {
        const { from, to, amount } = event.data;
        // A restated amount is what the next stays copy, like the owner.
        if (amount !== undefined) {
          state.amount = String(amount);
          this.changed.add(dealId);
        }
        const move = importedMove(from, to);
        if (!move) return;
        const entry: EntryKind = move.kind === 'won' ? (move.skipped.length > 0 ? 'skipped' : 'advanced') : move.kind;
        this.exitCurrent(state, at, move.kind, to, true);
        this.enter(state, to, at, entry, false, move.skipped, true);
        return;
      }
      case 'OwnerReassigned':
        // Open intervals keep the owner at entry; the next one takes the new owner.
        state.owner = event.data.to;
        state.team = event.data.team ?? state.team;
        this.changed.add(dealId);
        return;
      default:
        return; // filtered out above: other events do not move deals between stages
    }
  }

  /** Rows a builder's interim flush writes: closed intervals and overrides (open intervals and states wait for the final one). */
  get pending(): number {
    return this.closedInMemory + this.overrides.length;
  }

  /** apply's write: every table by one statement of unnest parameters. */
  async write(sql: Sql): Promise<void> {
    await closeIntervals(sql, [...this.closures.values()]);
    const rows = [...this.opened.values()];
    if (rows.length > 0) {
      const column = <K extends keyof StageIntervalRow>(key: K) => rows.map((r) => r[key]);
      await sql.query(INSERT_INTERVALS, [
        column('deal_id'),
        column('seq'),
        column('stage'),
        column('entered_at'),
        column('exited_at'),
        column('entry_kind'),
        column('exit_kind'),
        column('next_stage'),
        column('owner'),
        column('team'),
        column('region'),
        column('industry'),
        column('amount'),
        column('overridden'),
        column('entered_recorded_at'),
        column('exited_recorded_at'),
        // a JSON array per row: unnest would flatten a text[][] into one list
        rows.map((r) => JSON.stringify(r.entry_skipped)),
        column('entry_imported'),
        column('exit_imported'),
      ]);
    }
    if (this.overrides.length > 0) {
      const o = this.overrides;
      await sql.query(INSERT_OVERRIDES, [
        o.map((r) => r.deal_id),
        o.map((r) => r.occurred_at),
        o.map((r) => r.from_stage),
        o.map((r) => r.to_stage),
        o.map((r) => JSON.stringify(r.skipped)),
        o.map((r) => r.reason),
        o.map((r) => r.by_actor),
        o.map((r) => r.unmet),
        o.map((r) => r.owner),
        o.map((r) => r.team),
      ]);
    }
    await upsertStates(sql, [...this.changed].map((id) => this.states.get(id)!));
  }

  /**
   * A builder's flush, by COPY: the intervals closed and the overrides made since the last flush;
   * the final one also the intervals still open and every deal's state. What a later event may
   * still change is kept back for the final flush, so each row is written once, as it ends up
   * (no interval written open is ever closed later: `closures` stays empty in a builder).
   */
  async flush(sql: BulkSql, final: boolean): Promise<void> {
    // A deal's latest interval is always open, so it is never in an interim flush: nothing to close.
    if (this.closures.size > 0) throw new Error('stage_history builder: an interval already written was closed later');
    const overrides = this.overrides;
    this.overrides = [];
    this.closedInMemory = 0;
    const intervals: CopyValue[][] = [];
    for (const [k, r] of this.opened) {
      if (!final && r.exited_at === null) continue;
      intervals.push(INTERVAL_COLUMNS.map((c) => r[c]));
      this.opened.delete(k);
    }
    const states = final ? [...this.changed].map((id) => this.states.get(id)!) : [];
    if (final) this.changed = new Set();
    await sql.copyRows('stage_intervals', INTERVAL_COLUMNS, intervals);
    await sql.copyRows('stage_overrides', OVERRIDE_COLUMNS, overrides.map((r) => OVERRIDE_COLUMNS.map((c) => r[c])));
    await sql.copyRows('deal_stage_state', STATE_COLUMNS, states.map((s) => STATE_COLUMNS.map((c) => s[c])));
  }

  private enter(
    state: DealStageState,
    stage: string,
    at: string,
    entryKind: EntryKind,
    overridden: boolean,
    skipped: string[] = [],
    imported = false,
  ): void {
    state.last_seq += 1;
    state.stage = stage;
    this.changed.add(state.deal_id);
    this.opened.set(key(state.deal_id, state.last_seq), {
      deal_id: state.deal_id,
      seq: state.last_seq,
      stage,
      entered_at: at,
      exited_at: null,
      entered_recorded_at: this.recordedAt,
      exited_recorded_at: null,
      entry_skipped: skipped,
      entry_kind: entryKind,
      exit_kind: null,
      next_stage: null,
      owner: state.owner,
      team: state.team,
      region: state.region,
      industry: state.industry,
      amount: state.amount,
      overridden,
      entry_imported: imported,
      exit_imported: null,
    });
  }

  /** Closes the deal's latest interval: in memory when this batch (a builder: since its last flush) opened it, else by an UPDATE. */
  private exitCurrent(state: DealStageState, at: string, exitKind: ExitKind, nextStage: string, imported = false): void {
    if (state.last_seq === 0) return;
    const k = key(state.deal_id, state.last_seq);
    const fresh = this.opened.get(k);
    if (!fresh) {
      this.closures.set(k, { deal_id: state.deal_id, seq: state.last_seq, exited_at: at, exited_recorded_at: this.recordedAt, exit_kind: exitKind, next_stage: nextStage, exit_imported: imported });
      return;
    }
    if (fresh.exited_at === null) this.closedInMemory += 1;
    fresh.exited_at = at;
    fresh.exited_recorded_at = this.recordedAt;
    fresh.exit_kind = exitKind;
    fresh.next_stage = nextStage;
    fresh.exit_imported = imported;
  }

  private recordOverride(state: DealStageState, at: string, from: string, to: string, skipped: string[], override: StageOverride): void {
    this.overrides.push({
      deal_id: state.deal_id,
      occurred_at: at,
      from_stage: from,
      to_stage: to,
      skipped,
      reason: override.reason,
      by_actor: override.by,
      unmet: JSON.stringify(override.unmetAtOverride),
      owner: state.owner,
      team: state.team,
    });
  }
}

/** The columns COPY writes, named as the row objects' keys. */
const INTERVAL_COLUMNS = [
  'deal_id', 'seq', 'stage', 'entered_at', 'exited_at', 'entered_recorded_at', 'exited_recorded_at', 'entry_skipped', 'entry_kind',
  'exit_kind', 'next_stage', 'owner', 'team', 'region', 'industry', 'amount', 'overridden', 'entry_imported', 'exit_imported',
] as const satisfies readonly (keyof StageIntervalRow)[];
const OVERRIDE_COLUMNS = [
  'deal_id', 'occurred_at', 'from_stage', 'to_stage', 'skipped', 'reason', 'by_actor', 'unmet', 'owner', 'team',
] as const satisfies readonly (keyof OverrideRow)[];
const STATE_COLUMNS = ['deal_id', 'owner', 'team', 'region', 'industry', 'amount', 'stage', 'last_seq'] as const satisfies readonly (keyof DealStageState)[];

async function closeIntervals(sql: Sql, closures: Closure[]): Promise<void> {
  if (closures.length === 0) return;
  await sql.query(CLOSE_INTERVALS, [
    closures.map((c) => c.deal_id),
    closures.map((c) => c.seq),
    closures.map((c) => c.exited_at),
    closures.map((c) => c.exit_kind),
    closures.map((c) => c.next_stage),
    closures.map((c) => c.exited_recorded_at),
    closures.map((c) => c.exit_imported),
  ]);
}

async function upsertStates(sql: Sql, states: DealStageState[]): Promise<void> {
  if (states.length === 0) return;
  await sql.query(UPSERT_STATES, [
    states.map((s) => s.deal_id),
    states.map((s) => s.owner),
    states.map((s) => s.team),
    states.map((s) => s.region),
    states.map((s) => s.industry),
    states.map((s) => s.amount),
    states.map((s) => s.stage),
    states.map((s) => s.last_seq),
  ]);
}

async function loadStates(sql: Sql, dealIds: string[]): Promise<Map<string, DealStageState>> {
  const result = await sql.query<DealStageState>(LOAD_STATES, [dealIds]);
  return new Map(result.rows.map((r) => [r.deal_id, r]));
}

function key(dealId: string, seq: number): string {
  return `${dealId}#${seq}`;
}
