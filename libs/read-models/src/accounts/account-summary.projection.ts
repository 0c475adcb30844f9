/**
 * The account read models: `rm.accounts` (one row per account: phase, status, merge),
 * `rm.account_deals` (one row per deal with the account it names, for pipeline and wins),
 * `rm.account_phase_stays` (every stay in a phase, for the phase history, dwell times and
 * transitions) and `rm.account_suggestions`. Deals opened before accounts existed name their
 * account through accountIdOfDeal, the same id the reactor opens, so a rebuild and the
 * incremental run agree whatever order the two streams' events come in.
 */
import { AccountEvent, isAccountEventType } from '@funnel/domain/account/account.events';
import { accountIdFromStream, accountIdOfDeal } from '@funnel/domain/account/account-identity';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealEvent, dealIdFromStream, isDealEventType } from '@funnel/domain/deal/deal.events';
import { laterOf } from '../projection/deal-events';
import { BulkSql, Projection, ProjectionBuilder, Sql } from '../projection/projection';

const TABLES = [
  `CREATE TABLE accounts (
     account_id       uuid        PRIMARY KEY,
     name             text        NOT NULL,
     industry         text        NOT NULL,
     region           text        NOT NULL,
     account_size     text,
     key_account      boolean     NOT NULL,
     origin           text        NOT NULL,
     status           text        NOT NULL CHECK (status IN ('active', 'closed', 'merged')),
     merged_into      uuid,
     phase            text        NOT NULL,
     phase_since      timestamptz NOT NULL,
     opened_at        timestamptz NOT NULL,
     -- the latest business time of any event of the account itself
     last_activity_at timestamptz NOT NULL
   )`,
  `CREATE TABLE account_deals (
     deal_id          uuid          PRIMARY KEY,
     -- the account the deal names (before any merge; queries follow merged_into)
     account_id       uuid          NOT NULL,
     status           text          NOT NULL CHECK (status IN ('open', 'won', 'lost')),
     stage            text          NOT NULL,
     amount           numeric(18,2) NOT NULL,
     currency         text          NOT NULL,
     opened_at        timestamptz   NOT NULL,
     won_at           timestamptz,
     lost_at          timestamptz,
     last_activity_at timestamptz   NOT NULL
   )`,
  `CREATE TABLE account_phase_stays (
     account_id    uuid        NOT NULL,
     seq           int         NOT NULL,
     phase         text        NOT NULL,
     entered_at    timestamptz NOT NULL,
     -- null while the account is still in the phase
     exited_at     timestamptz,
     exited_to     text,
     reason        text        NOT NULL,
     decided_by    text,
     suggestion_id uuid,
     overridden    boolean     NOT NULL DEFAULT false,
     PRIMARY KEY (account_id, seq)
   )`,
  `CREATE TABLE account_suggestions (
     suggestion_id uuid        PRIMARY KEY,
     account_id    uuid        NOT NULL,
     rule_id       text        NOT NULL,
     from_phase    text        NOT NULL,
     to_phase      text        NOT NULL,
     status        text        NOT NULL CHECK (status IN ('pending', 'accepted', 'dismissed')),
     suggested_at  timestamptz NOT NULL,
     decided_at    timestamptz
   )`,
];

const INDEXES = [
  `CREATE INDEX account_deals_account ON account_deals (account_id)`,
  `CREATE INDEX accounts_phase ON accounts (phase)`,
  `CREATE INDEX account_suggestions_account ON account_suggestions (account_id)`,
];

interface DealRow {
  deal_id: string;
  account_id: string;
  status: 'open' | 'won' | 'lost';
  stage: string;
  amount: string;
  currency: string;
  opened_at: string;
  won_at: string | null;
  lost_at: string | null;
  last_activity_at: string;
}

/** The stored data of the importers' events that this projection reads. */
interface ImportedShape {
  account?: { name: string; region: string };
  amount?: number;
  currency?: string;
  stage?: string;
  from?: string;
  to?: string;
  occurredAt: string;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

const LOAD_DEALS = `
  SELECT deal_id, account_id, status, stage, amount::text AS amount, currency, ${ISO('opened_at')}, ${ISO('won_at')},
         ${ISO('lost_at')}, ${ISO('last_activity_at')}
    FROM account_deals WHERE deal_id = ANY($1::uuid[])`;

// One statement for every deal the batch touched, new or not.
const UPSERT_DEALS = `
  INSERT INTO account_deals (deal_id, account_id, status, stage, amount, currency, opened_at, won_at, lost_at, last_activity_at)
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::text[],
                       $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
  ON CONFLICT (deal_id) DO UPDATE SET
    status = EXCLUDED.status, stage = EXCLUDED.stage, amount = EXCLUDED.amount, won_at = EXCLUDED.won_at, lost_at = EXCLUDED.lost_at,
    last_activity_at = EXCLUDED.last_activity_at`;

export const accountSummaryProjection: Projection = {
  name: 'account_summary',
  version: 1,
  views: ['accounts', 'account_deals', 'account_phase_stays', 'account_suggestions'],
  tables: TABLES,
  indexes: INDEXES,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    await applyDealEvents(sql, events);
    for (const { accountId, event } of accountEventsIn(events)) await applyAccountEvent(sql, accountId, event);
  },
  builder(): ProjectionBuilder {
    return new AccountSummaryBuilder();
  },
};

/** The account events of a batch, in feed order. */
function accountEventsIn(events: readonly RecordedEvent[]): { accountId: string; event: AccountEvent }[] {
  const found: { accountId: string; event: AccountEvent }[] = [];
  for (const recorded of events) {
    const accountId = accountIdFromStream(recorded.streamId);
    if (!accountId || !isAccountEventType(recorded.type)) continue;
    found.push({ accountId: accountId.toLowerCase(), event: { type: recorded.type, data: recorded.data } as AccountEvent });
  }
  return found;
}

/**
 * The builder of a fresh generation. The two halves of the projection share no table: deal
 * events read and write account_deals only, account events only accounts, account_phase_stays and
 * account_suggestions (and read no deal). So the deal rows are held in memory (every deal seen:
 * the generation started empty), folded with apply's fold and COPYed in by the final flush, one
 * write per deal; the account events — few beside deal events — are queued and applied by apply's
 * own statements, in feed order, at each flush. Each table then sees its events in the order apply
 * would have.
 */
class AccountSummaryBuilder implements ProjectionBuilder {
  private readonly rows = new Map<string, DealRow>();
  private accountEvents: { accountId: string; event: AccountEvent }[] = [];

  /** Rows an interim flush writes: the account events' (a deal's row may change with any later event: the final flush writes them). */
  get pending(): number {
    return this.accountEvents.length;
  }

  add(events: readonly RecordedEvent[]): void {
    // What the fold changed is not kept: every row is written once, by the final flush.
    foldDealRows(this.rows, importedDealEventsIn(events), { opened: new Set(), touched: new Set() });
    for (const e of accountEventsIn(events)) this.accountEvents.push(e);
  }

  async flush(sql: BulkSql, final: boolean): Promise<void> {
    const accountEvents = this.accountEvents;
    this.accountEvents = [];
    // Every deal row was opened in this builder and none written before: the final flush COPYs them all.
    if (final) await sql.copyRows('account_deals', DEAL_COLUMNS, [...this.rows.values()].map((r) => DEAL_COLUMNS.map((c) => r[c])));
    for (const { accountId, event } of accountEvents) await applyAccountEvent(sql, accountId, event);
  }
}

/**
 * The importers' history events (issue #8), read by their stored shape: an imported deal opens
 * its row like DealOpened, in the stage the source first knew; an imported stage change moves it.
 */
function importedDealEventsIn(events: readonly RecordedEvent[]): { dealId: string; event: DealEvent }[] {
  const found: { dealId: string; event: DealEvent }[] = [];
  for (const recorded of events) {
    const dealId = dealIdFromStream(recorded.streamId)?.toLowerCase();
    if (!dealId) continue;
    if (isDealEventType(recorded.type)) found.push({ dealId, event: { type: recorded.type, data: recorded.data } as DealEvent });
    else if (recorded.type === 'DealImported' || recorded.type === 'StageChangeImported') found.push({ dealId, event: recorded as unknown as DealEvent });
  }
  return found;
}

async function applyDealEvents(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
  const dealEvents = importedDealEventsIn(events);
  if (dealEvents.length === 0) return;
  const ids = [...new Set(dealEvents.map((e) => e.dealId))];
  const rows = new Map((await sql.query<DealRow>(LOAD_DEALS, [ids])).rows.map((r) => [r.deal_id, r]));
  const folded: FoldedDealRows = { opened: new Set(), touched: new Set() };
  foldDealRows(rows, dealEvents, folded);
  if (folded.touched.size > 0) await upsertDeals(sql, [...folded.touched]);
}

/** What a fold changed: the rows it created (not in the table yet) and every row it changed, those included. */
interface FoldedDealRows {
  opened: Set<DealRow>;
  touched: Set<DealRow>;
}

/**
 * Folds deal events, in feed order, onto `rows` (deal id → row, in place): apply's fold over the
 * rows it loaded for one batch, and the builder's over every row it holds.
 */
function foldDealRows(rows: Map<string, DealRow>, dealEvents: readonly { dealId: string; event: DealEvent }[], into: FoldedDealRows): void {
  const opened = (row: DealRow) => {
    rows.set(row.deal_id, row);
    into.opened.add(row);
    into.touched.add(row);
  };
  for (const { dealId, event } of dealEvents) {
    const at = event.data.occurredAt;
    const imported = event as unknown as { type: string; data: ImportedShape };
    if (imported.type === 'DealImported') {
      if (rows.has(dealId)) continue;
      const d = imported.data;
      const won = d.stage === 'WON';
      const row: DealRow = {
        deal_id: dealId,
        account_id: accountIdOfDeal({ account: d.account! }),
        status: won ? 'won' : 'open',
        stage: d.stage!,
        amount: String(d.amount),
        currency: d.currency!,
        opened_at: at,
        won_at: won ? at : null,
        lost_at: null,
        last_activity_at: at,
      };
      opened(row);
      continue;
    }
    if (imported.type === 'StageChangeImported') {
      const row = rows.get(dealId);
      if (!row) continue;
      const d = imported.data;
      row.last_activity_at = laterOf(row.last_activity_at, at);
      if (d.amount !== undefined) row.amount = String(d.amount);
      if (d.to === 'LOST') {
        row.status = 'lost';
        row.lost_at = at;
      } else if (d.to !== d.from) {
        row.stage = d.to!;
        row.status = d.to === 'WON' ? 'won' : 'open';
        row.won_at = d.to === 'WON' ? at : null;
        row.lost_at = null;
      }
      into.touched.add(row);
      continue;
    }
    if (event.type === 'DealOpened') {
      if (rows.has(dealId)) continue;
      const d = event.data;
      const row: DealRow = {
        deal_id: dealId,
        account_id: accountIdOfDeal(d),
        status: 'open',
        stage: d.stage,
        amount: String(d.amount),
        currency: d.currency,
        opened_at: at,
        won_at: null,
        lost_at: null,
        last_activity_at: at,
      };
      opened(row);
      continue;
    }
    const row = rows.get(dealId);
    if (!row) continue;
    row.last_activity_at = laterOf(row.last_activity_at, at);
    into.touched.add(row);
    switch (event.type) {
      case 'StageAdvanced':
        row.stage = event.data.to;
        row.status = event.data.to === 'WON' ? 'won' : 'open';
        row.won_at = event.data.to === 'WON' ? at : null;
        break;
      case 'StageRegressed':
        row.stage = event.data.to;
        break;
      case 'DealLost':
        row.status = 'lost';
        row.lost_at = at;
        break;
      case 'DealReopened':
        row.status = 'open';
        row.stage = event.data.to;
        row.lost_at = null;
        break;
      default:
        break;
    }
  }
}

/** The columns of account_deals, in UPSERT_DEALS' order (COPY names them the same). */
const DEAL_COLUMNS = ['deal_id', 'account_id', 'status', 'stage', 'amount', 'currency', 'opened_at', 'won_at', 'lost_at', 'last_activity_at'] as const;

/** Writes rows by apply's upsert: inserts the new, updates what can change of the others. */
async function upsertDeals(sql: Sql, changed: readonly DealRow[]): Promise<void> {
  await sql.query(UPSERT_DEALS, DEAL_COLUMNS.map((c) => changed.map((r) => r[c])));
}

/** Account events are few next to deal events: one or two statements each. */
async function applyAccountEvent(sql: Sql, accountId: string, event: AccountEvent): Promise<void> {
  const at = event.data.occurredAt;
  switch (event.type) {
    case 'AccountOpened': {
      const d = event.data;
      const inserted = await sql.query(
        `INSERT INTO accounts (account_id, name, industry, region, account_size, key_account, origin, status, phase, phase_since, opened_at, last_activity_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $9, $9) ON CONFLICT (account_id) DO NOTHING`,
        [accountId, d.name, d.industry, d.region, d.size ?? null, d.keyAccount, d.origin, d.phase, at],
      );
      if (inserted.rowCount === 1) {
        await sql.query(
          `INSERT INTO account_phase_stays (account_id, seq, phase, entered_at, reason) VALUES ($1, 0, $2, $3, 'opened')`,
          [accountId, d.phase, at],
        );
      }
      return;
    }
    case 'KeyAccountFlagged':
      await touch(sql, accountId, at, 'key_account = $3', [event.data.keyAccount]);
      return;
    case 'PhaseChanged': {
      const d = event.data;
      await touch(sql, accountId, at, 'phase = $3, phase_since = $4', [d.to, at]);
      // Close the open stay and open the next: the stays are the phase history.
      await sql.query(
        `WITH closed AS (
           UPDATE account_phase_stays SET exited_at = $2, exited_to = $3
            WHERE account_id = $1 AND exited_at IS NULL RETURNING seq)
         INSERT INTO account_phase_stays (account_id, seq, phase, entered_at, reason, decided_by, suggestion_id, overridden)
         SELECT $1, coalesce((SELECT max(seq) FROM account_phase_stays WHERE account_id = $1), -1) + 1, $3, $2, $4, $5, $6, $7
           FROM (SELECT count(*) FROM closed) c`,
        [accountId, at, d.to, d.reason, d.decidedBy, d.suggestionId ?? null, d.override !== undefined],
      );
      if (d.suggestionId) {
        await sql.query(`UPDATE account_suggestions SET status = 'accepted', decided_at = $2 WHERE suggestion_id = $1`, [d.suggestionId, at]);
      }
      return;
    }
    case 'PhaseSuggested': {
      const d = event.data;
      await sql.query(
        `INSERT INTO account_suggestions (suggestion_id, account_id, rule_id, from_phase, to_phase, status, suggested_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (suggestion_id) DO NOTHING`,
        [d.suggestionId, accountId, d.ruleId, d.from, d.to, at],
      );
      await touch(sql, accountId, at);
      return;
    }
    case 'PhaseSuggestionDismissed':
      await sql.query(`UPDATE account_suggestions SET status = 'dismissed', decided_at = $2 WHERE suggestion_id = $1`, [event.data.suggestionId, at]);
      await touch(sql, accountId, at);
      return;
    case 'AccountClosed':
      await touch(sql, accountId, at, `status = 'closed'`);
      return;
    case 'AccountMergedInto':
      await touch(sql, accountId, at, `status = 'merged', merged_into = $3`, [event.data.survivorAccountId]);
      return;
    case 'DealLinked':
    case 'DealFactNoted':
    case 'KeyPersonRecorded':
    case 'KeyPersonRemoved':
    case 'DuplicateAccountMerged':
      await touch(sql, accountId, at);
      return;
    default: {
      const _: never = event;
      return;
    }
  }
}

/** Moves the account's last activity forward (never back) and sets what `set` says. */
async function touch(sql: Sql, accountId: string, at: string, set?: string, params: unknown[] = []): Promise<void> {
  await sql.query(
    `UPDATE accounts SET last_activity_at = greatest(last_activity_at, $2::timestamptz)${set ? `, ${set}` : ''} WHERE account_id = $1`,
    [accountId, at, ...params],
  );
}
