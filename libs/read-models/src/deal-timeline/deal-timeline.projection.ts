/**
 * `rm.stage_moves` and `rm.forecast_updates`: every stage change and every forecast of a deal,
 * each with both of its times — `occurred_at` (business time) and `recorded_at` (when the store
 * recorded it, the knownAt axis) — and what the calibration and forecast metrics read beside:
 * the deal's owner, team, amount and currency at that moment, the playbook version a stage
 * change was decided under, and what a manager's override passed unmet.
 *
 * Stage intervals answer "where was the deal at t"; these answer "what could anyone have known
 * at t", which a backtest needs: a stage change recorded late was not known on the day it says.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealEvent, dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { DealStatusStage, isStage, stageIndex, stagesBetween } from '@funnel/domain/playbook/stage';
import { DealFeedEvent, distinctDealIds } from '../projection/deal-events';
import { BulkSql, Projection, ProjectionBuilder, Sql } from '../projection/projection';

export type StageMoveKind = 'opened' | 'advanced' | 'regressed' | 'lost' | 'reopened';

interface TimelineState {
  deal_id: string;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: string;
  currency: string;
}

interface StageMoveRow {
  deal_id: string;
  revision: string;
  kind: StageMoveKind;
  occurred_at: string;
  recorded_at: string;
  from_stage: string | null;
  to_stage: string;
  skipped: string;
  playbook_version: string | null;
  unmet: string | null;
  imported: boolean;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: string;
  currency: string;
}

interface ForecastRow {
  deal_id: string;
  revision: string;
  occurred_at: string;
  recorded_at: string;
  probability: number;
  expected_close_date: string;
  forecast_amount: string | null;
  owner: string;
  team: string;
  region: string;
  industry: string;
  amount: string;
  currency: string;
}

const TABLES = [
  `CREATE TABLE stage_moves (
     deal_id          uuid          NOT NULL,
     -- the event's revision in its deal's stream: orders moves that share an occurred_at
     revision         bigint        NOT NULL,
     kind             text          NOT NULL,
     occurred_at      timestamptz   NOT NULL,
     recorded_at      timestamptz   NOT NULL,
     from_stage       text,
     -- LOST for a loss
     to_stage         text          NOT NULL,
     -- stages a forward jump passed over
     skipped          jsonb         NOT NULL,
     playbook_version text,
     -- codes of the criteria a manager's override passed unmet; null without an override
     unmet            jsonb,
     -- recorded from another system's history (DealImported, StageChangeImported): no gate judged it
     imported         boolean       NOT NULL,
     -- owner, team, the account's region and industry, amount and currency of the deal at the move
     owner            text          NOT NULL,
     team             text          NOT NULL,
     region           text          NOT NULL,
     industry         text          NOT NULL,
     amount           numeric(18,2) NOT NULL,
     currency         text          NOT NULL,
     PRIMARY KEY (deal_id, revision)
   )`,
  `CREATE TABLE forecast_updates (
     deal_id             uuid          NOT NULL,
     revision            bigint        NOT NULL,
     occurred_at         timestamptz   NOT NULL,
     recorded_at         timestamptz   NOT NULL,
     probability         int           NOT NULL,
     expected_close_date date          NOT NULL,
     -- the amount the rep forecast, when they gave one
     forecast_amount     numeric(18,2),
     -- the deal's owner and team when the forecast was made: the rep who made it
     owner               text          NOT NULL,
     team                text          NOT NULL,
     region              text          NOT NULL,
     industry            text          NOT NULL,
     amount              numeric(18,2) NOT NULL,
     currency            text          NOT NULL,
     PRIMARY KEY (deal_id, revision)
   )`,
  // Internal: what the next row of each deal copies. Not published as a view.
  `CREATE TABLE deal_timeline_state (
     deal_id  uuid          PRIMARY KEY,
     owner    text          NOT NULL,
     team     text          NOT NULL,
     region   text          NOT NULL,
     industry text          NOT NULL,
     amount   numeric(18,2) NOT NULL,
     currency text          NOT NULL
   )`,
];

const INDEXES = [
  `CREATE INDEX stage_moves_recorded ON stage_moves (recorded_at)`,
  `CREATE INDEX forecast_updates_close ON forecast_updates (expected_close_date)`,
];

const LOAD_STATES = `SELECT deal_id, owner, team, region, industry, amount::text AS amount, currency FROM deal_timeline_state WHERE deal_id = ANY($1::uuid[])`;

// ON CONFLICT: a row is keyed by its event, so projecting an event twice cannot add it twice.
const INSERT_MOVES = `
  INSERT INTO stage_moves (deal_id, revision, kind, occurred_at, recorded_at, from_stage, to_stage, skipped,
                           playbook_version, unmet, owner, team, region, industry, amount, currency, imported)
  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                       $7::text[], $8::jsonb[], $9::text[], $10::jsonb[], $11::text[], $12::text[], $13::text[],
                       $14::text[], $15::numeric[], $16::text[], $17::boolean[])
  ON CONFLICT DO NOTHING`;

const INSERT_FORECASTS = `
  INSERT INTO forecast_updates (deal_id, revision, occurred_at, recorded_at, probability, expected_close_date,
                                forecast_amount, owner, team, region, industry, amount, currency)
  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::date[],
                       $7::numeric[], $8::text[], $9::text[], $10::text[], $11::text[], $12::numeric[], $13::text[])
  ON CONFLICT DO NOTHING`;

const UPSERT_STATES = `
  INSERT INTO deal_timeline_state (deal_id, owner, team, region, industry, amount, currency)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[])
  ON CONFLICT (deal_id) DO UPDATE SET owner = excluded.owner, team = excluded.team, amount = excluded.amount`;

const TIMELINE_EVENTS = new Set([
  'DealOpened',
  'DealImported',
  'StageAdvanced',
  'StageRegressed',
  'DealLost',
  'DealReopened',
  'StageChangeImported',
  'OwnerReassigned',
  'ForecastUpdated',
]);

export const dealTimelineProjection: Projection = {
  name: 'deal_timeline',
  // 2: imported history (DealImported, StageChangeImported) and the imported column.
  version: 2,
  views: ['stage_moves', 'forecast_updates'],
  tables: TABLES,
  indexes: INDEXES,
  // Rows of one deal, from that deal's events only.
  partitionable: true,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const dealEvents = timelineEventsIn(events);
    if (dealEvents.length === 0) return;
    const result = await sql.query<TimelineState>(LOAD_STATES, [distinctDealIds(dealEvents)]);
    const fold = new TimelineFold(new Map(result.rows.map((r) => [r.deal_id, r])));
    for (const e of dealEvents) fold.apply(e);
    const { moves, forecasts, states } = fold.take();
    await insertMoves(sql, moves);
    await insertForecasts(sql, forecasts);
    await upsertStates(sql, states);
  },
  builder(): ProjectionBuilder {
    // Every deal seen so far stays in memory: nothing is read back.
    const fold = new TimelineFold(new Map());
    return {
      add: (events) => {
        for (const e of timelineEventsIn(events)) fold.apply(e);
      },
      get pending() {
        return fold.pending;
      },
      flush: async (sql: BulkSql, final: boolean) => {
        // A deal's state may change with any later event: the final flush writes them, once each.
        const { moves, forecasts, states } = fold.take({ states: final });
        await sql.copyRows('stage_moves', MOVE_COLUMNS, moves.map((m) => MOVE_COLUMNS.map((c) => m[c])));
        await sql.copyRows('forecast_updates', FORECAST_COLUMNS, forecasts.map((f) => FORECAST_COLUMNS.map((c) => f[c])));
        await sql.copyRows('deal_timeline_state', STATE_COLUMNS, states.map((s) => STATE_COLUMNS.map((c) => s[c])));
      },
    };
  },
};

/**
 * The rows of a batch (apply) or of everything added since a builder's last flush, and the
 * states later events fold onto: the deals' current owner, team and amount.
 */
class TimelineFold {
  private moves: StageMoveRow[] = [];
  private forecasts: ForecastRow[] = [];
  private changed = new Set<string>();

  constructor(private readonly states: Map<string, TimelineState>) {}

  /** Rows an interim flush writes (the states wait for the final one). */
  get pending(): number {
    return this.moves.length + this.forecasts.length;
  }

  apply(e: TimelineEvent): void {
    if (e.event.type === 'DealOpened' || e.imported === 'DealImported') {
      if (this.states.has(e.dealId)) return;
      const d = e.event.data as DealOpeningData;
      const imported = e.imported === 'DealImported';
      const state = { deal_id: e.dealId, owner: d.owner, team: d.team, region: d.account.region, industry: d.account.industry, amount: String(d.amount), currency: d.currency };
      this.states.set(e.dealId, state);
      this.changed.add(e.dealId);
      // An imported deal's past was not decided under any playbook of ours.
      this.move(e, state, { kind: 'opened', from_stage: null, to_stage: d.stage, skipped: '[]', playbook_version: imported ? null : d.playbookVersion, unmet: null, imported });
      return;
    }
    const state = this.states.get(e.dealId);
    if (!state) return;
    if (e.imported === 'StageChangeImported') {
      const change = e.event.data as unknown as ImportedStageChange;
      // The source's amount holds from this change on; a change of amount alone moves nothing.
      if (change.amount !== undefined) {
        state.amount = String(change.amount);
        this.changed.add(e.dealId);
      }
      const move = importedMove(change.from, change.to);
      if (move) this.move(e, state, { kind: move.kind, from_stage: change.from, to_stage: change.to, skipped: move.skipped, playbook_version: null, unmet: null, imported: true });
      return;
    }
    const event = e.event;
    switch (event.type) {
      case 'StageAdvanced': {
        const unmet = event.data.override ? JSON.stringify(event.data.override.unmetAtOverride.map((u) => u.code)) : null;
        this.move(e, state, { kind: 'advanced', from_stage: event.data.from, to_stage: event.data.to, skipped: JSON.stringify(event.data.skipped), playbook_version: event.data.playbookVersion, unmet, imported: false });
        break;
      }
      case 'StageRegressed':
        this.move(e, state, { kind: 'regressed', from_stage: event.data.from, to_stage: event.data.to, skipped: '[]', playbook_version: null, unmet: null, imported: false });
        break;
      case 'DealLost':
        this.move(e, state, { kind: 'lost', from_stage: event.data.from, to_stage: 'LOST', skipped: '[]', playbook_version: null, unmet: null, imported: false });
        break;
      case 'DealReopened':
        this.move(e, state, { kind: 'reopened', from_stage: 'LOST', to_stage: event.data.to, skipped: '[]', playbook_version: null, unmet: null, imported: false });
        break;
      case 'OwnerReassigned':
        state.owner = event.data.to;
        state.team = event.data.team ?? state.team;
        this.changed.add(e.dealId);
        break;
      case 'ForecastUpdated':
        this.forecasts.push({
          deal_id: e.dealId,
          revision: e.revision,
          occurred_at: event.data.occurredAt,
          recorded_at: e.recordedAt,
          probability: event.data.probability,
          expected_close_date: event.data.expectedCloseDate,
          forecast_amount: event.data.amount === undefined ? null : String(event.data.amount),
          owner: state.owner,
          team: state.team,
          region: state.region,
          industry: state.industry,
          amount: state.amount,
          currency: state.currency,
        });
        break;
      default:
        break; // filtered out above
    }
  }

  /**
   * A move of the deal as it stands: the row written out property by property, not spread
   * together from parts — spreading made the fold ~25 µs an event, most of a rebuild's time.
   */
  private move(e: TimelineEvent, state: TimelineState, m: Pick<StageMoveRow, 'kind' | 'from_stage' | 'to_stage' | 'skipped' | 'playbook_version' | 'unmet' | 'imported'>): void {
    this.moves.push({
      deal_id: e.dealId,
      revision: e.revision,
      kind: m.kind,
      occurred_at: e.event.data.occurredAt,
      recorded_at: e.recordedAt,
      from_stage: m.from_stage,
      to_stage: m.to_stage,
      skipped: m.skipped,
      playbook_version: m.playbook_version,
      unmet: m.unmet,
      imported: m.imported,
      owner: state.owner,
      team: state.team,
      region: state.region,
      industry: state.industry,
      amount: state.amount,
      currency: state.currency,
    });
  }

  /** The rows to write and the changed states; forgets them, keeps the states. */
  /** The rows to write, forgotten here; the changed states too unless told to keep them for later. */
  take(what: { states: boolean } = { states: true }): { moves: StageMoveRow[]; forecasts: ForecastRow[]; states: TimelineState[] } {
    const taken = { moves: this.moves, forecasts: this.forecasts, states: what.states ? [...this.changed].map((id) => this.states.get(id)!) : [] };
    this.moves = [];
    this.forecasts = [];
    if (what.states) this.changed = new Set();
    return taken;
  }
}

/** The batch's timeline events, in feed order, with their stream revision and recorded time. */
function timelineEventsIn(events: readonly RecordedEvent[]): TimelineEvent[] {
  const found: TimelineEvent[] = [];
  for (const recorded of events) {
    const dealId = dealIdFromStream(recorded.streamId);
    if (!dealId || !TIMELINE_EVENTS.has(recorded.type)) continue;
    const event = { type: recorded.type, data: recorded.data } as DealEvent;
    const imported = IMPORTED_TYPES.find((t) => t === recorded.type);
    found.push({ dealId: dealId.toLowerCase(), event, imported, revision: recorded.revision.toString(), recordedAt: recorded.recordedAt.toISOString() });
  }
  return found;
}

/**
 * Imported history (#8's DealImported, StageChangeImported): read by their stored type and
 * shape, so that this read model takes them whichever way the domain's union names them.
 */
const IMPORTED_TYPES = ['DealImported', 'StageChangeImported'] as const;

interface TimelineEvent extends DealFeedEvent {
  imported: (typeof IMPORTED_TYPES)[number] | undefined;
  revision: string;
  recordedAt: string;
}

/** What an opening says, native (DealOpened) or imported (DealImported, which may start past TARGET). */
interface DealOpeningData {
  owner: string;
  team: string;
  account: { region: string; industry: string };
  amount: number;
  currency: string;
  stage: DealStatusStage;
  playbookVersion: string;
}

interface ImportedStageChange {
  from: DealStatusStage;
  to: DealStatusStage;
  amount?: number;
}

/** An imported stage change in the words of native moves; undefined when the stage stays (only the amount changed). */
function importedMove(from: DealStatusStage, to: DealStatusStage): Pick<StageMoveRow, 'kind' | 'skipped'> | undefined {
  if (from === to) return undefined;
  if (to === 'LOST') return { kind: 'lost', skipped: '[]' };
  if (from === 'LOST' || !isStage(from) || !isStage(to)) return { kind: 'reopened', skipped: '[]' };
  if (stageIndex(to) < stageIndex(from)) return { kind: 'regressed', skipped: '[]' };
  return { kind: 'advanced', skipped: JSON.stringify(stagesBetween(from, to)) };
}

async function insertMoves(sql: Sql, moves: StageMoveRow[]): Promise<void> {
  if (moves.length === 0) return;
  const c = <K extends keyof StageMoveRow>(k: K) => moves.map((m) => m[k]);
  await sql.query(INSERT_MOVES, [
    c('deal_id'), c('revision'), c('kind'), c('occurred_at'), c('recorded_at'), c('from_stage'), c('to_stage'),
    c('skipped'), c('playbook_version'), c('unmet'), c('owner'), c('team'), c('region'), c('industry'), c('amount'), c('currency'), c('imported'),
  ]);
}

async function insertForecasts(sql: Sql, forecasts: ForecastRow[]): Promise<void> {
  if (forecasts.length === 0) return;
  const c = <K extends keyof ForecastRow>(k: K) => forecasts.map((f) => f[k]);
  await sql.query(INSERT_FORECASTS, [
    c('deal_id'), c('revision'), c('occurred_at'), c('recorded_at'), c('probability'), c('expected_close_date'),
    c('forecast_amount'), c('owner'), c('team'), c('region'), c('industry'), c('amount'), c('currency'),
  ]);
}

async function upsertStates(sql: Sql, states: TimelineState[]): Promise<void> {
  if (states.length === 0) return;
  await sql.query(UPSERT_STATES, [
    states.map((s) => s.deal_id), states.map((s) => s.owner), states.map((s) => s.team), states.map((s) => s.region),
    states.map((s) => s.industry), states.map((s) => s.amount), states.map((s) => s.currency),
  ]);
}

/** The columns COPY writes, named as the row objects' keys. */
const MOVE_COLUMNS = [
  'deal_id', 'revision', 'kind', 'occurred_at', 'recorded_at', 'from_stage', 'to_stage', 'skipped', 'playbook_version',
  'unmet', 'imported', 'owner', 'team', 'region', 'industry', 'amount', 'currency',
] as const satisfies readonly (keyof StageMoveRow)[];
const FORECAST_COLUMNS = [
  'deal_id', 'revision', 'occurred_at', 'recorded_at', 'probability', 'expected_close_date', 'forecast_amount',
  'owner', 'team', 'region', 'industry', 'amount', 'currency',
] as const satisfies readonly (keyof ForecastRow)[];
const STATE_COLUMNS = ['deal_id', 'owner', 'team', 'region', 'industry', 'amount', 'currency'] as const satisfies readonly (keyof TimelineState)[];
