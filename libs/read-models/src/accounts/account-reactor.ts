/**
 * The account reactor: a process manager that follows the store's global feed from its own
 * checkpoint (never an in-process "after save") and turns deal facts into account events —
 * the account opened for a deal's customer, the deal linked, a win, a competitor, a loss to a
 * competitor noted (the phase rules then decide what to suggest). A crash between its append
 * and its checkpoint replays a few deal events: their account events carry ids derived from
 * the deal event, and the decider notes each deal event once, so nothing is appended twice.
 * Run from the checkpoint 'start', it is also the migration of deals older than accounts.
 */
import { Pool } from 'pg';
import { AccountOrigin, DealFact } from '@funnel/domain/account/account.events';
import { DEAL_STREAM_PREFIX, DealEvent, dealIdFromStream, dealStreamId } from '@funnel/domain/deal/deal.events';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { GlobalPosition } from '@funnel/event-store/global-position';
import { CheckpointPosition, checkpointText, parseCheckpoint } from '../projection/checkpoint';
import { AccountCommandMeta, AccountWriter, DealOpening, idsFromCause } from './account-writer';

export const ACCOUNT_REACTOR = 'account_reactor';

/**
 * The deal events the reactor reads; everything else passes by. `DealImported` and
 * `StageChangeImported` are the importers' history events (issue #8): they are read by their
 * stored shape, so imported deals get accounts (origin IMPORT) and imported wins count.
 */
export const ACCOUNT_REACTOR_EVENT_TYPES = ['DealOpened', 'DealImported', 'StageAdvanced', 'StageChangeImported', 'CompetitorRecorded', 'DealLost'] as const;

/** What opens a deal stream: a native opening or an imported deal (both carry the account). */
const OPENINGS = ['DealOpened', 'DealImported'];

/** The reactor's own identity on the events it appends. */
const REACTOR_ACTOR = { id: 'account-reactor', name: 'Account reactor', roles: ['system'] };

/** Deals whose account is known, so a busy deal does not re-read its opening for every event. */
const DEAL_CACHE_LIMIT = 10_000;

export interface AccountReactorOptions {
  pool: Pool;
  store: EventStore;
  writer?: AccountWriter;
  pageSize?: number;
  log?: (message: string, error?: unknown) => void;
}

export class AccountReactor {
  private readonly writer: AccountWriter;
  private readonly dealAccounts = new Map<string, string>();
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;

  constructor(private readonly options: AccountReactorOptions) {
    this.writer = options.writer ?? new AccountWriter(options.store);
  }

  /** Follows the feed until stopped: pages while there is work, then waits for the next event. */
  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /**
   * Handles every deal event after the checkpoint, page by page, until the feed has no more
   * (and, with `until`, not before reaching that position: the feed holds back events while
   * older transactions run). `fromStart` replays all history, as the migration does: what was
   * done already is skipped.
   */
  async catchUp(options: { fromStart?: boolean; until?: GlobalPosition | null } = {}): Promise<{ events: number }> {
    let position: CheckpointPosition = options.fromStart ? 'start' : await this.checkpoint();
    let handled = 0;
    for (;;) {
      // Asked before the page is read: an empty page then proves nothing before `until` is left.
      const reached = !options.until || (await this.feedReaches(options.until));
      const page = await this.options.store.readAll({
        after: position,
        maxCount: this.options.pageSize ?? 500,
        filter: { streamPrefixes: [DEAL_STREAM_PREFIX], eventTypes: [...ACCOUNT_REACTOR_EVENT_TYPES] },
      });
      if (page.length === 0) {
        if (reached || this.stopping.signal.aborted) return { events: handled };
        await this.sleep(25);
        continue;
      }
      for (const recorded of page) await this.handle(recorded);
      const last: GlobalPosition = page[page.length - 1].position;
      await this.saveCheckpoint(last, page.length);
      position = last;
      handled += page.length;
      if (this.stopping.signal.aborted) return { events: handled };
    }
  }

  /** The readable feed reaches `position`: nothing before it is held back any more. */
  private async feedReaches(position: GlobalPosition): Promise<boolean> {
    const head = await this.options.store.headPosition();
    return head !== null && !isAfter(position, head);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        await this.catchUp();
        failures = 0;
        await this.waitForNews();
      } catch (error) {
        failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        this.options.log?.(`${ACCOUNT_REACTOR}: failed, retrying in ${delay} ms from the stored checkpoint`, error);
        await this.sleep(delay);
      }
    }
  }

  /** One deal event: what it means for its account. */
  async handle(recorded: RecordedEvent): Promise<void> {
    const dealId = dealIdFromStream(recorded.streamId);
    if (!dealId) return;
    const meta: AccountCommandMeta = {
      actor: REACTOR_ACTOR,
      correlationId: recorded.metadata.correlationId,
      causationId: recorded.id,
    };
    if (OPENINGS.includes(recorded.type)) {
      const opening = recorded.data as DealOpening;
      const accountId = await this.accountOf(dealId, { opening, imported: recorded.type === 'DealImported' }, meta);
      await this.writer.execute(accountId, { type: 'LinkDeal', data: { dealId, occurredAt: opening.occurredAt } }, meta, idsFromCause(accountId, recorded.id));
      if (recorded.type === 'DealImported' && (recorded.data as { stage?: string }).stage === 'WON') {
        await this.note(accountId, dealId, recorded, { kind: 'DEAL_WON' }, meta);
      }
      return;
    }
    const fact = factOf(recorded);
    if (!fact) return;
    await this.note(await this.accountOf(dealId, undefined, meta), dealId, recorded, fact, meta);
  }

  private async note(accountId: string, dealId: string, recorded: RecordedEvent, fact: DealFact, meta: AccountCommandMeta): Promise<void> {
    const occurredAt = (recorded.data as { occurredAt: string }).occurredAt;
    await this.writer.execute(
      accountId,
      { type: 'NoteDealFact', data: { dealId, sourceEventId: recorded.id, fact, occurredAt } },
      meta,
      idsFromCause(accountId, `${recorded.id}:fact`),
    );
  }

  /** The account (after merges) of a deal, opened for it when new. */
  private async accountOf(dealId: string, opened: { opening: DealOpening; imported: boolean } | undefined, meta: AccountCommandMeta): Promise<string> {
    const known = this.dealAccounts.get(dealId);
    if (known) return this.writer.survivorOf(known);
    const { opening, imported } = opened ?? (await this.openingOf(dealId));
    const origin: AccountOrigin = opening.accountId ? 'DEAL' : imported ? 'IMPORT' : 'MIGRATION';
    const accountId = await this.writer.ensureForDeal(opening, meta, origin);
    if (this.dealAccounts.size >= DEAL_CACHE_LIMIT) this.dealAccounts.clear();
    this.dealAccounts.set(dealId, accountId);
    return accountId;
  }

  private async openingOf(dealId: string): Promise<{ opening: DealOpening; imported: boolean }> {
    const [first] = await this.options.store.readStream(dealStreamId(dealId), { maxCount: 1 });
    if (!first || !OPENINGS.includes(first.type)) throw new Error(`deal ${dealId} has no DealOpened or DealImported at revision 0`);
    return { opening: first.data as DealOpening, imported: first.type === 'DealImported' };
  }

  private async checkpoint(): Promise<CheckpointPosition> {
    const result = await this.options.pool.query<{ position: string }>(
      `INSERT INTO process_checkpoints (process, position) VALUES ($1, 'start')
       ON CONFLICT (process) DO UPDATE SET process = EXCLUDED.process
       RETURNING position`,
      [ACCOUNT_REACTOR],
    );
    return parseCheckpoint(result.rows[0].position);
  }

  /** Only forward: a second reactor that is behind (or a replay from start) never moves it back. */
  private async saveCheckpoint(position: GlobalPosition, events: number): Promise<void> {
    const current = await this.checkpoint();
    if (current !== 'start' && !isAfter(position, current)) return;
    await this.options.pool.query(
      `UPDATE process_checkpoints SET position = $2, events_processed = events_processed + $3, updated_at = now()
        WHERE process = $1 AND position = $4`,
      [ACCOUNT_REACTOR, checkpointText(position), events, checkpointText(current)],
    );
  }

  /** Waits until the feed has something after the checkpoint (or the reactor is stopped). */
  private async waitForNews(): Promise<void> {
    const from = await this.checkpoint();
    const subscription = this.options.store.subscribeToAll({
      from,
      filter: { streamPrefixes: [DEAL_STREAM_PREFIX], eventTypes: [...ACCOUNT_REACTOR_EVENT_TYPES] },
    });
    const stop = () => void subscription.stop();
    this.stopping.signal.addEventListener('abort', stop);
    // Stopped before the listener was in place: it would never fire.
    if (this.stopping.signal.aborted) stop();
    try {
      for await (const _ of subscription) break;
    } finally {
      this.stopping.signal.removeEventListener('abort', stop);
      await subscription.stop();
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}

/** The deal fact an event carries for its account, if any. */
export function factOf(recorded: Pick<RecordedEvent, 'type' | 'data'>): DealFact | null {
  // The importers' stage change is read by its stored shape (see ACCOUNT_REACTOR_EVENT_TYPES).
  if (recorded.type === 'StageChangeImported') {
    return (recorded.data as { to?: string }).to === 'WON' ? { kind: 'DEAL_WON' } : null;
  }
  const event = { type: recorded.type, data: recorded.data } as DealEvent;
  switch (event.type) {
    case 'StageAdvanced':
      return event.data.to === 'WON' ? { kind: 'DEAL_WON' } : null;
    case 'CompetitorRecorded':
      return { kind: 'COMPETITOR_RECORDED', competitor: event.data.name };
    case 'DealLost':
      return event.data.competitor ? { kind: 'LOST_TO_COMPETITOR', competitor: event.data.competitor, reason: event.data.reason } : null;
    default:
      return null;
  }
}

function isAfter(a: GlobalPosition, b: GlobalPosition): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}
