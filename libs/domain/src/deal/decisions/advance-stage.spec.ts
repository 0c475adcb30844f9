/**
 * Moving forward: one stage at a time through its gate; a manager may override a failed gate or
 * a skip with a written reason, recorded on the event with what was unmet. Never into WON.
 */
import { AdvanceStage } from '../deal.commands';
import { DealEventOf } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { Stage } from '../../playbook/stage';
import { GATE_FACTS, dealIn, dealOpened, stageAdvanced } from '../../testing/deal-fixtures';
import { MANAGER, REP, SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();
const advance = (to: Stage, data: Partial<AdvanceStage['data']> = {}): AdvanceStage => ({ type: 'AdvanceStage', data: { to, ...data } });

describe('advancing a deal', () => {
  it('records the playbook version whose gate let it through, and the reason given', () => {
    const [event] = given([dealOpened(), ...GATE_FACTS.POTENTIAL])
      .when(advance('POTENTIAL', { reason: 'customer asked for a proposal meeting' }))
      .events() as DealEventOf<'StageAdvanced'>[];
    expect(event.data).toEqual({
      from: 'TARGET',
      to: 'POTENTIAL',
      skipped: [],
      reason: 'customer asked for a proposal meeting',
      occurredAt: now,
      playbookVersion: '2026.1',
    });
  });

  it('cannot go to the stage it is in, nor back, nor to LOST', () => {
    const inIntent = dealIn('INTENT');
    given(inIntent).when(advance('INTENT')).thenThrows('INVALID_STAGE_TRANSITION');
    given(inIntent).when(advance('POTENTIAL')).thenThrows('INVALID_STAGE_TRANSITION');
    given(inIntent).when(advance('LOST' as Stage)).thenThrows('INVALID_STAGE_TRANSITION');
  });
});

describe('a manager override', () => {
  it('lets a manager pass a failed gate, recorded with who, why and every unmet criterion', () => {
    given([dealOpened()])
      .when(advance('POTENTIAL', { override: { reason: 'visit notes are on paper, profile follows' } }), { actor: MANAGER })
      .then([
        stageAdvanced('TARGET', 'POTENTIAL', now, {
          override: {
            by: 'manager-mia',
            reason: 'visit notes are on paper, profile follows',
            unmetAtOverride: [
              { code: 'POTENTIAL.VISIT_REVIEWED', message: 'At least one customer visit recorded with its review: no visit recorded yet' },
              {
                code: 'POTENTIAL.PROFILE_CHARACTERISTICS',
                message: 'A customer profile with the three potential-customer characteristics answered: no customer profile recorded yet',
              },
            ],
          },
        }),
      ]);
  });

  it('is refused to a salesperson, who is told what is unmet', () => {
    given([dealOpened()])
      .when(advance('POTENTIAL', { override: { reason: 'trust me' } }), { actor: REP })
      .thenThrows('OVERRIDE_NOT_ALLOWED', ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
  });

  it('needs a written reason', () => {
    given([dealOpened()]).when(advance('POTENTIAL', { override: { reason: '  ' } }), { actor: MANAGER }).thenThrows('REASON_REQUIRED');
  });

  it('is not recorded when the gate is met anyway', () => {
    given([dealOpened(), ...GATE_FACTS.POTENTIAL])
      .when(advance('POTENTIAL', { override: { reason: 'just in case' } }), { actor: REP })
      .then([stageAdvanced('TARGET', 'POTENTIAL', now)]);
  });
});

describe('skipping stages', () => {
  it('needs an override, and the refusal lists the unmet criteria of every gate on the way', () => {
    given([dealOpened()])
      .when(advance('INTENT'))
      .thenThrows('STAGE_SKIP_REQUIRES_OVERRIDE', [
        'POTENTIAL.VISIT_REVIEWED',
        'POTENTIAL.PROFILE_CHARACTERISTICS',
        'INTENT.PROBLEM_ANALYSED',
        'INTENT.CUSTOMER_INTEREST',
      ]);
  });

  it('needs an override even when every gate on the way is met: a skipped stage is an anomaly', () => {
    given([dealOpened(), ...GATE_FACTS.POTENTIAL, ...GATE_FACTS.INTENT]).when(advance('INTENT')).thenThrows('STAGE_SKIP_REQUIRES_OVERRIDE', []);
  });

  it('is refused to a salesperson even with a reason', () => {
    given([dealOpened(), ...GATE_FACTS.POTENTIAL, ...GATE_FACTS.INTENT])
      .when(advance('INTENT', { override: { reason: 'fast customer' } }), { actor: REP })
      .thenThrows('OVERRIDE_NOT_ALLOWED');
  });

  it('is recorded with the stages skipped when a manager overrides', () => {
    const [event] = given([dealOpened(), ...GATE_FACTS.POTENTIAL])
      .when(advance('PROJECT', { override: { reason: 'tender announced publicly' } }), { actor: MANAGER })
      .events() as DealEventOf<'StageAdvanced'>[];
    expect(event.data.from).toBe('TARGET');
    expect(event.data.to).toBe('PROJECT');
    expect(event.data.skipped).toEqual(['POTENTIAL', 'INTENT']);
    expect(event.data.override?.unmetAtOverride.map((u) => u.code)).toEqual([
      'INTENT.PROBLEM_ANALYSED',
      'INTENT.CUSTOMER_INTEREST',
      'PROJECT.REAL_POSITIVE',
      'PROJECT.CUSTOMER_PROJECT_OWNER',
      'PROJECT.PRELIMINARY_BUDGET',
      'PROJECT.TIMETABLE',
    ]);
    expect(foldDeal([dealOpened(), ...GATE_FACTS.POTENTIAL, event])).toMatchObject({ status: 'open', stage: 'PROJECT' });
  });
});

describe('no override into WON', () => {
  it('refuses even a manager when the deal is not signed, paid and shipped', () => {
    given(dealIn('NEGOTIATION'))
      .when(advance('WON', { override: { reason: 'customer promised to pay' } }), { actor: MANAGER })
      .thenThrows('WON_REQUIRES_FACTS', ['WON.CONTRACT_SIGNED', 'WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
  });

  it('lets a manager skip NEGOTIATION into WON when the deal is signed, paid and shipped', () => {
    const [event] = given([...dealIn('APPROVED'), ...GATE_FACTS.WON])
      .when(advance('WON', { override: { reason: 'direct award without negotiation' } }), { actor: MANAGER })
      .events() as DealEventOf<'StageAdvanced'>[];
    expect(event.data.skipped).toEqual(['NEGOTIATION']);
    expect(event.data.override?.unmetAtOverride).toHaveLength(7);
  });
});
