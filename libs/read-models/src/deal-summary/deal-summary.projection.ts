/**
 * `rm.deal_summary`: one row per deal as it stands now — stage, status, owner, forecast and the
 * counts managers ask about. Per batch: load what can change of the touched deals, fold the
 * batch's events over it in memory, then one multi-row INSERT for the deals opened in the batch
 * and one multi-row UPDATE for the others.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealEvent, DealImported, DealOpened } from '@funnel/domain/deal/deal.events';
import { importedMove } from '@funnel/domain/deal/imported-move';
import { DealFeedEvent, dealEventsIn, distinctDealIds, laterOf } from '../projection/deal-events';
import { BulkSql, CopyValue, Projection, ProjectionBuilder, Sql } from '../projection/projection';

/** What an event can change in a deal's row; instants as ISO strings, dates as YYYY-MM-DD. */
export interface DealSummaryState {
  deal_id: string;
  owner: string;
  team: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
  /** Fixed at opening, except where an imported change states a new amount. */
  amount: string;
  probability: number | null;
  expected_close_date: string | null;
  entered_stage_at: string;
  last_activity_at: string;
  closed_at: string | null;
  lost_reason: string | null;
  lost_competitor: string | null;
  override_count: number;
  regression_count: number;
}

/** What is fixed when the deal is opened. */
interface DealSummaryOpening {
  account_name: string;
  industry: string;
  region: string;
  account_size: string | null;
  currency: string;
  opened_at: string;
}

const TABLES = [
  `CREATE TABLE deal_summary (
     deal_id             uuid          PRIMARY KEY,
     account_name        text          NOT NULL,
     industry            text          NOT NULL,
     region              text          NOT NULL,
     account_size        text,
     owner               text          NOT NULL,
     team                text          NOT NULL,
     -- current stage; for a lost deal the stage it was lost from
     stage               text          NOT NULL,
     status              text          NOT NULL CHECK (status IN ('open', 'won', 'lost')),
     amount              numeric(18,2) NOT NULL,
     currency            text          NOT NULL,
     probability         int,
     expected_close_date date,
     -- amount × probability / 100; 0 without a forecast
     weighted_amount     numeric(18,2) NOT NULL,
     opened_at           timestamptz   NOT NULL,
     entered_stage_at    timestamptz   NOT NULL,
     last_activity_at    timestamptz   NOT NULL,
     closed_at           timestamptz,
     lost_reason         text,
     lost_competitor     text,
     override_count      int           NOT NULL,
     regression_count    int           NOT NULL
   )`,
];

const INDEXES = [
  `CREATE INDEX deal_summary_status_stage ON deal_summary (status, stage)`,
  `CREATE INDEX deal_summary_owner ON deal_summary (owner)`,
  `CREATE INDEX deal_summary_team ON deal_summary (team)`,
  // Win rates and cycle times select the deals closed in a period.
  `CREATE INDEX deal_summary_closed ON deal_summary (closed_at) WHERE closed_at IS NOT NULL`,
];

// Only what can change, and as text the fold uses as is: instants as ISO strings (parsing them
// into Dates costs more than the query) and a date as YYYY-MM-DD (through a JavaScript Date it
// would shift by the time zone).
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
const LOAD_STATES = `
  SELECT deal_id, owner, team, stage, status, amount::text AS amount, probability, expected_close_date::text AS expected_close_date,
         ${ISO('entered_stage_at')}, ${ISO('last_activity_at')}, ${ISO('closed_at')},
         lost_reason, lost_competitor, override_count, regression_count
    FROM deal_summary WHERE deal_id = ANY($1::uuid[])`;

// weighted_amount is computed here, in numeric, never in floating point; `u` is the deals to
// insert, as unnest arrays (apply) or a staging table filled by COPY (the builder).
const insertOpenedFrom = (source: string) => `
  INSERT INTO deal_summary (
    deal_id, account_name, industry, region, account_size, owner, team, stage, status, amount,
    currency, probability, expected_close_date, weighted_amount, opened_at, entered_stage_at,
    last_activity_at, closed_at, lost_reason, lost_competitor, override_count, regression_count)
  SELECT u.deal_id, u.account_name, u.industry, u.region, u.account_size, u.owner, u.team, u.stage,
         u.status, u.amount, u.currency, u.probability, u.expected_close_date,
         coalesce(round(u.amount * u.probability / 100.0, 2), 0),
         u.opened_at, u.entered_stage_at, u.last_activity_at, u.closed_at, u.lost_reason,
         u.lost_competitor, u.override_count, u.regression_count
    FROM ${source}`;

const INSERT_OPENED = insertOpenedFrom(`
         unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::numeric[], $11::text[], $12::int[], $13::date[],
                $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[],
                $18::text[], $19::text[], $20::int[], $21::int[])
      AS u(deal_id, account_name, industry, region, account_size, owner, team, stage, status, amount,
           currency, probability, expected_close_date, opened_at, entered_stage_at, last_activity_at,
           closed_at, lost_reason, lost_competitor, override_count, regression_count)`);

// The builder's openings go by COPY into a staging table of the unnest arrays' types (amount
// unscaled, as numeric[] is: weighted_amount is computed from the amount as stated), then into
// the table by the same SELECT.
const OPENED_COLUMNS = [
  'deal_id', 'account_name', 'industry', 'region', 'account_size', 'owner', 'team', 'stage', 'status', 'amount',
  'currency', 'probability', 'expected_close_date', 'opened_at', 'entered_stage_at', 'last_activity_at',
  'closed_at', 'lost_reason', 'lost_competitor', 'override_count', 'regression_count',
] as const;
const CREATE_OPENED_STAGING = `
  CREATE TEMP TABLE deal_summary_opened_staging (
    deal_id uuid, account_name text, industry text, region text, account_size text, owner text, team text,
    stage text, status text, amount numeric, currency text, probability int, expected_close_date date,
    opened_at timestamptz, entered_stage_at timestamptz, last_activity_at timestamptz, closed_at timestamptz,
    lost_reason text, lost_competitor text, override_count int, regression_count int
  ) ON COMMIT DROP`;
const INSERT_STAGED = insertOpenedFrom('deal_summary_opened_staging u');

const UPDATE_CHANGED = `
  UPDATE deal_summary d SET
    owner = u.owner, team = u.team, stage = u.stage, status = u.status, amount = u.amount,
    probability = u.probability, expected_close_date = u.expected_close_date,
    weighted_amount = coalesce(round(u.amount * u.probability / 100.0, 2), 0),
    entered_stage_at = u.entered_stage_at, last_activity_at = u.last_activity_at,
    closed_at = u.closed_at, lost_reason = u.lost_reason, lost_competitor = u.lost_competitor,
    override_count = u.override_count, regression_count = u.regression_count
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::date[],
                $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[],
                $13::int[], $14::int[], $15::numeric[])
      AS u(deal_id, owner, team, stage, status, probability, expected_close_date, entered_stage_at,
           last_activity_at, closed_at, lost_reason, lost_competitor, override_count, regression_count, amount)
   WHERE d.deal_id = u.deal_id`;

export const dealSummaryProjection: Projection = {
  name: 'deal_summary',
  // 2: imported history (DealImported, StageChangeImported), which may also restate the amount.
  version: 2,
  views: ['deal_summary'],
  tables: TABLES,
  indexes: INDEXES,
  // Rows of one deal, from that deal's events only.
  partitionable: true,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const dealEvents = dealEventsIn(events);
    if (dealEvents.length === 0) return;
    const states = await loadStates(sql, distinctDealIds(dealEvents));
    const folded: FoldedSummaries = { openings: new Map(), changed: new Set() };
    foldSummaries(states, dealEvents, folded);
    await writeFolded(sql, folded, { copy: false });
  },
  builder(): ProjectionBuilder {
    return new DealSummaryBuilder();
  },
};

/**
 * What a fold has to write: the openings of deals not in the table yet, and every deal it changed
 * (the opened ones included). Keyed by the state objects themselves: an object's identity hashes
 * for free, a deal id (a fresh string per event) is hashed and compared character by character.
 */
interface FoldedSummaries {
  openings: Map<DealSummaryState, DealSummaryOpening>;
  changed: Set<DealSummaryState>;
}

/**
 * Folds deal events, in feed order, onto `states` (every opened deal the events touch, in place):
 * apply's fold over the rows it loaded for one batch, and the builder's over all it holds.
 */
function foldSummaries(states: Map<string, DealSummaryState>, dealEvents: readonly DealFeedEvent[], into: FoldedSummaries): void {
  for (const e of dealEvents) {
    const state = states.get(e.dealId);
    if (state) {
      evolveSummary(state, e.event);
      into.changed.add(state);
    } else if (e.event.type === 'DealOpened' || e.event.type === 'DealImported') {
      const opened = openedSummary(e.dealId, e.event);
      states.set(e.dealId, opened.state);
      into.openings.set(opened.state, opened.opening);
      into.changed.add(opened.state);
    }
    // else a deal never opened: nothing to summarise
  }
}

/** Inserts the opened deals (by COPY through a staging table, or by unnest) and updates the other changed ones. */
async function writeFolded(sql: Sql | BulkSql, folded: FoldedSummaries, how: { copy: boolean }): Promise<void> {
  const opened = [...folded.openings];
  const updated: DealSummaryState[] = [];
  for (const state of folded.changed) if (!folded.openings.has(state)) updated.push(state);
  if (opened.length > 0) await (how.copy ? copyOpened(sql as BulkSql, opened) : insertOpened(sql, opened));
  if (updated.length > 0) await updateChanged(sql, updated);
}

/**
 * The builder of a fresh generation: it holds every deal opened so far (the generation started
 * empty, so that is every row of the table) and folds each batch onto them with apply's fold; a
 * flush inserts the deals opened since the last one and updates the others changed since — one
 * write per deal however many of its events came in between.
 *
 * One thing apply does that a fold in memory would not: it reads a deal's state back from the
 * table at each batch, and the table holds the amount rounded to cents (numeric(18,2)), while the
 * events may state more digits. weighted_amount is computed from the amount the write carries,
 * so the builder rounds a deal's amount as that read would, when a later batch first touches it.
 * Instants and dates need no such care: the domain writes them as canonical ISO text, which is
 * what the read returns too.
 */
class DealSummaryBuilder implements ProjectionBuilder {
  private readonly states = new Map<string, DealSummaryState>();
  private folded: FoldedSummaries = { openings: new Map(), changed: new Set() };
  /** Deals whose amount, as the last batch left it, has more than cents: the next batch touching them reads it rounded. */
  private finerThanCents = new Set<string>();

  /** Every row of this table can still change (a won deal may be reopened): all are written by the final flush. */
  get pending(): number {
    return 0;
  }

  add(events: readonly RecordedEvent[]): void {
    const dealEvents = dealEventsIn(events);
    if (dealEvents.length === 0) return;
    if (this.finerThanCents.size > 0) this.roundAmountsRead(dealEvents);
    foldSummaries(this.states, dealEvents, this.folded);
    for (const e of dealEvents) {
      if (e.event.type !== 'DealOpened' && e.event.type !== 'DealImported' && e.event.type !== 'StageChangeImported') continue;
      const state = this.states.get(e.dealId);
      if (state && !CENTS.test(state.amount)) this.finerThanCents.add(e.dealId);
    }
  }

  async flush(sql: BulkSql, final: boolean): Promise<void> {
    if (!final) return;
    const folded = this.folded;
    this.folded = { openings: new Map(), changed: new Set() };
    await writeFolded(sql, folded, { copy: true });
  }

  /** As apply's read at the start of a batch: the amounts of the deals this batch touches, as the table holds them. */
  private roundAmountsRead(dealEvents: readonly DealFeedEvent[]): void {
    for (const e of dealEvents) {
      if (!this.finerThanCents.delete(e.dealId)) continue;
      const state = this.states.get(e.dealId)!;
      state.amount = roundedToCents(state.amount);
    }
  }
}

/** A native opening is always in TARGET; an imported one where the source first knew the deal (WON included). */
function openedSummary(dealId: string, event: DealOpened | DealImported): { state: DealSummaryState; opening: DealSummaryOpening } {
  const d = event.data;
  const won = d.stage === 'WON';
  return {
    state: {
      deal_id: dealId,
      owner: d.owner,
      team: d.team,
      stage: d.stage,
      status: won ? 'won' : 'open',
      amount: String(d.amount),
      probability: null,
      expected_close_date: null,
      entered_stage_at: d.occurredAt,
      last_activity_at: d.occurredAt,
      closed_at: won ? d.occurredAt : null,
      lost_reason: null,
      lost_competitor: null,
      override_count: 0,
      regression_count: 0,
    },
    opening: {
      account_name: d.account.name,
      industry: d.account.industry,
      region: d.account.region,
      account_size: d.account.size ?? null,
      currency: d.currency,
      opened_at: d.occurredAt,
    },
  };
}

/** How one event changes an opened deal's summary (in place: a rebuild folds millions). */
export function evolveSummary(state: DealSummaryState, event: DealEvent): void {
  const at = event.data.occurredAt;
  state.last_activity_at = laterOf(state.last_activity_at, at);
  switch (event.type) {
    case 'StageAdvanced': {
      const won = event.data.to === 'WON';
      state.stage = event.data.to;
      state.entered_stage_at = at;
      state.status = won ? 'won' : 'open';
      state.closed_at = won ? at : null;
      if (event.data.override) state.override_count += 1;
      return;
    }
    case 'StageRegressed':
      state.stage = event.data.to;
      state.entered_stage_at = at;
      state.regression_count += 1;
      return;
    case 'DealLost':
      state.stage = event.data.from;
      state.status = 'lost';
      state.closed_at = at;
      state.lost_reason = event.data.reason;
      state.lost_competitor = event.data.competitor ?? null;
      return;
    case 'DealReopened':
      state.stage = event.data.to;
      state.entered_stage_at = at;
      state.status = 'open';
      state.closed_at = null;
      state.lost_reason = null;
      state.lost_competitor = null;
      return;
    case 'StageChangeImported':
      evolveImportedMove(state, event.data);
      return;
    case 'OwnerReassigned':
      state.owner = event.data.to;
      state.team = event.data.team ?? state.team;
      return;
    case 'ForecastUpdated':
      state.probability = event.data.probability;
      state.expected_close_date = event.data.expectedCloseDate;
      return;
    case 'DealOpened': // a repeated opening changes nothing but the activity
    case 'DealImported':
    case 'VisitRecorded':
    case 'VisitReviewed':
    case 'CustomerProfileRecorded':
    case 'ProblemAnalyzed':
    case 'CustomerInterestRecorded':
    case 'ProjectInitiationRecorded':
    case 'AssessmentSubmitted':
    case 'StakeholderIdentified':
    case 'StakeholderRoleWithdrawn':
    case 'ProcurementTimetableRecorded':
    case 'EvaluationCriteriaRecorded':
    case 'SwotRecorded':
    case 'CompetitorRecorded':
    case 'QuoteSubmitted':
    case 'NegotiationConditionConfirmed':
    case 'StageActionCompleted':
    case 'ContractSigned':
    case 'PaymentConfirmed':
    case 'ShipmentRecorded':
      // Activity on the deal, and nothing more for this table.
      return;
    default: {
      const _: never = event;
      return;
    }
  }
}

/**
 * An imported move changes the row as the native move of the same kind would — except that it
 * is never counted as an override (there was none: it happened in the source system).
 */
function evolveImportedMove(state: DealSummaryState, d: Extract<DealEvent, { type: 'StageChangeImported' }>['data']): void {
  const at = d.occurredAt;
  if (d.amount !== undefined) state.amount = String(d.amount);
  const move = importedMove(d.from, d.to);
  if (!move) return;
  switch (move.kind) {
    case 'lost':
      state.status = 'lost';
      state.closed_at = at;
      state.lost_reason = d.reason ?? `lost in ${d.importedFrom.system}`;
      state.lost_competitor = null;
      return; // stage stays: the stage it was lost from
    case 'advanced':
    case 'skipped':
    case 'won':
    case 'regressed':
    case 'reopened': {
      const won = d.to === 'WON';
      state.stage = d.to;
      state.entered_stage_at = at;
      state.status = won ? 'won' : 'open';
      state.closed_at = won ? at : null;
      state.lost_reason = null;
      state.lost_competitor = null;
      if (move.kind === 'regressed') state.regression_count += 1;
      return;
    }
    default: {
      const _: never = move.kind;
      return;
    }
  }
}

async function loadStates(sql: Sql, dealIds: string[]): Promise<Map<string, DealSummaryState>> {
  const result = await sql.query<DealSummaryState>(LOAD_STATES, [dealIds]);
  return new Map(result.rows.map((r) => [r.deal_id, r]));
}

async function insertOpened(sql: Sql, rows: [DealSummaryState, DealSummaryOpening][]): Promise<void> {
  const state = <K extends keyof DealSummaryState>(key: K) => rows.map(([s]) => s[key]);
  const opening = <K extends keyof DealSummaryOpening>(key: K) => rows.map(([, o]) => o[key]);
  await sql.query(INSERT_OPENED, [
    state('deal_id'),
    opening('account_name'),
    opening('industry'),
    opening('region'),
    opening('account_size'),
    state('owner'),
    state('team'),
    state('stage'),
    state('status'),
    state('amount'),
    opening('currency'),
    state('probability'),
    state('expected_close_date'),
    opening('opened_at'),
    state('entered_stage_at'),
    state('last_activity_at'),
    state('closed_at'),
    state('lost_reason'),
    state('lost_competitor'),
    state('override_count'),
    state('regression_count'),
  ]);
}

async function updateChanged(sql: Sql, states: DealSummaryState[]): Promise<void> {
  const column = <K extends keyof DealSummaryState>(key: K) => states.map((s) => s[key]);
  await sql.query(UPDATE_CHANGED, [
    column('deal_id'),
    column('owner'),
    column('team'),
    column('stage'),
    column('status'),
    column('probability'),
    column('expected_close_date'),
    column('entered_stage_at'),
    column('last_activity_at'),
    column('closed_at'),
    column('lost_reason'),
    column('lost_competitor'),
    column('override_count'),
    column('regression_count'),
    column('amount'),
  ]);
}

async function copyOpened(sql: BulkSql, rows: [DealSummaryState, DealSummaryOpening][]): Promise<void> {
  const lines: CopyValue[][] = rows.map(([s, o]) => [
    s.deal_id, o.account_name, o.industry, o.region, o.account_size, s.owner, s.team, s.stage, s.status, s.amount,
    o.currency, s.probability, s.expected_close_date, o.opened_at, s.entered_stage_at, s.last_activity_at,
    s.closed_at, s.lost_reason, s.lost_competitor, s.override_count, s.regression_count,
  ]);
  await sql.query(CREATE_OPENED_STAGING);
  await sql.copyRows('deal_summary_opened_staging', OPENED_COLUMNS, lines);
  await sql.query(INSERT_STAGED);
  // Dropped now, not only at commit: a flush may come again in the same transaction.
  await sql.query('DROP TABLE deal_summary_opened_staging');
}

/** An amount with at most cents, as numeric(18,2) holds it unchanged. */
const CENTS = /^-?\d+(\.\d{1,2})?$/;
const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * A decimal text (as String(number) writes it, exponent included) rounded to cents half away from
 * zero, as numeric(18,2) rounds it: what reading the amount back from the table returns.
 */
export function roundedToCents(amount: string): string {
  const m = DECIMAL.exec(amount);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return amount;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  let digits = whole + fraction;
  let point = whole.length + Number(exponent);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const rest = `${digits.slice(point)}000`;
  let cents = BigInt(digits.slice(0, point) + rest.slice(0, 2));
  if (rest[2] >= '5') cents += 1n;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  return cents === 0n ? text : sign + text;
}
