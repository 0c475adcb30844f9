import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { DealEvent, dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { DEAL_STAGE_CHANGED_V1, DealStageChangedV1, StageChangeKind, StageOrLost } from './deal-stage-changed.v1';

type Change = Pick<DealStageChangedV1, 'kind' | 'from' | 'to' | 'skipped' | 'reason' | 'override' | 'competitor'>;

/** The public v1 form of a recorded stage change; null for any other event. */
export function toDealStageChangedV1(recorded: RecordedEvent): DealStageChangedV1 | null {
  const dealId = dealIdFromStream(recorded.streamId);
  if (!dealId) return null;
  const change = stageChangeOf({ type: recorded.type, data: recorded.data } as DealEvent);
  if (!change) return null;
  const data = recorded.data as { occurredAt: string };
  return {
    schema: DEAL_STAGE_CHANGED_V1,
    eventId: recorded.id,
    dealId,
    position: formatPosition(recorded.position),
    occurredAt: data.occurredAt,
    recordedAt: recorded.recordedAt.toISOString(),
    ...change,
    actor: recorded.metadata.actor?.id ?? null,
    correlationId: recorded.metadata.correlationId ?? null,
  };
}

function stageChangeOf(event: DealEvent): Change | null {
  const none = { skipped: [], reason: null, override: null, competitor: null };
  switch (event.type) {
    case 'DealOpened':
      return { ...none, kind: 'opened', from: null, to: 'TARGET' };
    case 'StageAdvanced': {
      const d = event.data;
      const kind: StageChangeKind = d.to === 'WON' ? 'won' : d.skipped.length > 0 ? 'skipped' : 'advanced';
      return {
        ...none,
        kind,
        from: d.from,
        to: d.to,
        skipped: [...d.skipped],
        reason: d.reason ?? null,
        override: d.override ? { by: d.override.by, reason: d.override.reason } : null,
      };
    }
    case 'StageRegressed':
      return { ...none, kind: 'regressed', from: event.data.from, to: event.data.to, reason: event.data.reason };
    case 'DealLost':
      return {
        ...none,
        kind: 'lost',
        from: event.data.from,
        to: 'LOST' as StageOrLost,
        reason: event.data.reason,
        competitor: event.data.competitor ?? null,
      };
    case 'DealReopened':
      return { ...none, kind: 'reopened', from: 'LOST', to: event.data.to, reason: event.data.reason ?? null };
    default:
      return null;
  }
}
