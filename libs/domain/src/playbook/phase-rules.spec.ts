import { DEFAULT_PHASE_RULES, PHASE_RULES, phaseGateFor } from './phase-rules';
import { RELATIONSHIP_PHASES } from './relationship-phase';

describe('the default phase rules', () => {
  it('are published under their version, frozen', () => {
    expect(PHASE_RULES[DEFAULT_PHASE_RULES.version]).toBe(DEFAULT_PHASE_RULES);
    expect(Object.isFrozen(DEFAULT_PHASE_RULES.gates[1].criteria)).toBe(true);
  });

  it('define every phase, in the courseware order, with a gate each', () => {
    expect(DEFAULT_PHASE_RULES.phases.map((p) => p.key)).toEqual([...RELATIONSHIP_PHASES]);
    expect(DEFAULT_PHASE_RULES.gates.map((g) => g.entering)).toEqual([...RELATIONSHIP_PHASES]);
  });

  it('need a won deal for consolidation and harvest, and suggest only consolidation and defence', () => {
    expect(phaseGateFor(DEFAULT_PHASE_RULES, 'CONSOLIDATION').criteria.map((c) => c.check.kind)).toEqual(['DEAL_WON']);
    expect(phaseGateFor(DEFAULT_PHASE_RULES, 'HARVEST').criteria.map((c) => c.check.kind)).toEqual(['DEAL_WON']);
    expect(DEFAULT_PHASE_RULES.suggestions.map((r) => [r.id, r.suggest])).toEqual([
      ['FIRST_WIN', 'CONSOLIDATION'],
      ['COMPETITOR_ON_KEY_ACCOUNT', 'DEFENCE'],
      ['LOST_TO_COMPETITOR', 'DEFENCE'],
    ]);
  });
});
