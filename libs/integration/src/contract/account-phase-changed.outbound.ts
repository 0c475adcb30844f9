import { ACCOUNT_PHASE_CHANGED_V1, AccountPhaseChangedV1 } from '@funnel/contracts/account-phase-changed.v1';
import { toAccountPhaseChangedV1 } from '@funnel/contracts/to-account-phase-changed';
import { ACCOUNT_STREAM_PREFIX } from '@funnel/domain/account/account-identity';
import { OutboundContract } from './outbound-contract';

/**
 * `funnel.account.phase-changed/1` over the outbound paths (webhooks, NATS), routed by the
 * phase moved to; an account's changes keep their order. It carries what it filters on itself.
 */
export const ACCOUNT_PHASE_CHANGED_OUTBOUND: OutboundContract<AccountPhaseChangedV1> = {
  schema: ACCOUNT_PHASE_CHANGED_V1,
  subject: 'funnel.account.phase-changed',
  feedFilter: { streamPrefixes: [ACCOUNT_STREAM_PREFIX], eventTypes: ['PhaseChanged'] },
  ownAttributes: ['to'],
  reader: () => ({
    read: async (event) => {
      const body = toAccountPhaseChangedV1(event);
      if (!body) return null;
      return {
        schema: ACCOUNT_PHASE_CHANGED_V1,
        eventId: body.eventId,
        position: event.position,
        orderingKey: body.accountId,
        route: body.to,
        attributes: { to: body.to },
        body,
      };
    },
  }),
};
