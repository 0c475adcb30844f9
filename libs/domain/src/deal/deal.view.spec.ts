/** The deal as GET /v1/deals/:id shows it. */
import { DealEvent } from './deal.events';
import { foldDeal } from './deal.evolve';
import { dealView } from './deal.view';
import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { DEAL_ID, GATE_FACTS, POSITIVE, assessmentSubmitted, dealIn, dealOpened, visitRecorded } from '../testing/deal-fixtures';
import { SPEC_NOW } from '../testing/decider-specification';

const view = (events: DealEvent[]) => dealView(foldDeal(events), DEFAULT_PLAYBOOK, SPEC_NOW);

describe('the deal view', () => {
  it('is null for a stream without a deal', () => {
    expect(view([])).toBeNull();
  });

  it("shows a new deal in TARGET with what the POTENTIAL gate still wants", () => {
    const shown = view([dealOpened(), visitRecorded()])!;
    expect(shown).toMatchObject({
      dealId: DEAL_ID,
      status: 'open',
      stage: 'TARGET',
      account: { name: 'Hangzhou Precision Castings' },
      owner: 'rep-ann',
      team: 'east',
      amount: 480000,
      currency: 'CNY',
      forecast: null,
      lost: null,
      wonAt: null,
    });
    expect(shown.visits).toEqual([
      { visitId: 'visit-1', date: '2026-01-12T02:00:00.000Z', purpose: expect.any(String), reviewed: true, goalReached: true, occurredAt: '2026-01-12T10:00:00.000Z' },
    ]);
    expect(shown.nextGate).toEqual({
      stage: 'POTENTIAL',
      met: false,
      unmet: [expect.objectContaining({ code: 'POTENTIAL.PROFILE_CHARACTERISTICS' })],
    });
  });

  it('shows a gate that is met as met', () => {
    expect(view([dealOpened(), ...GATE_FACTS.POTENTIAL])!.nextGate).toEqual({ stage: 'POTENTIAL', met: true, unmet: [] });
  });

  it('lists the current assessment of each kind with its verdict, in playbook order', () => {
    const shown = view([dealOpened(), assessmentSubmitted('WORTH', POSITIVE), assessmentSubmitted('REAL', ['-', '-', '+', '+', '+'])])!;
    expect(shown.assessments.map((a) => [a.kind, a.verdict])).toEqual([
      ['REAL', 'NEGATIVE'],
      ['WORTH', 'POSITIVE'],
    ]);
  });

  it('shows stakeholders, quotes and forecast of a deal in APPROVED', () => {
    const shown = view(dealIn('APPROVED'))!;
    expect(shown.stage).toBe('APPROVED');
    expect(shown.stakeholders.map((s) => [s.name, s.roles])).toEqual([
      ['Zhao Min', ['ECONOMIC_BUYER']],
      ['Wang Lei', ['COACH', 'USER']],
    ]);
    expect(shown.quotes).toEqual([expect.objectContaining({ quoteId: 'Q-1', kind: 'PRELIMINARY' })]);
    expect(shown.forecast).toMatchObject({ probability: 60, expectedCloseDate: '2026-04-30' });
    expect(shown.nextGate?.stage).toBe('NEGOTIATION');
    expect(shown.nextGate?.unmet).toHaveLength(7);
  });

  it('shows a lost deal as LOST, with where it left and why; no next gate', () => {
    const shown = view([...dealIn('INTENT'), { type: 'DealLost', data: { from: 'INTENT', reason: 'no budget', occurredAt: '2026-02-01T10:00:00.000Z' } }])!;
    expect(shown).toMatchObject({ status: 'lost', stage: 'LOST', lost: { from: 'INTENT', reason: 'no budget', competitor: null }, nextGate: null });
  });

  it('shows a won deal with when it was won', () => {
    expect(view(dealIn('WON'))).toMatchObject({ status: 'won', stage: 'WON', wonAt: '2026-03-01T10:00:00.000Z', nextGate: null });
  });

  it('is plain JSON', () => {
    const shown = view(dealIn('WON'));
    expect(JSON.parse(JSON.stringify(shown))).toEqual(shown);
    expect(Object.values(shown!).some((v) => v === undefined)).toBe(false);
  });
});
