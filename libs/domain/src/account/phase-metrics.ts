/**
 * Phase dwell times and transitions (`account-phases/1`, docs/metrics.md): how long accounts
 * stay in each relationship phase and how they move between phases, as things stood at `asOf`.
 * Pure: the stays come from the account_phase_stays read model.
 */
import { MS_PER_DAY } from '../metrics/business-time';
import { DistributionSummary, summarize } from '../metrics/statistics';
import { RELATIONSHIP_PHASES, RelationshipPhase } from '../playbook/relationship-phase';

export const ACCOUNT_PHASES_METRIC_VERSION = 'account-phases/1';

export interface PhaseStayRow {
  accountId: string;
  phase: RelationshipPhase;
  enteredAt: Date;
  exitedAt: Date | null;
  exitedTo: RelationshipPhase | null;
  /** How the next stay was entered (for the transition out of this one). */
  exitViaSuggestion: boolean;
  exitOverridden: boolean;
}

export interface PhaseDwell {
  phase: RelationshipPhase;
  /** Days of the stays that had ended by asOf. */
  ended: DistributionSummary;
  /** Stays entered by asOf and not ended by then. */
  openStays: number;
}

export interface PhaseTransition {
  from: RelationshipPhase;
  to: RelationshipPhase;
  count: number;
  /** Of them, a manager accepting a suggestion of the phase rules. */
  viaSuggestion: number;
  /** Of them, passing an unmet phase gate by override. */
  overridden: number;
}

export interface AccountPhaseMetrics {
  metricDefinitionVersion: typeof ACCOUNT_PHASES_METRIC_VERSION;
  asOf: string;
  dwell: PhaseDwell[];
  transitions: PhaseTransition[];
}

export function accountPhaseMetrics(stays: readonly PhaseStayRow[], asOf: Date): AccountPhaseMetrics {
  const at = asOf.getTime();
  const known = stays.filter((s) => s.enteredAt.getTime() <= at);
  const endedBy = (s: PhaseStayRow) => s.exitedAt !== null && s.exitedAt.getTime() <= at;
  const dwell = RELATIONSHIP_PHASES.map((phase) => {
    const inPhase = known.filter((s) => s.phase === phase);
    const ended = inPhase.filter(endedBy);
    return {
      phase,
      ended: summarize(ended.map((s) => (s.exitedAt!.getTime() - s.enteredAt.getTime()) / MS_PER_DAY)),
      openStays: inPhase.length - ended.length,
    };
  });
  const transitions = new Map<string, PhaseTransition>();
  for (const stay of known.filter(endedBy)) {
    if (!stay.exitedTo) continue;
    const key = `${stay.phase}>${stay.exitedTo}`;
    const t = transitions.get(key) ?? { from: stay.phase, to: stay.exitedTo, count: 0, viaSuggestion: 0, overridden: 0 };
    t.count += 1;
    if (stay.exitViaSuggestion) t.viaSuggestion += 1;
    if (stay.exitOverridden) t.overridden += 1;
    transitions.set(key, t);
  }
  const order = (p: RelationshipPhase) => RELATIONSHIP_PHASES.indexOf(p);
  return {
    metricDefinitionVersion: ACCOUNT_PHASES_METRIC_VERSION,
    asOf: asOf.toISOString(),
    dwell,
    transitions: [...transitions.values()].sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to)),
  };
}
