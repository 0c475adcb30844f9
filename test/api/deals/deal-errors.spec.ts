import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import request from 'supertest';
import { DEVELOPMENT_JWT_SECRET } from '@funnel/runtime/funnel-config';
import { ACTORS, tokenFor } from '../../support/auth';
import { IdempotencyKeyJanitor } from '../../../apps/api/src/idempotency/idempotency-key.janitor';
import { startTestApp, TestApp } from '../../support/test-app';
import { DealApi, openDealBody, unmetCodes } from './deal-api.client';
import * as facts from './deal-facts';

/** One test per error class the command API answers, and the idempotency guarantees. */
describe('deal command API errors', () => {
  let t: TestApp;
  let api: DealApi;

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  async function openDeal(): Promise<string> {
    const res = await api.open(ACTORS.rep);
    expect(res.status).toBe(201);
    return res.body.dealId as string;
  }

  async function historyLength(dealId: string): Promise<number> {
    return (await api.history(dealId, ACTORS.auditor)).length;
  }

  describe('400 bad input', () => {
    it('lists every bad field, nested ones by their path', async () => {
      const res = await api.open(ACTORS.rep, {
        account: { name: '', industry: 42 },
        owner: 'alice',
        amount: -5,
        currency: 'euro',
        occurredAt: 'yesterday',
        discount: 10,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(
        ['account.industry', 'account.name', 'account.region', 'amount', 'currency', 'discount', 'occurredAt', 'team'].sort(),
      );
      expect(res.body.message).toEqual(expect.arrayContaining(['account.region: region should not be null or undefined']));
    });

    it('reaches into arrays of nested objects and checks playbook enums', async () => {
      const dealId = await openDeal();
      const res = await api.command(dealId, 'visits', ACTORS.rep, {
        visitId: 'v-1',
        preparation: {
          ...facts.visit.preparation,
          durationMinutes: -10,
          customerAttendees: [{ name: 'Wang Lei', department: 'Ops', title: 'Plant manager' }, { department: 'IT' }],
        },
        review: { ...facts.visitReview, goalReached: 'yes', followUps: [{ action: 'call', due: '2026-02-30' }] },
      });
      expect(res.status).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(
        [
          'preparation.durationMinutes',
          'preparation.customerAttendees.1.name',
          'preparation.customerAttendees.1.title',
          'review.goalReached',
          'review.followUps.0.due',
        ].sort(),
      );

      const stage = await api.command(dealId, 'stage', ACTORS.rep, { to: 'SOMEWHERE', override: { reason: '' } });
      expect(stage.status).toBe(400);
      expect((stage.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['override.reason', 'to']);
      expect(await historyLength(dealId)).toBe(1);
    });

    it('answers blank text with 400 naming every blank field, not with a 422 naming the first', async () => {
      const open = await api.open(ACTORS.rep, { ...openDealBody(), owner: '   ', team: '\t' });
      expect(open.status).toBe(400);
      expect((open.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['owner', 'team']);

      const dealId = await openDeal();
      const stakeholder = await api.command(dealId, 'stakeholders', ACTORS.rep, { personId: ' ', name: ' ', title: 'CFO', department: 'Finance', roles: ['COACH'] });
      expect(stakeholder.status).toBe(400);
      expect((stakeholder.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['name', 'personId']);

      const quote = await api.command(dealId, 'quotes', ACTORS.rep, { ...facts.preliminaryQuote, quoteId: ' ' });
      expect(quote.status).toBe(400);
      expect((quote.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['quoteId']);
      expect(await historyLength(dealId)).toBe(1);
    });

    it('refuses amounts beyond what a ledger (or the read models) can hold, and a payment of nothing', async () => {
      const open = await api.open(ACTORS.rep, { ...openDealBody(), amount: 1e308 });
      expect(open.status).toBe(400);
      expect((open.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['amount']);

      const dealId = await openDeal();
      const quote = await api.command(dealId, 'quotes', ACTORS.rep, { ...facts.preliminaryQuote, amount: 1e16 });
      expect(quote.status).toBe(400);
      const visit = await api.command(dealId, 'visits', ACTORS.rep, { ...facts.visit, preparation: { ...facts.visit.preparation, durationMinutes: 1e300 } });
      expect(visit.status).toBe(400);
      expect((visit.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['preparation.durationMinutes']);
      const payment = await api.command(dealId, 'payment', ACTORS.finance, { ...facts.payment, amount: 0 });
      expect(payment.status).toBe(400);
      expect((payment.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['amount']);
      expect(await historyLength(dealId)).toBe(1);
    });

    it('refuses a criterion, milestone or category given twice as bad input', async () => {
      const dealId = await openDeal();
      const twice = await api.command(dealId, 'assessments', ACTORS.rep, {
        kind: 'REAL',
        criteria: ['REAL.1', 'REAL.1', 'REAL.2', 'REAL.3', 'REAL.4'].map((criterionId) => ({ criterionId, mark: '+' })),
      });
      expect(twice.status).toBe(400);
      expect((twice.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['criteria']);
      const milestones = await api.command(dealId, 'procurement-timetable', ACTORS.rep, {
        milestones: [{ milestoneId: 'RFP_ISSUED', date: '2026-05-01' }, { milestoneId: 'RFP_ISSUED', date: '2026-05-02' }],
      });
      expect(milestones.status).toBe(400);
      const categories = await api.command(dealId, 'evaluation-criteria', ACTORS.rep, {
        categories: [{ categoryId: 'TECHNOLOGY' }, { categoryId: 'TECHNOLOGY' }],
      });
      expect(categories.status).toBe(400);
      expect(await historyLength(dealId)).toBe(1);
    });

    it('answers 413, not 500, to a body too large to read', async () => {
      const res = await api.open(ACTORS.rep, { ...openDealBody(), source: 'x'.repeat(2_000_000) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('refuses a deal id that is not a uuid', async () => {
      const res = await api.command('not-a-uuid', 'interest', ACTORS.rep, facts.interest);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('401 without a valid token', () => {
    it('refuses a request without a token, and echoes the correlation id', async () => {
      const res = await request(t.url).post('/v1/deals').set('X-Correlation-Id', 'anon-1').send(openDealBody());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      expect(res.headers['x-correlation-id']).toBe('anon-1');
    });

    it('refuses a token signed with another secret, or expired', async () => {
      const forged = new JwtService({ secret: `${DEVELOPMENT_JWT_SECRET}-not` }).sign({ sub: 'eve', name: 'Eve', roles: ['manager'] });
      const expired = tokenFor(ACTORS.manager, '-10s');
      for (const token of [forged, expired, 'garbage']) {
        const res = await request(t.url).get('/v1/deals/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${token}`);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('keeps health, the playbook and the OpenAPI document public', async () => {
      expect((await request(t.url).get('/health')).status).toBe(200);
      const playbook = await request(t.url).get('/v1/playbook');
      expect(playbook.status).toBe(200);
      expect(playbook.body).toMatchObject({ version: '2026.1', labels: { en: expect.any(String), zh: expect.any(String) } });
      expect(playbook.body.stages.map((s: { key: string }) => s.key)).toEqual([
        'TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON', 'LOST',
      ]);
      const docs = await request(t.url).get('/docs-json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/deals', '/v1/deals/{dealId}/stage', '/v1/playbook']));
      expect(Object.keys(docs.body.paths['/v1/deals/{dealId}/stage'].post.responses).sort()).toEqual(
        ['201', '400', '401', '403', '404', '409', '413', '415', '422', '429'],
      );
      // Nested DTOs are documented as schemas of their own, not as dangling references.
      expect(JSON.stringify(docs.body)).not.toContain('"$ref":"#/components/schemas/"');
      expect(docs.body.components.schemas.RecordVisitDto.properties.preparation).toEqual({ $ref: '#/components/schemas/VisitPreparationDto' });
    });
  });

  describe('403 without the role', () => {
    it('refuses a command from an analyst, who may still read the deal', async () => {
      const dealId = await openDeal();
      const res = await api.command(dealId, 'interest', ACTORS.analyst, facts.interest);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect((await api.get(`/v1/deals/${dealId}`, ACTORS.analyst)).status).toBe(200);
      expect(await historyLength(dealId)).toBe(1);
    });
  });

  describe('404 unknown deal', () => {
    it('answers DEAL_NOT_FOUND to a command and to a query', async () => {
      const unknown = '6f1c1f3e-8d7a-4b7e-9a51-0c5d2f9b1e21';
      const command = await api.command(unknown, 'interest', ACTORS.rep, facts.interest);
      expect(command.status).toBe(404);
      expect(command.body).toEqual({ statusCode: 404, code: 'DEAL_NOT_FOUND', message: expect.any(String) });
      for (const path of ['', '/history', '/integrity']) {
        const query = await api.get(`/v1/deals/${unknown}${path}`, ACTORS.auditor);
        expect(query.status).toBe(404);
        expect(query.body.code).toBe('DEAL_NOT_FOUND');
      }
    });
  });

  describe('409 concurrent change', () => {
    it('refuses a command whose If-Match is stale, and appends nothing', async () => {
      const dealId = await openDeal();
      const first = await api.command(dealId, 'interest', ACTORS.rep, facts.interest, { 'If-Match': '"0"' });
      expect(first.status).toBe(201);
      expect(first.headers.etag).toBe('"1"');

      const stale = await api.command(dealId, 'problems', ACTORS.rep, facts.problem, { 'If-Match': '"0"' });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual({ statusCode: 409, code: 'CONCURRENT_CHANGE', message: expect.any(String), expected: 0, actual: 1 });
      expect(await historyLength(dealId)).toBe(2);

      const get = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
      expect(get.headers.etag).toBe('"1"');
    });

    it('lets exactly one of two commands with the same If-Match win', async () => {
      const dealId = await openDeal();
      const [a, b] = await Promise.all([
        api.command(dealId, 'competitors', ACTORS.rep, { name: 'Rival Systems' }, { 'If-Match': '"0"' }),
        api.command(dealId, 'competitors', ACTORS.rep, { name: 'Other Corp' }, { 'If-Match': '"0"' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect([a, b].find((r) => r.status === 409)!.body).toMatchObject({ code: 'CONCURRENT_CHANGE', expected: 0, actual: 1 });
      expect(await historyLength(dealId)).toBe(2);
    });

    it('without If-Match, re-reads and re-decides a command that lost a race', async () => {
      const dealId = await openDeal();
      const names = ['Rival Systems', 'Other Corp', 'Third Ltd'];
      const results = await Promise.all(names.map((name) => api.command(dealId, 'competitors', ACTORS.rep, { name })));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(results.map((r) => r.body.revision).sort()).toEqual([1, 2, 3]);
      const deal = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
      expect(deal.body.competitors.map((c: { name: string }) => c.name).sort()).toEqual([...names].sort());
    });
  });

  describe('422 refused by the playbook', () => {
    it('lists every unmet criterion of the gate', async () => {
      const dealId = await openDeal();
      await api.command(dealId, 'interest', ACTORS.rep, facts.interest);
      const res = await api.command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        statusCode: 422,
        code: 'GATE_NOT_MET',
        message: expect.any(String),
        unmet: [
          { code: 'POTENTIAL.VISIT_REVIEWED', message: expect.stringContaining('no visit recorded yet') },
          { code: 'POTENTIAL.PROFILE_CHARACTERISTICS', message: expect.stringContaining('no customer profile') },
        ],
      });
      expect(await historyLength(dealId)).toBe(2);
    });

    it('refuses an override from a rep', async () => {
      const dealId = await openDeal();
      const res = await api.command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL', override: { reason: 'I know them well' } });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('OVERRIDE_NOT_ALLOWED');
      expect(unmetCodes(res)).toEqual(['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
      expect(await historyLength(dealId)).toBe(1);
    });

    it("accepts a manager's override and records who, why and what was unmet", async () => {
      const dealId = await openDeal();
      const res = await api.command(dealId, 'stage', ACTORS.manager, {
        to: 'INTENT',
        override: { reason: 'existing customer, visit done last year' },
      });
      expect(res.status).toBe(201);
      const history = await api.history(dealId, ACTORS.auditor);
      const advanced = history[history.length - 1];
      expect(advanced).toMatchObject({
        type: 'StageAdvanced',
        data: {
          from: 'TARGET',
          to: 'INTENT',
          skipped: ['POTENTIAL'],
          override: { by: ACTORS.manager.sub, reason: 'existing customer, visit done last year' },
        },
        metadata: { actor: { id: ACTORS.manager.sub, roles: ['rep', 'manager'] }, command: 'AdvanceStage' },
      });
      expect((advanced.data.override as { unmetAtOverride: { code: string }[] }).unmetAtOverride.map((u) => u.code)).toEqual([
        'POTENTIAL.VISIT_REVIEWED',
        'POTENTIAL.PROFILE_CHARACTERISTICS',
        'INTENT.PROBLEM_ANALYSED',
        'INTENT.CUSTOMER_INTEREST',
      ]);
    });

    it('moves backwards with a reason (RegressStage), and not without one', async () => {
      const dealId = await openDeal();
      await api.command(dealId, 'stage', ACTORS.manager, { to: 'POTENTIAL', override: { reason: 'known account' } });
      const noReason = await api.command(dealId, 'stage', ACTORS.rep, { to: 'TARGET' });
      expect(noReason.status).toBe(422);
      expect(noReason.body.code).toBe('REASON_REQUIRED');
      const back = await api.command(dealId, 'stage', ACTORS.rep, { to: 'TARGET', reason: 'budget frozen' });
      expect(back.status).toBe(201);
      const history = await api.history(dealId, ACTORS.auditor);
      expect(history[history.length - 1]).toMatchObject({
        type: 'StageRegressed',
        data: { from: 'POTENTIAL', to: 'TARGET', reason: 'budget frozen' },
        metadata: { command: 'RegressStage' },
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a replay with the first response and appends nothing', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'interest-once' };
      const first = await api.command(dealId, 'interest', ACTORS.rep, facts.interest, headers);
      expect(first.status).toBe(201);
      const replay = await api.command(dealId, 'interest', ACTORS.rep, { ...facts.interest }, headers);
      expect(replay.status).toBe(first.status);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.etag).toBe(first.headers.etag);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await historyLength(dealId)).toBe(2);
    });

    it('forgets keys past their retention, and a retry after that still appends nothing', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'interest-long-ago' };
      const first = await api.command(dealId, 'interest', ACTORS.rep, facts.interest, headers);
      expect(first.status).toBe(201);
      const db = new Client({ connectionString: t.db.url });
      await db.connect();
      try {
        await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '200 hours' WHERE key = 'interest-long-ago'`);
        const purged = await t.app.get(IdempotencyKeyJanitor).purge();
        expect(purged).toBe(1);
        expect((await db.query(`SELECT 1 FROM idempotency_keys WHERE key = 'interest-long-ago'`)).rowCount).toBe(0);
      } finally {
        await db.end();
      }
      // The key is gone, but the command's event ids derive from it: the store finds them.
      const retry = await api.command(dealId, 'interest', ACTORS.rep, facts.interest, headers);
      expect(retry.status).toBe(201);
      expect(retry.body.revision).toBe(first.body.revision);
      expect(await historyLength(dealId)).toBe(2);
    });

    it('refuses the same key with another body', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'forecast-1' };
      expect((await api.command(dealId, 'forecast', ACTORS.rep, facts.forecast, headers)).status).toBe(201);
      const other = await api.command(dealId, 'forecast', ACTORS.rep, { ...facts.forecast, probability: 90 }, headers);
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await historyLength(dealId)).toBe(2);
      const deal = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
      expect(deal.body.forecast.probability).toBe(facts.forecast.probability);
    });

    it('lets two simultaneous requests with one key append once and answer alike', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'swot-double-click' };
      const swot = { strengths: ['local team'], weaknesses: ['price'], opportunities: ['new plant'], threats: ['Rival Systems'] };
      const [a, b] = await Promise.all([
        api.command(dealId, 'swot', ACTORS.rep, swot, headers),
        api.command(dealId, 'swot', ACTORS.rep, swot, headers),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body).toEqual(b.body);
      expect(await historyLength(dealId)).toBe(2);
    });

    it('opens one deal for a retried POST /v1/deals', async () => {
      const headers = { 'Idempotency-Key': 'open-acme' };
      const first = await api.open(ACTORS.rep, openDealBody(), headers);
      const retry = await api.open(ACTORS.rep, openDealBody(), headers);
      expect(first.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await historyLength(first.body.dealId)).toBe(1);
    });

    it('does not append twice when the process died after the append but before the key was stored', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'quote-after-crash' };
      const first = await api.command(dealId, 'quotes', ACTORS.rep, facts.preliminaryQuote, headers);
      expect(first.status).toBe(201);
      // What a crash between the append and the key's response leaves behind: events, no answer.
      const sql = new Client({ connectionString: t.db.url });
      await sql.connect();
      try {
        const updated = await sql.query(`UPDATE idempotency_keys SET status = NULL, response = NULL WHERE key = $1`, [headers['Idempotency-Key']]);
        expect(updated.rowCount).toBe(1);
      } finally {
        await sql.end();
      }
      const retry = await api.command(dealId, 'quotes', ACTORS.rep, facts.preliminaryQuote, headers);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await historyLength(dealId)).toBe(2);
      const deal = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
      expect(deal.body.quotes).toHaveLength(1);
    });

    it('frees the key when the command was refused, so a corrected request may use it', async () => {
      const dealId = await openDeal();
      const headers = { 'Idempotency-Key': 'advance-1' };
      expect((await api.command(dealId, 'stage', ACTORS.rep, { to: 'POTENTIAL' }, headers)).status).toBe(422);
      const corrected = await api.command(dealId, 'stage', ACTORS.manager, { to: 'POTENTIAL', override: { reason: 'known' } }, headers);
      expect(corrected.status).toBe(201);
    });
  });
});
