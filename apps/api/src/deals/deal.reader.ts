import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { foldDeal } from '@funnel/domain/deal/deal.evolve';
import { DealView, dealView } from '@funnel/domain/deal/deal.view';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from '@funnel/domain/playbook/default-playbook';
import { TimeAxes, timeAxes, visibleOn } from '@funnel/domain/time/time-axes';
import { findAnchor, inclusionProof } from '@funnel/event-store/audit/anchor/anchor';
import { EVENT_STORE, EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { verifyChain } from '@funnel/event-store/hash-chain';
import { Actor } from '../auth/actor';
import { DealAccessPolicy } from '../auth/deal-access.policy';
import { DealNotFoundError } from './deal-api.errors';
import { DealStreamReader, dealEventOf } from './deal-stream.reader';
import { DealHistoryEventDto, DealHistoryPageDto, DealIntegrityDto, DealProofDto } from './dto/responses.dto';
import { VersionedResponse } from './versioned-response';

export type DealSnapshot = DealView & { revision: number; time: TimeAxes };

/** The two time axes of a query; either may be absent. */
export interface Axes {
  asOf?: Date;
  knownAt?: Date;
}

export interface HistoryFilters {
  types?: string[];
  occurredFrom?: Date;
  occurredTo?: Date;
  recordedFrom?: Date;
  recordedTo?: Date;
  actor?: string;
  /** Only events after this revision (the previous page's cursor). */
  after?: number;
  limit: number;
}

/**
 * Answers about one deal straight from its stream: the deal now or on either time axis, its
 * history, and whether its hash chain is intact. (Lists and analytics come from the read models.)
 */
@Injectable()
export class DealReader {
  constructor(
    private readonly streams: DealStreamReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: DealAccessPolicy,
  ) {}

  /**
   * The deal folded from the events visible on the axes: `asOf` keeps events that occurred by
   * then (business time), `knownAt` those recorded by then. Folded in recorded order either way.
   */
  async deal(actor: Actor, dealId: string, axes: Axes = {}): Promise<VersionedResponse<DealSnapshot>> {
    const all = await this.existingEvents(actor, dealId);
    const events = all.filter((e) => visibleOn(bitemporal(e), axes.asOf, axes.knownAt));
    const state = foldDeal(events.map(dealEventOf));
    const time = timeAxes(axes.asOf, axes.knownAt);
    if (state.status === 'none') {
      throw new DealNotFoundError(dealId, `the deal did not exist yet on the ${time.axis} axis (asOf ${time.asOf}, knownAt ${time.knownAt})`);
    }
    const playbook = PLAYBOOKS[state.playbookVersion] ?? DEFAULT_PLAYBOOK;
    const view = dealView(state, playbook, axes.asOf ?? axes.knownAt ?? new Date())!;
    const revision = maxRevision(events);
    return new VersionedResponse({ ...view, revision, time }, revision);
  }

  /**
   * The deal's events, oldest first, with who, why and where in the feed: those visible on the
   * axes, narrowed by the filters, one page at a time (cursor: the last revision shown).
   */
  async history(actor: Actor, dealId: string, axes: Axes, filters: HistoryFilters): Promise<VersionedResponse<DealHistoryPageDto>> {
    const all = await this.existingEvents(actor, dealId);
    const types = filters.types ? new Set(filters.types) : null;
    const matching = all.filter((e) => {
      const t = bitemporal(e);
      if (!visibleOn(t, axes.asOf, axes.knownAt)) return false;
      if (types && !types.has(e.type)) return false;
      if (!within(t.occurredAt, filters.occurredFrom, filters.occurredTo)) return false;
      if (!within(t.recordedAt, filters.recordedFrom, filters.recordedTo)) return false;
      if (filters.actor !== undefined && e.metadata.actor?.id !== filters.actor) return false;
      return filters.after === undefined || Number(e.revision) > filters.after;
    });
    const page = matching.slice(0, filters.limit);
    const more = matching.length > page.length;
    return new VersionedResponse(
      {
        dealId,
        time: timeAxes(axes.asOf, axes.knownAt),
        events: page.map(historyEvent),
        page: { limit: filters.limit, next: more ? Number(page[page.length - 1].revision) : null },
      },
      lastRevision(all),
    );
  }

  /**
   * Recomputes the deal's hash chain and compares its last event with the head the store keeps
   * apart from the events: any stored event changed or removed — the last one too — shows.
   */
  async integrity(actor: Actor, dealId: string): Promise<VersionedResponse<DealIntegrityDto>> {
    const [events, head] = await Promise.all([this.streams.read(dealId).then((s) => s.events), this.streams.head(dealId)]);
    if (events.length === 0 && !head) throw new DealNotFoundError(dealId);
    this.assertMayRead(actor, events);
    const result = verifyChain(events);
    const breaks: DealIntegrityDto['breaks'] = result.breaks.map((b) => ({ revision: Number(b.revision), eventId: b.eventId, reason: b.reason }));
    const last = events[events.length - 1];
    if (head && (!last || last.revision !== head.revision || (last.metadata.hash ?? null) !== head.hash)) {
      breaks.push({ revision: Number(head.revision), eventId: null, reason: 'head_mismatch' });
    }
    return new VersionedResponse(
      {
        valid: breaks.length === 0,
        events: result.events,
        headHash: result.headHash,
        storedHead: head ? { revision: Number(head.revision), hash: head.hash } : null,
        breaks,
      },
      last ? Number(last.revision) : -1,
    );
  }

  /**
   * The Merkle path from the deal's head, as an anchor fixed it, to that anchor's root. The leaf
   * carries the hash of the deal's event at the anchored revision *as stored now*, so the path
   * reaches the kept root only while the deal's history up to the anchor is untouched.
   */
  async proof(actor: Actor, dealId: string, root?: string): Promise<VersionedResponse<DealProofDto>> {
    const [events, anchor] = await Promise.all([this.existingEvents(actor, dealId), findAnchor(this.store, root)]);
    if (!anchor) {
      throw new NotFoundException({
        code: 'ANCHOR_NOT_FOUND',
        message: root ? `no anchor with root ${root}` : 'no anchor recorded yet (npm run funnel -- audit anchor)',
      });
    }
    const streamId = events[0].streamId;
    const anchored = anchor.leaves.find(([s]) => s === streamId);
    if (!anchored) {
      throw new NotFoundException({
        code: 'DEAL_NOT_ANCHORED',
        message: `anchor ${anchor.root} does not cover deal ${dealId} (opened after position ${anchor.coveredPosition})`,
      });
    }
    const revision = BigInt(anchored[1]);
    const upToAnchor = events.filter((e) => e.revision <= revision);
    const stored = upToAnchor.find((e) => e.revision === revision);
    const proof = inclusionProof(anchor, streamId, stored?.metadata.hash ?? '')!;
    return new VersionedResponse(
      { dealId, ...proof, chainValid: verifyChain(upToAnchor).valid && stored !== undefined },
      lastRevision(events),
    );
  }

  /** The deal's events, once the actor may read it. */
  private async existingEvents(actor: Actor, dealId: string): Promise<RecordedEvent[]> {
    const { events } = await this.streams.read(dealId);
    if (events.length === 0) throw new DealNotFoundError(dealId);
    this.assertMayRead(actor, events);
    return events;
  }

  /** Whether the actor may read the deal, judged as it stands now (a rep who gave it away no longer may). */
  private assertMayRead(actor: Actor, events: RecordedEvent[]): void {
    const now = foldDeal(events.map(dealEventOf));
    if (now.status !== 'none') this.access.assertMayAccess(actor, now, 'read');
  }
}

/** An event on both axes; one without occurredAt happened when it was recorded. */
function bitemporal(event: RecordedEvent): { occurredAt: Date; recordedAt: Date } {
  const occurredAt = (event.data as { occurredAt?: unknown } | null)?.occurredAt;
  return { occurredAt: typeof occurredAt === 'string' ? new Date(occurredAt) : event.recordedAt, recordedAt: event.recordedAt };
}

function within(at: Date, from: Date | undefined, to: Date | undefined): boolean {
  return (from === undefined || at.getTime() >= from.getTime()) && (to === undefined || at.getTime() < to.getTime());
}

export function historyEvent(event: RecordedEvent): DealHistoryEventDto {
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

function maxRevision(events: RecordedEvent[]): number {
  return events.reduce((max, e) => Math.max(max, Number(e.revision)), 0);
}
