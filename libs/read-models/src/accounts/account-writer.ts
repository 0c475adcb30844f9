/**
 * Writes account streams: load `account-<id>`, fold, decide, append at the revision read. The
 * one path for the account API, the account reactor and the migration. What is written because
 * of another stream (an account opened for a deal, a deal fact noted) gets event ids derived
 * from its cause, so the same cause never appends twice, whoever retries after whatever crash.
 */
import { AccountCommand } from '@funnel/domain/account/account.commands';
import { decideAccount } from '@funnel/domain/account/account.decide';
import { AccountError } from '@funnel/domain/account/account.errors';
import { ACCOUNT_EVENT_SCHEMA_VERSION, AccountEvent, AccountOrigin } from '@funnel/domain/account/account.events';
import { foldAccount } from '@funnel/domain/account/account.evolve';
import { AccountState } from '@funnel/domain/account/account.state';
import { accountIdOfDeal, accountStreamId } from '@funnel/domain/account/account-identity';
import { DealOpened } from '@funnel/domain/deal/deal.events';
import { derivedUuid } from '@funnel/domain/identity/derived-uuid';
import { DEFAULT_PHASE_RULES, PHASE_RULES, PhaseRules } from '@funnel/domain/playbook/phase-rules';
import { StreamNotFoundError, WrongExpectedVersionError } from '@funnel/event-store/event-store.errors';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';

export interface AccountStream {
  accountId: string;
  streamId: string;
  events: RecordedEvent[];
  revision: bigint | 'no_stream';
  state: AccountState;
}

/** Who asks and in reply to what: recorded on every event. */
export interface AccountCommandMeta {
  actor: { id: string; name?: string; roles: string[] };
  correlationId?: string;
  causationId?: string;
}

/** The ids a command's events get: random (left to the store) or derived from its cause. */
export interface AccountEventIds {
  idFor(index: number): string | undefined;
  deterministic: boolean;
}

export const RANDOM_IDS: AccountEventIds = { idFor: () => undefined, deterministic: false };

/** Ids derived from the account and what caused the command (a deal event, a deal opening). */
export function idsFromCause(accountId: string, cause: string): AccountEventIds {
  return { idFor: (index) => derivedUuid('funnel.account.event', accountId, cause, String(index)), deterministic: true };
}

/** What of a deal's opening says which account it belongs to. */
export type DealOpening = Pick<DealOpened['data'], 'dealId' | 'accountId' | 'account' | 'occurredAt'>;

export interface AccountWriteResult {
  accountId: string;
  /** Revision of the account's last event; -1 never: a refused command throws. */
  revision: number;
  position: string | null;
  appended: AccountEvent[];
}

/** The account changed since the revision the caller expected. */
export class AccountConcurrencyError extends Error {
  constructor(
    readonly accountId: string,
    readonly expected: number | 'no_stream',
    readonly actual: number | 'no_stream',
  ) {
    super(`Account ${accountId} is at revision ${actual}, not ${expected}: it changed meanwhile; reload and retry`);
    this.name = 'AccountConcurrencyError';
  }
}

const MAX_RETRIES = 5;
/** Merges form short chains at most; a longer one is a loop. */
const MAX_MERGE_HOPS = 8;

export class AccountWriter {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(accountId: string): Promise<AccountStream> {
    const streamId = accountStreamId(accountId);
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      events = [];
    }
    const last = events[events.length - 1];
    return { accountId: accountId.toLowerCase(), streamId, events, revision: last ? last.revision : 'no_stream', state: foldAccount(events.map(accountEventOf)) };
  }

  /**
   * Decides the command on the account as stored and appends what it decides. Without
   * `expectedRevision` a lost race is re-read and re-decided; with it, it is the caller's.
   */
  async execute(
    accountId: string,
    command: AccountCommand,
    meta: AccountCommandMeta,
    ids: AccountEventIds = RANDOM_IDS,
    expectedRevision?: number,
  ): Promise<AccountWriteResult> {
    for (let retry = 0; ; retry++) {
      const stream = await this.read(accountId);
      const actual = stream.revision === 'no_stream' ? 'no_stream' : Number(stream.revision);
      if (expectedRevision !== undefined && expectedRevision !== actual) throw new AccountConcurrencyError(accountId, expectedRevision, actual);
      // Crash safety: the same cause appended these events before and died before answering.
      const earlier = ids.deterministic ? appendedEarlier(stream.events, ids) : undefined;
      if (earlier) return { accountId, revision: Number(earlier.revision), position: formatPosition(earlier.position), appended: [] };

      const events = decideAccount(command, stream.state, { now: this.now(), actor: meta.actor, phaseRules: rulesOf(stream.state) });
      if (events.length === 0) {
        const last = stream.events[stream.events.length - 1];
        return { accountId, revision: last ? Number(last.revision) : -1, position: last ? formatPosition(last.position) : null, appended: [] };
      }
      try {
        const appended = await this.store.appendToStream(
          stream.streamId,
          events.map((event, index) => ({
            id: ids.idFor(index),
            type: event.type,
            data: event.data,
            metadata: {
              correlationId: meta.correlationId,
              causationId: meta.causationId,
              actor: meta.actor,
              command: command.type,
              schemaVersion: ACCOUNT_EVENT_SCHEMA_VERSION[event.type],
            },
          })),
          { expectedRevision: stream.revision },
        );
        return { accountId, revision: Number(appended.nextExpectedRevision), position: formatPosition(appended.position), appended: events };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expectedRevision === undefined && retry < MAX_RETRIES) continue;
        throw new AccountConcurrencyError(accountId, actual, error.actual === 'no_stream' ? 'no_stream' : Number(error.actual));
      }
    }
  }

  /**
   * The account a deal belongs to, opened from the deal's customer if it does not exist yet,
   * followed through merges to the account it lives on in. Safe to call any number of times,
   * from any process: the opening's event id derives from the account id alone.
   */
  async ensureForDeal(opened: DealOpening, meta: AccountCommandMeta, origin: AccountOrigin): Promise<string> {
    const accountId = accountIdOfDeal(opened);
    const stream = await this.read(accountId);
    if (stream.state.status === 'none') {
      const { name, industry, region, size } = opened.account;
      try {
        await this.execute(
          accountId,
          {
            type: 'OpenAccount',
            data: { accountId, name, industry, region, ...(size !== undefined && { size }), origin, firstDealId: opened.dealId, occurredAt: opened.occurredAt },
          },
          meta,
          idsFromCause(accountId, 'opened'),
        );
      } catch (error) {
        // Opened meanwhile by another path: that is the account we wanted.
        if (!(error instanceof AccountError && error.code === 'ACCOUNT_ALREADY_OPENED')) throw error;
      }
      return accountId;
    }
    return this.survivorOf(accountId, stream.state);
  }

  /** The account an id lives on in: itself, or the survivor of its merges. */
  async survivorOf(accountId: string, known?: AccountState): Promise<string> {
    let id = accountId;
    let state = known ?? (await this.read(id)).state;
    for (let hop = 0; state.status === 'merged'; hop++) {
      if (hop >= MAX_MERGE_HOPS) throw new Error(`account ${accountId}: merges do not end after ${MAX_MERGE_HOPS} hops`);
      id = state.merged.into;
      state = (await this.read(id)).state;
    }
    return id;
  }
}

export function accountEventOf(recorded: RecordedEvent): AccountEvent {
  return { type: recorded.type, data: recorded.data } as AccountEvent;
}

/** The phase rules the account was last decided by (the default when that version is not published). */
function rulesOf(state: AccountState): PhaseRules {
  if (state.status === 'none') return DEFAULT_PHASE_RULES;
  return PHASE_RULES[state.phaseRulesVersion] ?? DEFAULT_PHASE_RULES;
}

function appendedEarlier(events: RecordedEvent[], ids: AccountEventIds): RecordedEvent | undefined {
  const byId = new Map(events.map((e) => [e.id, e]));
  let last: RecordedEvent | undefined;
  for (let index = 0; ; index++) {
    const id = ids.idFor(index);
    if (id === undefined || !byId.has(id)) break;
    last = byId.get(id);
  }
  return last;
}
