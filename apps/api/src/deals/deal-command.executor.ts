import { Inject, Injectable } from '@nestjs/common';
import { DealCommand } from '@funnel/domain/deal/deal.commands';
import { decide } from '@funnel/domain/deal/deal.decide';
import { DEAL_EVENT_SCHEMA_VERSION, DealEvent } from '@funnel/domain/deal/deal.events';
import { foldDeal } from '@funnel/domain/deal/deal.evolve';
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

/** Without If-Match, a command that lost a race is re-read and re-decided this many times. */
export const MAX_CONCURRENCY_RETRIES = 3;

/** The ids a command's events get: random, or derived from an Idempotency-Key. */
export interface EventIds {
  idFor(index: number): string;
  /** Derived ids: events already stored under them mean the command already ran. */
  deterministic: boolean;
}

/**
 * One command against one deal: load the stream, fold, decide, append with the revision
 * loaded. Every deal command takes this path; the decider holds the rules.
 */
@Injectable()
export class DealCommandExecutor {
  constructor(
    private readonly streams: DealStreamReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: DealAccessPolicy,
    private readonly metrics: ApiMetrics,
  ) {}

  async execute(dealId: string, request: DealRequest, envelope: CommandEnvelope, eventIds: EventIds): Promise<DealCommandResult> {
    for (let retry = 0; ; retry++) {
      const stream = await this.streams.read(dealId);
      // Crash safety: an earlier run of this very request appended and died before answering.
      const earlier = eventIds.deterministic ? appendedEarlier(stream.events, eventIds) : undefined;
      if (earlier) return resultOf(dealId, earlier);

      const state = foldDeal(stream.events.map(dealEventOf));
      const actual = revisionNumber(stream.revision);
      const events = this.decideOn(dealId, request, state, actual, envelope, eventIds);
      // Nothing new to record (e.g. a condition confirmed twice): answer with the deal as it is.
      if (events.length === 0) return resultOf(dealId, stream.events[stream.events.length - 1]);

      try {
        const appended = await this.store.appendToStream(stream.streamId, events, { expectedRevision: stream.revision });
        this.metrics.eventsAppended.inc(events.length);
        return {
          dealId,
          revision: Number(appended.nextExpectedRevision),
          position: formatPosition(appended.position),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // If-Match asked for exactly that revision: a lost race is the caller's to resolve.
        if (envelope.expectedRevision === undefined && retry < MAX_CONCURRENCY_RETRIES) continue;
        throw new ConcurrentChangeError(dealId, actual, revisionNumber(error.actual));
      }
    }
  }

  /**
   * The part of a command without I/O: on the deal as folded at revision `actual`, check access
   * and If-Match, decide with the deal's playbook, and give the events exactly as they are
   * appended (ids, envelope metadata). The demo pipeline decides a whole story with it.
   */
  decideOn(dealId: string, request: DealRequest, state: DealState, actual: number | 'no_stream', envelope: CommandEnvelope, eventIds: EventIds): EventToAppend[] {
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
    return events.map((event, index) => toAppend(event, index, command, envelope, eventIds));
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
