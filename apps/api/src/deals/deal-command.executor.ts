import { Inject, Injectable } from '@nestjs/common';
import { DealCommand } from '@funnel/domain/deal/deal.commands';
import { decide } from '@funnel/domain/deal/deal.decide';
import { DEAL_EVENT_SCHEMA_VERSION, DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { evolve, foldDeal } from '@funnel/domain/deal/deal.evolve';
import { DealState } from '@funnel/domain/deal/deal.state';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from '@funnel/domain/playbook/default-playbook';
import { Playbook } from '@funnel/domain/playbook/playbook';
import { WrongExpectedVersionError } from '@funnel/event-store/event-store.errors';
import { EVENT_STORE, EventStore, EventToAppend, RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { Actor } from '../auth/actor';
import { DealAccessPolicy } from '../auth/deal-access.policy';
import { ApiMetrics } from '../metrics/api-metrics';
import { CommandEnvelope, DealCommandResult } from './command-envelope';
import { ConcurrentChangeError, DealNotFoundError } from './deal-api.errors';
import { DealRequest, commandFor, openDealCommand } from './deal-request';
import { DealStreamReader, dealEventOf, revisionNumber } from './deal-stream.reader';
import { FoldedDeal, FoldedDealCache } from './folded-deal.cache';

/** Without If-Match, a command that lost a race is re-read and re-decided this many times. */
export const MAX_CONCURRENCY_RETRIES = 3;

/** The ids a command's events get: random, or derived from an Idempotency-Key. */
export interface EventIds {
  idFor(index: number): string;
  /** Derived ids: events already stored under them mean the command already ran. */
  deterministic: boolean;
}

/** What a command decided on a deal as it stood at `revision`. */
interface Decision {
  command: DealCommand;
  events: DealEvent[];
}

/**
 * One command against one deal: load the stream, fold, decide, append with the revision
 * loaded. Every deal command takes this path; the decider holds the rules.
 *
 * A deal this process folded before is taken from the cache (FoldedDealCache) instead of
 * read: only an append the store accepts at the cached revision — proof that nothing was
 * appended since — ends a command decided on it. Any other outcome (a refusal, nothing to
 * record, an If-Match that differs, a lost race) is decided again on the stream read anew.
 */
@Injectable()
export class DealCommandExecutor {
  constructor(
    private readonly streams: DealStreamReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: DealAccessPolicy,
    private readonly metrics: ApiMetrics,
    private readonly cache: FoldedDealCache,
  ) {}

  async execute(dealId: string, request: DealRequest, envelope: CommandEnvelope, eventIds: EventIds): Promise<DealCommandResult> {
    const streamId = dealStreamId(dealId);
    // Derived event ids: the stream itself says whether this request ran before; read it.
    const cached = eventIds.deterministic ? undefined : this.cache.get(streamId);
    if (cached) {
      const result = await this.fromCache(dealId, cached, request, envelope, eventIds);
      this.metrics.dealCache.inc({ outcome: result ? 'hit' : 'stale' });
      if (result) return result;
      this.cache.forget(streamId);
    } else if (request.type !== 'OpenDeal') {
      this.metrics.dealCache.inc({ outcome: 'miss' });
    }
    return this.fromStream(dealId, request, envelope, eventIds);
  }

  /** The command decided on the cached deal, if the store takes its events at the cached revision. */
  private async fromCache(dealId: string, cached: FoldedDeal, request: DealRequest, envelope: CommandEnvelope, eventIds: EventIds): Promise<DealCommandResult | undefined> {
    let decision: Decision;
    try {
      decision = this.decide(dealId, request, envelope, cached.state, revisionNumber(cached.revision));
    } catch {
      return undefined; // a refusal is only ever given on the stream as stored
    }
    if (decision.events.length === 0) return undefined;
    try {
      return await this.append(dealId, cached, decision, envelope, eventIds);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw error;
    }
  }

  private async fromStream(dealId: string, request: DealRequest, envelope: CommandEnvelope, eventIds: EventIds): Promise<DealCommandResult> {
    for (let retry = 0; ; retry++) {
      const stream = await this.streams.read(dealId);
      // Crash safety: an earlier run of this very request appended and died before answering.
      const earlier = eventIds.deterministic ? appendedEarlier(stream.events, eventIds) : undefined;
      if (earlier) return resultOf(dealId, earlier);

      const deal = { streamId: stream.streamId, revision: stream.revision, state: foldDeal(stream.events.map(dealEventOf)) };
      if (!eventIds.deterministic) this.cache.remember(deal);
      const decision = this.decide(dealId, request, envelope, deal.state, revisionNumber(deal.revision));
      // Nothing new to record (e.g. a condition confirmed twice): answer with the deal as it is.
      if (decision.events.length === 0) return resultOf(dealId, stream.events[stream.events.length - 1]);

      try {
        return await this.append(dealId, deal, decision, envelope, eventIds);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        this.cache.forget(stream.streamId);
        // If-Match asked for exactly that revision: a lost race is the caller's to resolve.
        if (envelope.expectedRevision === undefined && retry < MAX_CONCURRENCY_RETRIES) continue;
        throw new ConcurrentChangeError(dealId, revisionNumber(stream.revision), revisionNumber(error.actual));
      }
    }
  }

  /**
   * The part of a command without I/O: on the deal as folded at revision `actual`, check access
   * and If-Match, decide with the deal's playbook, and give the events exactly as they are
   * appended (ids, envelope metadata). The demo pipeline decides a whole story with it.
   */
  decideOn(dealId: string, request: DealRequest, state: DealState, actual: number | 'no_stream', envelope: CommandEnvelope, eventIds: EventIds): EventToAppend[] {
    const { command, events } = this.decide(dealId, request, envelope, state, actual);
    return events.map((event, index) => toAppend(event, index, command, envelope, eventIds));
  }

  /** The events the command makes on the deal as it stood at revision `actual`; throws a refusal. */
  private decide(dealId: string, request: DealRequest, envelope: CommandEnvelope, state: DealState, actual: number | 'no_stream'): Decision {
    const command = commandOn(dealId, request, state);
    this.assertMayAccess(envelope.actor, request, state);
    if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== actual) {
      throw new ConcurrentChangeError(dealId, envelope.expectedRevision, actual);
    }
    const events = decide(command, state, {
      now: new Date(),
      actor: { id: envelope.actor.id, roles: envelope.actor.roles },
      playbook: playbookOf(state),
    });
    return { command, events };
  }

  /** Appends at the deal's revision (the store refuses if the stream moved since); caches the deal after. */
  private async append(dealId: string, deal: FoldedDeal, { command, events }: Decision, envelope: CommandEnvelope, eventIds: EventIds): Promise<DealCommandResult> {
    const toStore = events.map((event, index) => toAppend(event, index, command, envelope, eventIds));
    const appended = await this.store.appendToStream(deal.streamId, toStore, { expectedRevision: deal.revision });
    this.metrics.eventsAppended.inc(events.length);
    if (eventIds.deterministic) {
      // The store may have answered with a replay of events an earlier run decided: not ours to fold.
      this.cache.forget(deal.streamId);
    } else {
      // What a read would give back: the data as stored (JSON), upcast as read.
      const stored = toStore.map((e) => dealEventOf({ type: e.type, data: JSON.parse(JSON.stringify(e.data)), metadata: e.metadata } as RecordedEvent));
      this.cache.remember({ streamId: deal.streamId, revision: appended.nextExpectedRevision, state: stored.reduce(evolve, deal.state) });
    }
    return {
      dealId,
      revision: Number(appended.nextExpectedRevision),
      position: formatPosition(appended.position),
    };
  }

  /** The ownership rules of the role matrix, on the deal as it stands (the route checked the role). */
  private assertMayAccess(actor: Actor, request: DealRequest, state: DealState): void {
    if (request.type === 'OpenDeal') return this.access.assertMayOpen(actor, request.data);
    if (state.status === 'none') return;
    this.access.assertMayAccess(actor, state, request.type === 'ConfirmPayment' ? 'payment' : 'command');
  }
}

function commandOn(dealId: string, request: DealRequest, state: DealState): DealCommand {
  if (request.type === 'OpenDeal') return openDealCommand(dealId, request);
  if (state.status === 'none') throw new DealNotFoundError(dealId);
  return commandFor(request, state);
}

function toAppend(event: DealEvent, index: number, command: DealCommand, envelope: CommandEnvelope, ids: EventIds): EventToAppend {
  const { actor } = envelope;
  return {
    id: ids.idFor(index),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      actor: { id: actor.id, name: actor.name, roles: actor.roles },
      command: command.type,
      schemaVersion: DEAL_EVENT_SCHEMA_VERSION[event.type],
    },
  };
}

/** The deal's own playbook version (the rules it was opened under); new deals get the default. */
function playbookOf(state: DealState): Playbook {
  if (state.status === 'none') return DEFAULT_PLAYBOOK;
  return PLAYBOOKS[state.playbookVersion] ?? DEFAULT_PLAYBOOK;
}

/** The last of the events this request appended before, if it did. */
function appendedEarlier(events: RecordedEvent[], ids: EventIds): RecordedEvent | undefined {
  const byId = new Map(events.map((e) => [e.id, e]));
  let last: RecordedEvent | undefined;
  for (let index = 0; byId.has(ids.idFor(index)); index++) last = byId.get(ids.idFor(index));
  return last;
}

function resultOf(dealId: string, last: RecordedEvent): DealCommandResult {
  return { dealId, revision: Number(last.revision), position: formatPosition(last.position) };
}
