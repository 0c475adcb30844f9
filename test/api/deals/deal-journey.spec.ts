import { Response } from 'supertest';
import { ACTORS, TestActor } from '../../support/auth';
import { startTestApp, TestApp } from '../../support/test-app';
import { DealApi, unmetCodes } from './deal-api.client';
import * as facts from './deal-facts';

/**
 * One deal from TARGET to WON through the real API. At every stage a premature advance is
 * refused with exactly the unmet criteria of the gate; the facts are recorded; the advance
 * then succeeds.
 */
describe('a deal from TARGET to WON', () => {
  let t: TestApp;
  let api: DealApi;
  let dealId: string;
  let step = 0;
  /** The correlation id of every accepted command, with the actor who sent it. */
  const accepted = new Map<string, TestActor>();

  beforeAll(async () => {
    t = await startTestApp();
    api = new DealApi(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sends a command under a fresh correlation id and expects it accepted. */
  async function record(path: string, body: object, actor: TestActor = ACTORS.rep): Promise<Response> {
    const correlationId = `journey-${++step}`;
    const res = await api.command(dealId, path, actor, body, { 'X-Correlation-Id': correlationId });
    expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 201, body: expect.any(Object) });
    expect(res.headers['x-correlation-id']).toBe(correlationId);
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    accepted.set(correlationId, actor);
    return res;
  }

  async function refusedAdvance(to: string, expectedUnmet: string[]): Promise<void> {
    const res = await api.command(dealId, 'stage', ACTORS.rep, { to });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'GATE_NOT_MET' });
    expect(unmetCodes(res)).toEqual(expectedUnmet);
    expect((res.body.unmet as { message: string }[]).every((u) => u.message.length > 0)).toBe(true);
  }

  async function stage(): Promise<string> {
    const res = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
    expect(res.status).toBe(200);
    return res.body.stage as string;
  }

  it('opens the deal in TARGET', async () => {
    const res = await api.open(ACTORS.rep, undefined, { 'X-Correlation-Id': 'journey-open' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ dealId: expect.stringMatching(/^[0-9a-f-]{36}$/), revision: 0, position: expect.stringMatching(/^\d+:\d+$/) });
    dealId = res.body.dealId;
    accepted.set('journey-open', ACTORS.rep);
    expect(await stage()).toBe('TARGET');
  });

  it('enters POTENTIAL after a reviewed visit and a customer profile', async () => {
    await refusedAdvance('POTENTIAL', ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
    await record('visits', facts.visit);
    // A visit without its review is not enough yet.
    await refusedAdvance('POTENTIAL', ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
    await record(`visits/${facts.visit.visitId}/review`, facts.visitReview);
    await record('profile', facts.profile);
    await record('stage', { to: 'POTENTIAL' });
    expect(await stage()).toBe('POTENTIAL');
  });

  it('enters INTENT after a problem analysed and interest recorded', async () => {
    await refusedAdvance('INTENT', ['INTENT.PROBLEM_ANALYSED', 'INTENT.CUSTOMER_INTEREST']);
    await record('problems', facts.problem);
    await record('interest', facts.interest);
    await record('stage', { to: 'INTENT' });
    expect(await stage()).toBe('INTENT');
  });

  it('enters PROJECT after a positive "is it real?", a customer owner, a budget and a timetable', async () => {
    await refusedAdvance('PROJECT', [
      'PROJECT.REAL_POSITIVE',
      'PROJECT.CUSTOMER_PROJECT_OWNER',
      'PROJECT.PRELIMINARY_BUDGET',
      'PROJECT.TIMETABLE',
    ]);
    await record('assessments', facts.assessment('REAL', 4));
    await record('project-initiation', facts.projectInitiation);
    await record('procurement-timetable', facts.timetable);
    await record('stage', { to: 'PROJECT' });
    expect(await stage()).toBe('PROJECT');
  });

  it('enters APPROVED after the assessments, buying roles, a quote and a likely forecast', async () => {
    await refusedAdvance('APPROVED', [
      'APPROVED.WORTH_POSITIVE',
      'APPROVED.COMPETE_SUBMITTED',
      'APPROVED.WIN_SUBMITTED',
      'APPROVED.ECONOMIC_BUYER_IDENTIFIED',
      'APPROVED.COACH_IDENTIFIED',
      'APPROVED.PRELIMINARY_QUOTE',
      'APPROVED.FORECAST_PROBABILITY',
      'APPROVED.CLOSE_WITHIN_90_DAYS',
    ]);
    await record('assessments', facts.assessment('WORTH', 5));
    await record('assessments', facts.assessment('COMPETE', 3, ['Rival Systems']));
    await record('assessments', facts.assessment('WIN', 4, ['Rival Systems']));
    await record('stakeholders', facts.economicBuyer);
    await record('stakeholders', facts.coach);
    await record('quotes', facts.preliminaryQuote);
    await record('forecast', facts.forecast);
    await record('stage', { to: 'APPROVED' });
    expect(await stage()).toBe('APPROVED');
  });

  it('enters NEGOTIATION after all seven entry conditions are confirmed', async () => {
    await refusedAdvance(
      'NEGOTIATION',
      facts.NEGOTIATION_CONDITIONS.map((c) => `NEGOTIATION.${c}`),
    );
    for (const conditionId of facts.NEGOTIATION_CONDITIONS) await record('negotiation-conditions', { conditionId });
    await record('stage', { to: 'NEGOTIATION' });
    expect(await stage()).toBe('NEGOTIATION');
  });

  it('is WON only when signed, paid (confirmed by finance) and shipped', async () => {
    await refusedAdvance('WON', ['WON.CONTRACT_SIGNED', 'WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
    await record('contract', facts.contract);
    await refusedAdvance('WON', ['WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
    await record('payment', facts.payment, ACTORS.finance);
    await record('shipment', facts.shipment);
    await record('stage', { to: 'WON' });

    const res = await api.get(`/v1/deals/${dealId}`, ACTORS.rep);
    expect(res.body).toMatchObject({ stage: 'WON', status: 'won', nextGate: null });
    expect(res.body.payments).toEqual([expect.objectContaining({ amount: 34500, confirmedBy: ACTORS.finance.sub })]);
  });

  it('names the actor and correlation id of every event, and its hash chain is intact', async () => {
    const history = await api.history(dealId, ACTORS.auditor);
    // One event per accepted command (none of the refusals appended anything).
    expect(history).toHaveLength(accepted.size);
    expect(history.map((e) => e.revision)).toEqual(history.map((_, i) => i));
    expect(new Set(history.map((e) => e.metadata.correlationId))).toEqual(new Set(accepted.keys()));
    for (const event of history) {
      const actor = accepted.get(event.metadata.correlationId)!;
      expect(event.metadata.actor).toEqual({ id: actor.sub, name: actor.name, roles: actor.roles });
      expect(event.metadata.causationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.metadata.schemaVersion).toBe(1);
      expect(event.metadata.command).toEqual(expect.any(String));
    }
    expect(history.filter((e) => e.type === 'StageAdvanced').map((e) => e.data.to)).toEqual([
      'POTENTIAL',
      'INTENT',
      'PROJECT',
      'APPROVED',
      'NEGOTIATION',
      'WON',
    ]);
    expect(history.find((e) => e.type === 'PaymentConfirmed')!.metadata.command).toBe('ConfirmPayment');

    const integrity = await api.get(`/v1/deals/${dealId}/integrity`, ACTORS.auditor);
    expect(integrity.status).toBe(200);
    expect(integrity.body).toEqual({
      valid: true,
      events: history.length,
      headHash: history[history.length - 1].metadata.hash,
      storedHead: { revision: history.length - 1, hash: history[history.length - 1].metadata.hash },
      breaks: [],
    });
  });
});
