import { Injectable } from '@nestjs/common';
import { foldDeal } from '@funnel/domain/deal/deal.evolve';
import { DealView, dealView } from '@funnel/domain/deal/deal.view';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from '@funnel/domain/playbook/default-playbook';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { verifyChain } from '@funnel/event-store/hash-chain';
import { Actor } from '../auth/actor';
import { DealAccessPolicy } from '../auth/deal-access.policy';
import { DealNotFoundError } from './deal-api.errors';
import { DealStreamReader, dealEventOf } from './deal-stream.reader';
import { DealHistoryEventDto, DealIntegrityDto } from './dto/responses.dto';
import { VersionedResponse } from './versioned-response';

export type DealSnapshot = DealView & { revision: number };

/**
 * Answers about one deal straight from its stream: the deal now or at an instant, its history,
 * and whether its hash chain is intact. (Lists and analytics come from the read models.)
 */
@Injectable()
export class DealReader {
  constructor(
    private readonly streams: DealStreamReader,
    private readonly access: DealAccessPolicy,
  ) {}

  /** The deal folded from its events; with `asOf`, only from those recorded at or before it. */
  async deal(actor: Actor, dealId: string, asOf?: Date): Promise<VersionedResponse<DealSnapshot>> {
    const all = await this.existingEvents(actor, dealId);
    const events = asOf ? all.filter((e) => e.recordedAt.getTime() <= asOf.getTime()) : all;
    const state = foldDeal(events.map(dealEventOf));
    if (state.status === 'none') throw new DealNotFoundError(dealId, `the deal did not exist yet at ${asOf?.toISOString()}`);
    const playbook = PLAYBOOKS[state.playbookVersion] ?? DEFAULT_PLAYBOOK;
    const view = dealView(state, playbook, asOf ?? new Date())!;
    const revision = Number(events[events.length - 1].revision);
    return new VersionedResponse({ ...view, revision }, revision);
  }

  /** Every event of the deal, oldest first, with who, why and where in the feed. */
  async history(actor: Actor, dealId: string): Promise<VersionedResponse<DealHistoryEventDto[]>> {
    const events = await this.existingEvents(actor, dealId);
    return new VersionedResponse(events.map(historyEvent), lastRevision(events));
  }

  /** Recomputes the deal's hash chain: any stored event changed or removed shows as a break. */
  async integrity(actor: Actor, dealId: string): Promise<VersionedResponse<DealIntegrityDto>> {
    const events = await this.existingEvents(actor, dealId);
    const result = verifyChain(events);
    return new VersionedResponse(
      {
        valid: result.valid,
        events: result.events,
        headHash: result.headHash,
        breaks: result.breaks.map((b) => ({ revision: Number(b.revision), eventId: b.eventId, reason: b.reason })),
      },
      lastRevision(events),
    );
  }

  /** The deal's events, once the actor may read it (as it stands now: a rep who gave it away no longer may). */
  private async existingEvents(actor: Actor, dealId: string): Promise<RecordedEvent[]> {
    const { events } = await this.streams.read(dealId);
    if (events.length === 0) throw new DealNotFoundError(dealId);
    const now = foldDeal(events.map(dealEventOf));
    if (now.status !== 'none') this.access.assertMayAccess(actor, now, 'read');
    return events;
  }
}

function historyEvent(event: RecordedEvent): DealHistoryEventDto {
  const { metadata } = event;
  const data = event.data as { occurredAt?: string };
  return {
    eventId: event.id,
    type: event.type,
    revision: Number(event.revision),
    recordedAt: event.recordedAt.toISOString(),
    occurredAt: data.occurredAt ?? event.recordedAt.toISOString(),
    data: event.data as object,
    metadata: {
      actor: metadata.actor ?? { id: 'unknown' },
      correlationId: metadata.correlationId ?? '',
      causationId: metadata.causationId ?? '',
      command: metadata.command ?? '',
      schemaVersion: metadata.schemaVersion ?? 1,
      prevHash: metadata.prevHash ?? null,
      hash: metadata.hash ?? '',
    },
    position: formatPosition(event.position),
  };
}

function lastRevision(events: RecordedEvent[]): number {
  return Number(events[events.length - 1].revision);
}
