import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { GlobalPosition } from '@funnel/event-store/global-position';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import {
  DEAL_STAGE_CHANGED_OUTBOUND,
  STAGE_CHANGE_OWN_ATTRIBUTES,
} from '@funnel/integration/contract/deal-stage-changed.outbound';
import { MessageFilter } from '@funnel/integration/contract/message-filter';
import { OutboundFeed } from '@funnel/integration/feed/outbound-feed';
import { SseResponse, streamSse } from '@funnel/integration/sse/sse-session';
import { Actor } from '../auth/actor';

/** Roles that may hold a stream open (the JSON feed also serves auditors and managers). */
const SSE_ROLES = ['service', 'analyst'] as const;

/**
 * `GET /v1/feeds/stage-changes` as Server-Sent Events: each connection follows the store's feed
 * from its own position (Last-Event-ID or ?after=), so a reconnecting client gets exactly what it
 * missed. Nothing is pushed from command handlers.
 */
@Injectable()
export class StageChangeSseService {
  private readonly logger = new Logger('StageChangeSse');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FUNNEL_RUNTIME) private readonly runtime: FunnelRuntime,
  ) {}

  assertMayStream(actor: Actor | undefined): void {
    if (actor && actor.roles.some((role) => (SSE_ROLES as readonly string[]).includes(role))) return;
    throw new ForbiddenException({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: `the event stream needs one of the roles ${SSE_ROLES.join(', ')}; the token has ${actor?.roles.join(', ') || 'none'}`,
    });
  }

  async stream(response: SseResponse, from: GlobalPosition | 'start', filter: MessageFilter): Promise<void> {
    const feed = new OutboundFeed(this.store, DEAL_STAGE_CHANGED_OUTBOUND, from, filter, STAGE_CHANGE_OWN_ATTRIBUTES);
    await streamSse(response, feed, {
      heartbeatMs: this.runtime.config.SSE_HEARTBEAT_SECONDS * 1000,
      retryMs: 3000,
      onClose: () => void feed.stop(),
      onError: (error) => this.logger.warn(`an SSE stream ended on an error (the client resumes by Last-Event-ID): ${error instanceof Error ? error.message : String(error)}`),
    });
  }
}
