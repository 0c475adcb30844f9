import request from 'supertest';
import { API_ROLES, ApiRole } from '../../apps/api/src/auth/actor';
import { ACTORS, bearer, OTHER_REP, TestActor, tokenFor } from '../support/auth';
import { StoreSize } from '../support/store-size';
import { startTestApp, TestApp } from '../support/test-app';
import { DealApi, openDealBody } from '../api/deals/deal-api.client';
import * as facts from '../api/deals/deal-facts';

type Operation = { 'x-roles'?: ApiRole[]; 'x-public'?: boolean; requestBody?: unknown };
type Document = { paths: Record<string, Record<string, Operation>> };

const SOME_DEAL = '00000000-0000-4000-8000-000000000001';

/** The role matrix of the README, cell by cell for every "no". */
describe('role matrix', () => {
  let t: TestApp;
  let api: DealApi;
  let store: StoreSize;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
    store = await StoreSize.of(t.db.url);
    doc = (await request(t.url).get('/docs-json')).body as Document;
  });
  afterAll(async () => {
    await store.close();
    await t.close();
  });

  const head = () => store.events();

  function operations(): { method: string; path: string; operation: Operation }[] {
    return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ method, path, operation })));
  }

  it('every route either names its roles or is public', () => {
    const undeclared = operations().filter(({ operation }) => !operation['x-public'] && !operation['x-roles']?.length);
    expect(undeclared.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).toEqual([]);
    expect(operations().length).toBeGreaterThan(30);
  });

  it('every role a route does not name gets 403 naming the rule, and nothing is appended', async () => {
    const before = await head();
    const wrong: string[] = [];
    let cells = 0;
    for (const { method, path, operation } of operations()) {
      const allowed = operation['x-roles'];
      if (!allowed) continue;
      for (const role of API_ROLES.filter((r) => !allowed.includes(r))) {
        cells++;
        const actor: TestActor = { sub: `only-${role}`, name: role, roles: [role], teams: ['*'] };
        const url = path.replace(/\{[^}]+\}/g, SOME_DEAL);
        const req = request(t.url)[method as 'get' | 'post'](url).set('Authorization', bearer(actor));
        const res = operation.requestBody ? await req.send({}) : await req;
        if (res.status !== 403 || !String(res.body.rule).startsWith('roles')) wrong.push(`${role} ${method.toUpperCase()} ${path} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(50);
    expect(await head()).toBe(before);
  });

  describe('ownership (OWNERSHIP_POLICY=own, the default)', () => {
    let aliceDeal: string;
    beforeAll(async () => {
      const opened = await api.open(ACTORS.rep);
      expect(opened.status).toBe(201);
      aliceDeal = opened.body.dealId as string;
    });

    async function refusedWith(send: () => Promise<request.Response>, rule: RegExp): Promise<void> {
      const before = await head();
      const res = await send();
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(res.body.rule).toMatch(rule);
      expect(res.body.message).toMatch(rule);
      expect(await head()).toBe(before);
    }

    it('a rep acts only on deals they own', async () => {
      await refusedWith(() => api.command(aliceDeal, 'interest', OTHER_REP, facts.interest), /rep\.owns-deal/);
    });

    it('a rep reads only deals they own, and not their history', async () => {
      await refusedWith(() => api.get(`/v1/deals/${aliceDeal}`, OTHER_REP), /rep\.owns-deal/);
      await refusedWith(() => api.get(`/v1/deals/${aliceDeal}/history`, OTHER_REP), /rep\.owns-deal/);
    });

    it('a rep in the same team is still refused unless OWNERSHIP_POLICY=team', async () => {
      await refusedWith(() => api.command(aliceDeal, 'interest', { ...OTHER_REP, teams: ['east'] }, facts.interest), /rep\.owns-deal/);
    });

    it('a rep opens deals only for themselves', async () => {
      await refusedWith(() => api.open(ACTORS.rep, { ...openDealBody(), owner: 'bob' }), /rep\.opens-own-deal/);
    });

    it('a manager without a teams claim, or with other teams, may not act on the deal or open one there', async () => {
      const noTeams: TestActor = { sub: 'max', name: 'Max', roles: ['manager'] };
      const westOnly: TestActor = { sub: 'wes', name: 'Wes', roles: ['manager'], teams: ['west'] };
      for (const manager of [noTeams, westOnly]) {
        await refusedWith(() => api.command(aliceDeal, 'interest', manager, facts.interest), /manager\.team-scope/);
        await refusedWith(() => api.open(manager, { ...openDealBody(), owner: 'alice' }), /manager\.team-scope/);
        await refusedWith(() => api.get(`/v1/deals/${aliceDeal}/integrity`, manager), /manager\.team-scope/);
      }
    });

    it('a manager with the deal\'s team (or "*") may, and a rep who gave the deal away no longer may', async () => {
      const eastManager: TestActor = { sub: 'eva', name: 'Eva', roles: ['manager'], teams: ['east'] };
      expect((await api.command(aliceDeal, 'interest', eastManager, facts.interest)).status).toBe(201);
      const deal = (await api.open(ACTORS.rep)).body.dealId as string;
      expect((await api.command(deal, 'owner', ACTORS.rep, { to: 'bob', reason: 'bob covers east now' })).status).toBe(201);
      await refusedWith(() => api.command(deal, 'interest', ACTORS.rep, facts.interest), /rep\.owns-deal/);
      expect((await api.command(deal, 'interest', OTHER_REP, facts.interest)).status).toBe(201);
    });

    it('finance reaches a payment on any deal, but no other command (a role "no")', async () => {
      const res = await api.command(aliceDeal, 'payment', ACTORS.finance, { amount: 1000, currency: 'EUR' });
      expect(res.status).not.toBe(403);
      await refusedWith(() => api.command(aliceDeal, 'shipment', ACTORS.finance, { shipmentId: 's-1' }), /roles: rep \| manager/);
    });
  });

  describe('OWNERSHIP_POLICY=team', () => {
    let teamApp: TestApp;
    beforeAll(async () => {
      teamApp = await startTestApp({ env: { OWNERSHIP_POLICY: 'team' } });
    });
    afterAll(async () => {
      await teamApp.close();
    });

    it("lets a rep act on their team's deals, and on no other team's", async () => {
      const teamApi = new DealApi(teamApp.url);
      const deal = (await teamApi.open(ACTORS.rep)).body.dealId as string;
      expect((await teamApi.command(deal, 'interest', { ...OTHER_REP, teams: ['east'] }, facts.interest)).status).toBe(201);
      const refused = await teamApi.command(deal, 'interest', OTHER_REP, facts.interest);
      expect(refused.status).toBe(403);
      expect(refused.body.rule).toMatch(/rep\.team-deal/);
    });
  });

  describe('bearer tokens', () => {
    const at = (token: string) => request(t.url).get('/v1/funnel').set('Authorization', `Bearer ${token}`);

    it('refuses a token without exp', async () => {
      const { JwtService } = await import('@nestjs/jwt');
      const { DEVELOPMENT_JWT_SECRET } = await import('@funnel/runtime/funnel-config');
      const forever = new JwtService({ secret: DEVELOPMENT_JWT_SECRET }).sign({ sub: 'ann', roles: ['analyst'] });
      const res = await at(forever);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/exp/);
    });

    it('refuses a token expired beyond the clock skew', async () => {
      expect((await at(tokenFor(ACTORS.analyst, '-60s'))).status).toBe(401);
    });

    it('checks iss and aud when configured', async () => {
      const settings = { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'funnel-api' };
      const checked = await startTestApp({ env: settings });
      try {
        const get = (token: string) => request(checked.url).get('/v1/funnel').set('Authorization', `Bearer ${token}`);
        expect((await get(tokenFor(ACTORS.analyst, '1h', settings))).status).toBe(200);
        expect((await get(tokenFor(ACTORS.analyst))).status).toBe(401);
        expect((await get(tokenFor(ACTORS.analyst, '1h', { ...settings, JWT_AUDIENCE: 'another-api' }))).status).toBe(401);
        expect((await get(tokenFor(ACTORS.analyst, '1h', { ...settings, JWT_ISSUER: 'https://evil.example' }))).status).toBe(401);
      } finally {
        await checked.close();
      }
    });
  });
});
