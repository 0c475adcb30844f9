/** Hand-checked: three accounts' phase histories, read at two instants. */
import { PhaseStayRow, accountPhaseMetrics } from './phase-metrics';

const d = (iso: string) => new Date(iso);
const stay = (accountId: string, phase: PhaseStayRow['phase'], enteredAt: string, exitedAt: string | null, exitedTo: PhaseStayRow['exitedTo'] = null, via = false, overridden = false): PhaseStayRow => ({
  accountId,
  phase,
  enteredAt: d(enteredAt),
  exitedAt: exitedAt ? d(exitedAt) : null,
  exitedTo,
  exitViaSuggestion: via,
  exitOverridden: overridden,
});

// A: breakthrough 10 days, consolidation 30 days (accepted suggestion), then harvest (open).
// B: breakthrough 20 days, consolidation by override, 12 days later defence (open).
// C: breakthrough since 2026-03-01 (open).
const STAYS: PhaseStayRow[] = [
  stay('A', 'BREAKTHROUGH', '2026-01-01T00:00:00Z', '2026-01-11T00:00:00Z', 'CONSOLIDATION', true),
  stay('A', 'CONSOLIDATION', '2026-01-11T00:00:00Z', '2026-02-10T00:00:00Z', 'HARVEST'),
  stay('A', 'HARVEST', '2026-02-10T00:00:00Z', null),
  stay('B', 'BREAKTHROUGH', '2026-01-01T00:00:00Z', '2026-01-21T00:00:00Z', 'CONSOLIDATION', false, true),
  stay('B', 'CONSOLIDATION', '2026-01-21T00:00:00Z', '2026-02-02T12:00:00Z', 'DEFENCE'),
  stay('B', 'DEFENCE', '2026-02-02T12:00:00Z', null),
  stay('C', 'BREAKTHROUGH', '2026-03-01T00:00:00Z', null),
];

describe('account phase dwell times and transitions (account-phases/1)', () => {
  it('summarises the ended stays per phase and counts the open ones', () => {
    const m = accountPhaseMetrics(STAYS, d('2026-03-15T00:00:00Z'));
    expect(m.metricDefinitionVersion).toBe('account-phases/1');
    expect(m.dwell).toEqual([
      { phase: 'BREAKTHROUGH', ended: { n: 2, mean: 15, median: 15, p75: 17.5, p90: 19 }, openStays: 1 },
      { phase: 'CONSOLIDATION', ended: { n: 2, mean: 21.25, median: 21.25, p75: 25.625, p90: 28.25 }, openStays: 0 },
      { phase: 'HARVEST', ended: { n: 0, mean: null, median: null, p75: null, p90: null }, openStays: 1 },
      { phase: 'DEFENCE', ended: { n: 0, mean: null, median: null, p75: null, p90: null }, openStays: 1 },
    ]);
    expect(m.transitions).toEqual([
      { from: 'BREAKTHROUGH', to: 'CONSOLIDATION', count: 2, viaSuggestion: 1, overridden: 1 },
      { from: 'CONSOLIDATION', to: 'HARVEST', count: 1, viaSuggestion: 0, overridden: 0 },
      { from: 'CONSOLIDATION', to: 'DEFENCE', count: 1, viaSuggestion: 0, overridden: 0 },
    ]);
  });

  it('reads the histories as they stood at asOf: later stays unknown, later exits still open', () => {
    const m = accountPhaseMetrics(STAYS, d('2026-01-15T00:00:00Z'));
    expect(m.dwell.map((p) => [p.phase, p.ended.n, p.openStays])).toEqual([
      ['BREAKTHROUGH', 1, 1],
      ['CONSOLIDATION', 0, 1],
      ['HARVEST', 0, 0],
      ['DEFENCE', 0, 0],
    ]);
    expect(m.transitions).toEqual([{ from: 'BREAKTHROUGH', to: 'CONSOLIDATION', count: 1, viaSuggestion: 1, overridden: 0 }]);
  });
});
