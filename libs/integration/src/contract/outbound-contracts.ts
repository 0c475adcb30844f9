import { ACCOUNT_PHASE_CHANGED_OUTBOUND } from './account-phase-changed.outbound';
import { DEAL_STAGE_CHANGED_OUTBOUND } from './deal-stage-changed.outbound';
import { OutboundContract } from './outbound-contract';

/** Every public contract the webhook worker and the NATS publisher carry, the default first. */
export const OUTBOUND_CONTRACTS: readonly OutboundContract[] = [DEAL_STAGE_CHANGED_OUTBOUND, ACCOUNT_PHASE_CHANGED_OUTBOUND];

export function findOutboundContract(schema: string): OutboundContract | undefined {
  return OUTBOUND_CONTRACTS.find((c) => c.schema === schema);
}
