import request, { Response } from 'supertest';
import { TestActor, bearer } from '../../support/auth';

/** Thin helpers over supertest for the deal API, so specs read as the user's steps. */
export class DealApi {
  constructor(private readonly url: string) {}

  open(actor: TestActor, body: object = openDealBody(), headers: Record<string, string> = {}): Promise<Response> {
    return this.post('/v1/deals', actor, body, headers);
  }

  /** POST /v1/deals/:dealId/<path>. */
  command(dealId: string, path: string, actor: TestActor, body: object = {}, headers: Record<string, string> = {}): Promise<Response> {
    return this.post(`/v1/deals/${dealId}/${path}`, actor, body, headers);
  }

  get(path: string, actor: TestActor): Promise<Response> {
    return request(this.url).get(path).set('Authorization', bearer(actor));
  }

  /** Every event of the deal (one page of up to 1000), oldest first; `query` adds axes and filters. */
  async history(dealId: string, actor: TestActor, query = ''): Promise<HistoryEvent[]> {
    const res = await this.get(`/v1/deals/${dealId}/history?limit=1000${query ? `&${query}` : ''}`, actor);
    expect(res.status).toBe(200);
    return res.body.events as HistoryEvent[];
  }

  private post(path: string, actor: TestActor, body: object, headers: Record<string, string>): Promise<Response> {
    let req = request(this.url).post(path).set('Authorization', bearer(actor));
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req.send(body);
  }
}

export interface HistoryEvent {
  eventId: string;
  type: string;
  revision: number;
  recordedAt: string;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: {
    actor: { id: string; name?: string; roles?: string[] };
    correlationId: string;
    causationId: string;
    command: string;
    schemaVersion: number;
    prevHash: string | null;
    hash: string;
  };
  position: string;
}

export function openDealBody(): object {
  return {
    account: { name: 'Hangzhou Precision Castings', industry: 'manufacturing', region: 'East China', size: '200-500 employees' },
    owner: 'alice',
    team: 'east',
    amount: 120000,
    currency: 'EUR',
    source: 'trade fair',
  };
}

/** The codes of a 422's unmet criteria, in the order given. */
export function unmetCodes(res: Response): string[] {
  return (res.body.unmet as { code: string }[]).map((u) => u.code);
}
