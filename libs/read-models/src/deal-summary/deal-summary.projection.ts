/**
 * `rm.deal_summary`: one row per deal as it stands now — stage, status, owner, forecast and the
 * counts managers ask about. Per batch: load what can change of the touched deals, fold the
 * batch's events over it in memory, then one multi-row INSERT for the deals opened in the batch
 * and one multi-row UPDATE for the others.
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealEvent, DealImported, DealOpened } from '@funnel/domain/deal/deal.events';
import { importedMove } from '@funnel/domain/deal/imported-move';
import { dealEventsIn, distinctDealIds, laterOf } from '../projection/deal-events';
import { Projection, Sql } from '../projection/projection';

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

// weighted_amount is computed here, in numeric, never in floating point.
const INSERT_OPENED = `
  INSERT INTO deal_summary (
    deal_id, account_name, industry, region, account_size, owner, team, stage, status, amount,
    currency, probability, expected_close_date, weighted_amount, opened_at, entered_stage_at,
    last_activity_at, closed_at, lost_reason, lost_competitor, override_count, regression_count)
  SELECT u.deal_id, u.account_name, u.industry, u.region, u.account_size, u.owner, u.team, u.stage,
         u.status, u.amount, u.currency, u.probability, u.expected_close_date,
         coalesce(round(u.amount * u.probability / 100.0, 2), 0),
         u.opened_at, u.entered_stage_at, u.last_activity_at, u.closed_at, u.lost_reason,
         u.lost_competitor, u.override_count, u.regression_count
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::numeric[], $11::text[], $12::int[], $13::date[],
                $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[],
                $18::text[], $19::text[], $20::int[], $21::int[])
      AS u(deal_id, account_name, industry, region, account_size, owner, team, stage, status, amount,
           currency, probability, expected_close_date, opened_at, entered_stage_at, last_activity_at,
           closed_at, lost_reason, lost_competitor, override_count, regression_count)`;

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
    const openings = new Map<string, DealSummaryOpening>();
    const changed = new Set<string>();
    for (const e of dealEvents) {
      if ((e.event.type === 'DealOpened' || e.event.type === 'DealImported') && !states.has(e.dealId)) {
        const { state, opening } = openedSummary(e.dealId, e.event);
        states.set(e.dealId, state);
        openings.set(e.dealId, opening);
        changed.add(e.dealId);
        continue;
      }
      const state = states.get(e.dealId);
      if (!state) continue; // a deal never opened: nothing to summarise
      evolveSummary(state, e.event);
      changed.add(e.dealId);
    }
    const opened = [...openings.keys()];
    const updated = [...changed].filter((id) => !openings.has(id));
    if (opened.length > 0) await insertOpened(sql, opened.map((id) => [states.get(id)!, openings.get(id)!]));
    if (updated.length > 0) await updateChanged(sql, updated.map((id) => states.get(id)!));
  },
};

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
