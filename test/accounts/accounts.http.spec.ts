/**
 * Accounts over HTTP against the real app with its projector and account reactor: opening a
 * deal opens its account; its first WON makes the consolidation suggestion appear; a manager
 * accepts it; the account can be read as it stood before (asOf) and as it was known (knownAt).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request, { Response } from 'supertest';
import { accountIdFor } from '@funnel/domain/account/account-identity';
import { ACTORS, TestActor, bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import * as facts from '../api/deals/deal-facts';

describe('accounts over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ withProjector: true, withAccountReactor: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, actor: TestActor, body: object = {}): Promise<Response> =>
    request(t.url).post(path).set('Authorization', bearer(actor)).send(body);
  const get = (path: string, actor: TestActor = ACTORS.manager): Promise<Response> => request(t.url).get(path).set('Authorization', bearer(actor));

  async function openDeal(name: string, region = 'East China', extra: object = {}): Promise<string> {
    const res = await post('/v1/deals', ACTORS.manager, {
      account: { name, industry: 'Manufacturing', region },
      owner: 'mia',
      team: 'east',
      amount: 120000,
      currency: 'EUR',
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.dealId as string;
  }

  /** Skips to NEGOTIATION with a manager's override, then records what WON needs: no override into WON. */
  async function win(dealId: string): Promise<void> {
    const steps: [string, object, TestActor][] = [
      ['stage', { to: 'NEGOTIATION', override: { reason: 'signed elsewhere, recorded late' } }, ACTORS.manager],
      ['contract', facts.contract, ACTORS.manager],
      ['payment', facts.payment, ACTORS.finance],
      ['shipment', facts.shipment, ACTORS.manager],
      ['stage', { to: 'WON' }, ACTORS.manager],
    ];
    for (const [path, body, actor] of steps) {
      const res = await post(`/v1/deals/${dealId}/${path}`, actor, body);
      expect({ path, status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ path, status: 201, body: null });
    }
  }

  /** The reactor works from the feed, after the command answered: wait, boundedly, for what it appends. */
  async function eventually(path: string, until: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 600; i++) {
      const res = await get(path);
      if (res.status === 200) {
        body = res.body as Record<string, unknown>;
        if (until(body)) return body;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${path} never became as expected; last: ${JSON.stringify(body)}`);
  }

  it("opens the account of a new customer with the deal, and a deal's first WON makes the consolidation suggestion appear", async () => {
    const dealId = await openDeal('Ningbo Valve Works');
    const accountId = accountIdFor('Ningbo Valve Works', 'East China');
    const deal = await get(`/v1/deals/${dealId}`);
    expect(deal.body.accountId).toBe(accountId);

    const opened = await get(`/v1/accounts/${accountId}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ accountId, name: 'Ningbo Valve Works', phase: 'BREAKTHROUGH', origin: 'DEAL', status: 'active', pendingSuggestions: [] });

    await win(dealId);
    const suggested = await eventually(`/v1/accounts/${accountId}`, (b) => (b.pendingSuggestions as unknown[]).length > 0);
    const [suggestion] = suggested.pendingSuggestions as { suggestionId: string; to: string; ruleId: string; evidence: { dealId: string }[] }[];
    expect(suggestion).toMatchObject({ ruleId: 'FIRST_WIN', from: 'BREAKTHROUGH', to: 'CONSOLIDATION', status: 'pending' });
    expect(suggestion.evidence[0].dealId).toBe(dealId);
    expect(suggested.phase).toBe('BREAKTHROUGH'); // a suggestion, never a silent change

    // A rep may not decide phases; a manager accepts.
    expect((await post(`/v1/accounts/${accountId}/suggestions/${suggestion.suggestionId}/accept`, ACTORS.rep)).status).toBe(403);
    const beforeAcceptance = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const accepted = await post(`/v1/accounts/${accountId}/suggestions/${suggestion.suggestionId}/accept`, ACTORS.manager);
    expect(accepted.status).toBe(201);
    expect(accepted.headers.etag).toBe(`"${accepted.body.revision}"`);

    // The phase is folded from the account's stream; its deals come from the account_summary read model,
    // which the reactor's suggestion may have outrun: read our own write by waiting for its position.
    const now = await get(`/v1/accounts/${accountId}?waitFor=${accepted.body.position}`);
    expect(now.status).toBe(200);
    expect(now.headers['x-projection-behind']).toBeUndefined();
    expect(now.body.phase).toBe('CONSOLIDATION');
    expect(now.body.phaseHistory.map((s: { phase: string }) => s.phase)).toEqual(['BREAKTHROUGH', 'CONSOLIDATION']);
    expect(now.body.deals).toEqual([expect.objectContaining({ dealId, status: 'won', amount: '120000.00', currency: 'EUR' })]);

    // As it stood: business time before the acceptance, and as known before it was recorded.
    const asOf = await get(`/v1/accounts/${accountId}?asOf=${encodeURIComponent(beforeAcceptance)}`);
    expect(asOf.body).toMatchObject({ phase: 'BREAKTHROUGH', asOf: beforeAcceptance, knownAt: null });
    const knownAt = await get(`/v1/accounts/${accountId}?knownAt=${encodeURIComponent(beforeAcceptance)}`);
    expect(knownAt.body).toMatchObject({ phase: 'BREAKTHROUGH', knownAt: beforeAcceptance });
    expect((await get(`/v1/accounts/${accountId}?asOf=2000-01-01`)).status).toBe(404);
  });

  it('opens one account per normalised name and region, and deals may name it by id', async () => {
    const first = await openDeal('Suzhou  Motors Ltd.', 'East China');
    const second = await openDeal('SUZHOU MOTORS LTD', 'east china');
    const accountId = accountIdFor('Suzhou Motors Ltd', 'East China');
    const third = await post('/v1/deals', ACTORS.manager, { accountId, owner: 'mia', team: 'east', amount: 5000, currency: 'CNY' });
    expect(third.status).toBe(201);
    const account = await eventually(`/v1/accounts/${accountId}`, (b) => (b.deals as unknown[]).length === 3 && (b.dealIds as unknown[]).length === 3);
    expect((account.deals as { dealId: string }[]).map((d) => d.dealId).sort()).toEqual([first, second, third.body.dealId].sort());
    expect(account.dealIds).toHaveLength(3);

    const unknown = await post('/v1/deals', ACTORS.manager, { accountId: '00000000-0000-4000-8000-000000000000', owner: 'mia', team: 'east', amount: 5, currency: 'CNY' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ACCOUNT_NOT_FOUND');
    const neither = await post('/v1/deals', ACTORS.manager, { owner: 'mia', team: 'east', amount: 5, currency: 'CNY' });
    expect(neither.status).toBe(400);
  });

  it('lists accounts with phase, open pipeline and won to date per currency, filtered', async () => {
    await openDeal('Wuxi Bearings', 'East China', { amount: 1000, currency: 'EUR' });
    await openDeal('Wuxi Bearings', 'East China', { amount: 2000.5, currency: 'CNY' });
    const accountId = accountIdFor('Wuxi Bearings', 'East China');
    await post(`/v1/accounts/${accountId}/key-account`, ACTORS.manager, { keyAccount: true, reason: 'top 20' });
    const list = await eventually('/v1/accounts?keyAccount=true', (b) => (b.accounts as unknown[]).length === 1 && (b.accounts as { openDeals: number }[])[0].openDeals === 2);
    expect(list.accounts).toEqual([
      expect.objectContaining({ accountId, phase: 'BREAKTHROUGH', keyAccount: true, openPipeline: { CNY: '2000.50', EUR: '1000.00' }, wonToDate: {}, openDeals: 2, wonDeals: 0 }),
    ]);
    const harvest = await get('/v1/accounts?phase=HARVEST', ACTORS.analyst);
    expect(harvest.body.accounts).toEqual([]);
    const bad = await get('/v1/accounts?phase=GOLD&keyAccount=maybe&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toMatch(/phase[\s\S]*keyAccount[\s\S]*limit|limit[\s\S]*phase/);
    expect((await get('/v1/accounts', ACTORS.rep)).status).toBe(403);
  });

  it('changes phases by a manager through the gates, with every unmet criterion, and records key people', async () => {
    const open = await post('/v1/accounts', ACTORS.rep, { name: 'Jinan Steel', industry: 'Steel', region: 'North China', keyAccount: true });
    expect(open.status).toBe(201);
    const accountId = open.body.accountId as string;
    expect(accountId).toBe(accountIdFor('Jinan Steel', 'North China'));
    expect((await post('/v1/accounts', ACTORS.rep, { name: 'jinan steel', industry: 'Steel', region: 'North China' })).body.code).toBe('ACCOUNT_ALREADY_OPENED');

    const refused = await post(`/v1/accounts/${accountId}/phase`, ACTORS.manager, { to: 'CONSOLIDATION', reason: 'they like us' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'PHASE_GATE_NOT_MET', unmet: [{ code: 'CONSOLIDATION.DEAL_WON' }] });
    expect((await post(`/v1/accounts/${accountId}/phase`, ACTORS.rep, { to: 'DEFENCE', reason: 'x' })).status).toBe(403);
    const bad = await post(`/v1/accounts/${accountId}/phase`, ACTORS.manager, { to: 'GOLD' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['reason', 'to']);
    const defence = await post(`/v1/accounts/${accountId}/phase`, ACTORS.manager, { to: 'DEFENCE', reason: 'rival offered 30% off' });
    expect(defence.status).toBe(201);

    const person = await post(`/v1/accounts/${accountId}/key-people`, ACTORS.rep, { personId: 'p-1', name: 'Wang Li', title: 'CIO', roles: ['ECONOMIC_BUYER'], level: 'TRUSTING' });
    expect(person.status).toBe(201);
    expect((await post(`/v1/accounts/${accountId}/key-people`, ACTORS.rep, { personId: 'p-2', name: 'x', title: 'y', roles: ['SPONSOR'], level: 'FRIEND' })).status).toBe(400);
    const account = await get(`/v1/accounts/${accountId}`, ACTORS.auditor);
    expect(account.body).toMatchObject({ phase: 'DEFENCE', keyPeople: [expect.objectContaining({ personId: 'p-1', level: 'TRUSTING', roles: ['ECONOMIC_BUYER'] })] });
    expect((await get('/v1/accounts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('merges a duplicate into its survivor: both histories stay, the deals count as the survivor’s', async () => {
    const dupDeal = await openDeal('Qingdao Brewery Group', 'East China');
    const mainDeal = await openDeal('Qingdao Brewery', 'East China');
    const duplicate = accountIdFor('Qingdao Brewery Group', 'East China');
    const survivor = accountIdFor('Qingdao Brewery', 'East China');
    expect((await post(`/v1/accounts/${duplicate}/merge`, ACTORS.rep, { into: survivor, reason: 'same company' })).status).toBe(403);
    const merged = await post(`/v1/accounts/${duplicate}/merge`, ACTORS.manager, { into: survivor, reason: 'same company' });
    expect(merged.status).toBe(201);
    const again = await post(`/v1/accounts/${duplicate}/merge`, ACTORS.manager, { into: survivor, reason: 'same company' });
    expect(again.body.revision).toBe(merged.body.revision);

    expect((await get(`/v1/accounts/${duplicate}`)).body).toMatchObject({ status: 'merged', mergedInto: survivor, name: 'Qingdao Brewery Group' });
    const survivorView = await eventually(`/v1/accounts/${survivor}`, (b) => (b.deals as unknown[]).length === 2);
    expect(survivorView.absorbed).toEqual([duplicate]);
    expect((survivorView.deals as { dealId: string }[]).map((d) => d.dealId).sort()).toEqual([dupDeal, mainDeal].sort());

    // A new deal for the duplicate's name goes to the survivor.
    const later = await openDeal('Qingdao Brewery Group', 'East China');
    expect((await get(`/v1/deals/${later}`)).body.accountId).toBe(survivor);
  });

  it('serves phase changes as funnel.account.phase-changed/1 on a resumable feed, with its JSON Schema', async () => {
    const schema = await get('/v1/feeds/account-phase-changes/schema', ACTORS.analyst);
    const validate = addFormats(new Ajv2020({ allErrors: true })).compile(schema.body);
    const first = await get('/v1/feeds/account-phase-changes?limit=1000');
    expect(first.status).toBe(200);
    const changes = first.body.changes as { to: string; schema: string }[];
    expect(changes.map((c) => c.to)).toEqual(expect.arrayContaining(['CONSOLIDATION', 'DEFENCE']));
    for (const change of changes) expect(validate(change)).toBe(true);

    const resumed = await get(`/v1/feeds/account-phase-changes?after=${first.body.next}`);
    expect(resumed.body).toEqual({ schema: 'funnel.account.phase-changed/1', changes: [], next: first.body.next });

    // A long poll answers as soon as the next change is recorded.
    const accountId = accountIdFor('Jinan Steel', 'North China');
    const polling = get(`/v1/feeds/account-phase-changes?after=${first.body.next}&waitSeconds=20`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post(`/v1/accounts/${accountId}/phase`, ACTORS.manager, { to: 'BREAKTHROUGH', reason: 'lost them to Rival Soft' })).status).toBe(201);
    const next = await polling;
    expect(next.body.changes).toEqual([expect.objectContaining({ accountId, from: 'DEFENCE', to: 'BREAKTHROUGH', decidedBy: ACTORS.manager.sub })]);
    expect((await get('/v1/feeds/account-phase-changes?after=x&limit=0')).status).toBe(400);
    expect((await get('/v1/feeds/account-phase-changes', ACTORS.rep)).status).toBe(403);
  });

  it('gives phase dwell times and transitions in the analytics (account-phases/1)', async () => {
    const expected = [
      { from: 'BREAKTHROUGH', to: 'CONSOLIDATION', count: 1, viaSuggestion: 1, overridden: 0 },
      { from: 'BREAKTHROUGH', to: 'DEFENCE', count: 1, viaSuggestion: 0, overridden: 0 },
      { from: 'DEFENCE', to: 'BREAKTHROUGH', count: 1, viaSuggestion: 0, overridden: 0 },
    ];
    const body = await eventually('/v1/analytics/account-phases', (b) => JSON.stringify(b.transitions) === JSON.stringify(expected));
    expect(body.metricDefinitionVersion).toBe('account-phases/1');
    const dwell = body.dwell as { phase: string; ended: { n: number }; openStays: number }[];
    expect(dwell.map((p) => p.phase)).toEqual(['BREAKTHROUGH', 'CONSOLIDATION', 'HARVEST', 'DEFENCE']);
    expect(dwell.find((p) => p.phase === 'DEFENCE')!.ended.n).toBe(1);
    expect(dwell.find((p) => p.phase === 'CONSOLIDATION')!.openStays).toBe(1);

    const before = await get('/v1/analytics/account-phases?asOf=2000-01-01', ACTORS.analyst);
    expect(before.body.transitions).toEqual([]);
    expect((await get('/v1/analytics/account-phases?asOf=yesterday&keyAccount=1')).status).toBe(400);
  });
});
