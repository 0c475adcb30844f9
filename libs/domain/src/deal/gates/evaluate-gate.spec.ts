import { evaluateGate } from './evaluate-gate';
import { foldDeal } from '../deal.evolve';
import { DEFAULT_PLAYBOOK } from '../../playbook/default-playbook';
import { Playbook } from '../../playbook/playbook';
import { STAGES } from '../../playbook/stage';
import { dealOpened, GATE_FACTS } from '../../testing/deal-fixtures';
import { SPEC_NOW } from '../../testing/decider-specification';

describe('evaluating a gate', () => {
  it('reports every criterion of every gate unmet on a deal just opened: each can fail', () => {
    const opened = foldDeal([dealOpened()]);
    for (const stage of STAGES.slice(1)) {
      const result = evaluateGate(opened, stage, DEFAULT_PLAYBOOK, SPEC_NOW);
      const expected = DEFAULT_PLAYBOOK.gates.find((g) => g.entering === stage)!.criteria.map((c) => c.code);
      expect({ stage, met: result.met, codes: result.unmet.map((u) => u.code) }).toEqual({ stage, met: false, codes: expected });
    }
  });

  it('reports every gate met once all the facts are recorded', () => {
    const everything = foldDeal([dealOpened(), ...Object.values(GATE_FACTS).flat()]);
    for (const stage of STAGES) expect(evaluateGate(everything, stage, DEFAULT_PLAYBOOK, SPEC_NOW)).toEqual({ met: true, unmet: [] });
  });

  it('asks the playbook: a playbook without the coach criterion does not ask for a coach', () => {
    const noCoach: Playbook = {
      ...DEFAULT_PLAYBOOK,
      version: 'no-coach-1',
      gates: DEFAULT_PLAYBOOK.gates.map((g) => ({ ...g, criteria: g.criteria.filter((c) => c.code !== 'APPROVED.COACH_IDENTIFIED') })),
    };
    const codes = evaluateGate(foldDeal([dealOpened()]), 'APPROVED', noCoach, SPEC_NOW).unmet.map((u) => u.code);
    expect(codes).not.toContain('APPROVED.COACH_IDENTIFIED');
    expect(codes).toContain('APPROVED.ECONOMIC_BUYER_IDENTIFIED');
  });

  it('asks the playbook for its thresholds', () => {
    const bold: Playbook = { ...DEFAULT_PLAYBOOK, settings: { ...DEFAULT_PLAYBOOK.settings, approvedGate: { minProbabilityExclusive: 70, maxDaysToExpectedClose: 30 } } };
    const deal = foldDeal([dealOpened(), ...GATE_FACTS.APPROVED]);
    expect(evaluateGate(deal, 'APPROVED', bold, SPEC_NOW).unmet.map((u) => u.code)).toEqual(['APPROVED.FORECAST_PROBABILITY', 'APPROVED.CLOSE_WITHIN_90_DAYS']);
  });

  it('finds nothing to check on entering TARGET', () => {
    expect(evaluateGate(foldDeal([dealOpened()]), 'TARGET', DEFAULT_PLAYBOOK, SPEC_NOW)).toEqual({ met: true, unmet: [] });
  });
});
