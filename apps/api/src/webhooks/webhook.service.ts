import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { parsePosition } from '@funnel/event-store/global-position';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '@funnel/integration/contract/deal-stage-changed.outbound';
import { isInwardAddress, targetUrlProblems } from '@funnel/integration/webhooks/webhook-target';
import { Viewer, WebhookDelivery, WebhookSubscription, WebhookSubscriptions } from '@funnel/integration/webhooks/webhook-subscriptions';
import { READ_MODEL_POOL } from '@funnel/read-models/projection/read-model-pool';
import { FUNNEL_RUNTIME, FunnelRuntime } from '@funnel/runtime/funnel-runtime';
import { Actor } from '../auth/actor';
import { fromMessageFilter, toMessageFilter, WebhookFilterDto } from './dto/webhook-filter.dto';
import { CreateWebhookDto, DeliveriesQuery, RedeliverDto } from './dto/webhook-requests.dto';

export type WebhookView = Omit<WebhookSubscription, 'filter'> & { filter: Required<WebhookFilterDto> };

/** Webhook subscriptions as the api manages them; the projector's worker delivers. */
@Injectable()
export class WebhookService {
  private readonly subscriptions: WebhookSubscriptions;

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FUNNEL_RUNTIME) private readonly runtime: FunnelRuntime,
  ) {
    this.subscriptions = new WebhookSubscriptions(pool);
  }

  async create(actor: Actor, body: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    await this.checkTarget(body.url);
    const position = body.after === undefined ? ((await this.store.headPosition()) ?? 'start') : body.after === '0' ? 'start' : parsePosition(body.after);
    const { subscription, secret } = await this.subscriptions.create({
      owner: actor.id,
      url: body.url,
      description: body.description ?? null,
      contract: DEAL_STAGE_CHANGED_OUTBOUND.schema,
      filter: toMessageFilter(body.filter),
      position,
    });
    return { ...view(subscription), secret };
  }

  async list(actor: Actor): Promise<WebhookView[]> {
    return (await this.subscriptions.list(viewerOf(actor))).map(view);
  }

  async find(actor: Actor, id: string): Promise<WebhookView> {
    return view(await this.existing(actor, id));
  }

  async setStatus(actor: Actor, id: string, status: 'active' | 'paused'): Promise<WebhookView> {
    const updated = await this.subscriptions.setStatus(id, viewerOf(actor), status, status === 'paused' ? `paused by ${actor.id}` : null);
    if (!updated) throw notFound(id);
    return view(updated);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.subscriptions.remove(id, viewerOf(actor)))) throw notFound(id);
  }

  async deliveries(actor: Actor, id: string, query: DeliveriesQuery): Promise<WebhookDelivery[]> {
    await this.existing(actor, id);
    return this.subscriptions.deliveries(id, { status: query.status, limit: query.limit, before: query.before });
  }

  async redeliver(actor: Actor, id: string, body: RedeliverDto): Promise<object> {
    await this.existing(actor, id);
    if (body.deliveryId !== undefined) {
      const delivery = await this.subscriptions.redeliverOne(id, body.deliveryId);
      if (!delivery) throw new NotFoundException({ statusCode: 404, code: 'NOT_FOUND', message: `subscription ${id} has no delivery ${body.deliveryId}` });
      return { delivery };
    }
    if (body.deadLetters) return { requeued: await this.subscriptions.requeueDead(id) };
    const after = body.after === '0' || body.after === undefined ? 'start' : parsePosition(body.after);
    return { position: await this.subscriptions.rewind(id, after) };
  }

  private async existing(actor: Actor, id: string): Promise<WebhookSubscription> {
    const found = await this.subscriptions.find(id, viewerOf(actor));
    if (!found) throw notFound(id);
    return found;
  }

  /** Refused at once what the worker would refuse on every call (the worker checks again). */
  private async checkTarget(url: string): Promise<void> {
    const allowPrivate = this.runtime.config.WEBHOOK_ALLOW_PRIVATE_TARGETS;
    const problems = targetUrlProblems(url, allowPrivate);
    if (problems.length === 0 && !allowPrivate) {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      if (!isIP(host)) {
        const addresses = await lookup(host, { all: true }).catch(() => null);
        if (!addresses) problems.push(`url: ${host} does not resolve`);
        else if (addresses.some((a) => isInwardAddress(a.address))) problems.push('url must not point at a private, loopback or link-local address');
      }
    }
    if (problems.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: problems.map((p) => (p.startsWith('url') ? p : `url: ${p}`)),
        errors: [{ field: 'url', messages: problems }],
      });
    }
  }
}

/** A manager sees every subscription; a service only those it registered. */
function viewerOf(actor: Actor): Viewer {
  return actor.roles.includes('manager') ? null : actor.id;
}

function view(subscription: WebhookSubscription): WebhookView {
  return { ...subscription, filter: fromMessageFilter(subscription.filter) };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, code: 'NOT_FOUND', message: `no webhook subscription ${id}` });
}
