import { DealStageChangedV1, DEAL_STAGE_CHANGED_V1 } from '@funnel/contracts/deal-stage-changed.v1';
import { toDealStageChangedV1 } from '@funnel/contracts/to-deal-stage-changed';
import { DEAL_STREAM_PREFIX, dealIdFromStream, STAGE_CHANGE_EVENT_TYPES } from '@funnel/domain/deal/deal.events';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { OutboundContract, OutboundMessage, OutboundReader } from './outbound-contract';

/** Attributes a stage change carries itself; team and owner are looked up (the contract has neither). */
export const STAGE_CHANGE_OWN_ATTRIBUTES = ['to'] as const;
export const STAGE_CHANGE_ATTRIBUTES = ['team', 'owner', 'to'] as const;

const OWNERSHIP_EVENT_TYPES = ['OwnerReassigned'] as const;

/** `funnel.deal.stage-changed/1` over the outbound paths, routed by the stage moved to. */
export const DEAL_STAGE_CHANGED_OUTBOUND: OutboundContract<DealStageChangedV1> = {
  schema: DEAL_STAGE_CHANGED_V1,
  subject: 'funnel.deal.stage-changed',
  feedFilter: {
    streamPrefixes: [DEAL_STREAM_PREFIX],
    eventTypes: [...STAGE_CHANGE_EVENT_TYPES, ...OWNERSHIP_EVENT_TYPES],
  },
  reader: (store, options) => new StageChangeReader(store, options.needsAttributes),
};

interface Ownership {
  owner: string;
  team: string;
}

/** Far more deals than a consumer sees live; past it the map starts over (lookups refill it). */
const MAX_TRACKED_DEALS = 100_000;

/**
 * Turns feed events into stage-changed messages with the deal's team and owner *as of the
 * change*: it follows DealOpened and OwnerReassigned in the feed, and for a deal first met in the
 * middle of its life (a consumer resuming from a checkpoint) folds the deal's stream up to the
 * change. Replaying the same feed therefore always filters the same way.
 */
class StageChangeReader implements OutboundReader<DealStageChangedV1> {
  private readonly ownership = new Map<string, Ownership>();

  constructor(
    private readonly store: EventStore,
    private readonly needsAttributes: boolean,
  ) {}

  async read(event: RecordedEvent): Promise<OutboundMessage<DealStageChangedV1> | null> {
    const dealId = dealIdFromStream(event.streamId)?.toLowerCase();
    if (!dealId) return null;
    if (event.type === 'OwnerReassigned') {
      const known = this.ownership.get(dealId);
      const data = event.data as { to: string; team?: string };
      if (known) this.remember(dealId, { owner: data.to, team: data.team ?? known.team });
      return null;
    }
    if (event.type === 'DealOpened') {
      const data = event.data as { owner: string; team: string };
      this.remember(dealId, { owner: data.owner, team: data.team });
    }
    const body = toDealStageChangedV1(event);
    if (!body) return null;
    const ownership = this.needsAttributes ? await this.ownershipAt(dealId, event) : this.ownership.get(dealId);
    return {
      schema: DEAL_STAGE_CHANGED_V1,
      eventId: body.eventId,
      position: event.position,
      orderingKey: dealId,
      route: body.to,
      attributes: { team: ownership?.team ?? null, owner: ownership?.owner ?? null, to: body.to },
      body,
    };
  }

  private async ownershipAt(dealId: string, event: RecordedEvent): Promise<Ownership | undefined> {
    const known = this.ownership.get(dealId);
    if (known) return known;
    // First met mid-life: fold who owned it from the stream, up to this very event.
    const history = await this.store.readStream(event.streamId, { fromRevision: 0n, maxCount: Number(event.revision) + 1 });
    let found: Ownership | undefined;
    for (const e of history) {
      if (e.type === 'DealOpened') {
        const d = e.data as { owner: string; team: string };
        found = { owner: d.owner, team: d.team };
      } else if (e.type === 'OwnerReassigned' && found) {
        const d = e.data as { to: string; team?: string };
        found = { owner: d.to, team: d.team ?? found.team };
      }
    }
    if (found) this.remember(dealId, found);
    return found;
  }

  private remember(dealId: string, ownership: Ownership): void {
    if (this.ownership.size >= MAX_TRACKED_DEALS && !this.ownership.has(dealId)) this.ownership.clear();
    this.ownership.set(dealId, ownership);
  }
}
