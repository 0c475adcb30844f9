import { PhaseChanged } from '@funnel/domain/account/account.events';
import { accountIdFromStream } from '@funnel/domain/account/account-identity';
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { ACCOUNT_PHASE_CHANGED_V1, AccountPhaseChangedV1 } from './account-phase-changed.v1';

/** The public v1 form of a recorded phase change; null for any other event. */
export function toAccountPhaseChangedV1(recorded: RecordedEvent): AccountPhaseChangedV1 | null {
  const accountId = accountIdFromStream(recorded.streamId);
  if (!accountId || recorded.type !== 'PhaseChanged') return null;
  const d = recorded.data as PhaseChanged['data'];
  return {
    schema: ACCOUNT_PHASE_CHANGED_V1,
    eventId: recorded.id,
    accountId,
    position: formatPosition(recorded.position),
    occurredAt: d.occurredAt,
    recordedAt: recorded.recordedAt.toISOString(),
    from: d.from,
    to: d.to,
    reason: d.reason,
    decidedBy: d.decidedBy,
    suggestionId: d.suggestionId ?? null,
    override: d.override ? { by: d.override.by, reason: d.override.reason } : null,
    evidence: d.evidence.map((e) => ({ note: e.note, dealId: e.dealId ?? null })),
    phaseRulesVersion: d.phaseRulesVersion,
    correlationId: recorded.metadata.correlationId ?? null,
  };
}
