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
import { Projection, Sql } from '../projection/projection';

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
    for (const recorded of events) {
      const accountId = accountIdFromStream(recorded.streamId);
      if (!accountId || !isAccountEventType(recorded.type)) continue;
      await applyAccountEvent(sql, accountId.toLowerCase(), { type: recorded.type, data: recorded.data } as AccountEvent);
    }
  },
};

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
  const touched = new Set<string>();
  for (const { dealId, event } of dealEvents) {
    const at = event.data.occurredAt;
    const imported = event as unknown as { type: string; data: ImportedShape };
    if (imported.type === 'DealImported') {
      if (rows.has(dealId)) continue;
      const d = imported.data;
      const won = d.stage === 'WON';
      rows.set(dealId, {
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
      });
      touched.add(dealId);
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
      touched.add(dealId);
      continue;
    }
    if (event.type === 'DealOpened') {
      if (rows.has(dealId)) continue;
      const d = event.data;
      rows.set(dealId, {
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
      });
      touched.add(dealId);
      continue;
    }
    const row = rows.get(dealId);
    if (!row) continue;
    row.last_activity_at = laterOf(row.last_activity_at, at);
    touched.add(dealId);
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
  if (touched.size === 0) return;
  const changed = [...touched].map((id) => rows.get(id)!);
  await sql.query(UPSERT_DEALS, [
    changed.map((r) => r.deal_id),
    changed.map((r) => r.account_id),
    changed.map((r) => r.status),
    changed.map((r) => r.stage),
    changed.map((r) => r.amount),
    changed.map((r) => r.currency),
    changed.map((r) => r.opened_at),
    changed.map((r) => r.won_at),
    changed.map((r) => r.lost_at),
    changed.map((r) => r.last_activity_at),
  ]);
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
