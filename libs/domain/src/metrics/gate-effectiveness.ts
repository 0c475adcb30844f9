/**
 * Which gate criteria predict winning, and which overrides cost money? For every forward move
 * into a stage, each criterion of each gate it passed (the gate of the stage entered and of any
 * stage jumped over) was either met or passed unmet by a manager's override (the event records
 * what was unmet). The deals are then followed to their first WON or LOST.
 */
import { Playbook, gateFor } from '../playbook/playbook';
import { Stage } from '../playbook/stage';
import { daysBetween } from './business-time';
import { Period, inPeriod } from './period';
import { StageMove, movesByDeal } from './stage-move';
import { median, ratio } from './statistics';

export interface GateGroup {
  /** Entries into the stage in this group. */
  n: number;
  won: number;
  lost: number;
  /** Still open at asOf. */
  open: number;
  /** won / (won + lost): of the entries that have closed. */
  winRate: number | null;
  /** Median days from the entry to WON, of the won ones. */
  medianDaysToWon: number | null;
  /** Median days from the entry to WON or LOST, of the closed ones. */
  medianDaysToClose: number | null;
}

export interface GateCriterionEffect {
  playbookVersion: string;
  /** The stage whose gate holds the criterion. */
  stage: Stage;
  code: string;
  met: GateGroup;
  overridden: GateGroup;
}

interface Entry {
  playbookVersion: string;
  stage: Stage;
  code: string;
  overridden: boolean;
  outcome: 'won' | 'lost' | 'open';
  days: number | null;
}

/**
 * `playbooks`: the playbook of each version; a version the code does not know is read with
 * `fallback`'s gates (criterion codes are stable across versions). Codes found unmet in an
 * override are counted even when the playbook does not list them.
 */
export function gateEffectiveness(
  moves: readonly StageMove[],
  playbooks: ReadonlyMap<string, Playbook>,
  fallback: Playbook,
  period: Period,
  asOf: Date,
  include: (entering: StageMove) => boolean = () => true,
): GateCriterionEffect[] {
  const known = movesByDeal(moves.filter((m) => m.occurredAt.getTime() <= asOf.getTime()));
  const versionOf = (move: StageMove) => move.playbookVersion ?? fallback.version;
  // Codes an override left unmet, per version and gate, join the playbook's list for every entry of that gate.
  const unmetSeen = new Map<string, Set<string>>();
  for (const m of [...known.values()].flat()) {
    for (const code of m.unmet ?? []) {
      const key = `${versionOf(m)}\u0000${code.split('.')[0]}`;
      unmetSeen.set(key, (unmetSeen.get(key) ?? new Set()).add(code));
    }
  }
  const entries: Entry[] = [];
  for (const dealMoves of known.values()) {
    dealMoves.forEach((move, i) => {
      if (move.kind !== 'advanced' || !inPeriod(move.occurredAt, period) || !include(move)) return;
      const end = move.to === 'WON' ? move : dealMoves.slice(i + 1).find((m) => m.to === 'WON' || m.to === 'LOST');
      const outcome = !end ? 'open' : end.to === 'WON' ? 'won' : 'lost';
      const days = end ? daysBetween(move.occurredAt, end.occurredAt) : null;
      const version = versionOf(move);
      const playbook = playbooks.get(version) ?? fallback;
      for (const stage of [...move.skipped, move.to as Stage]) {
        const unmet = move.unmet ?? [];
        const codes = new Set([...gateFor(playbook, stage).criteria.map((c) => c.code), ...(unmetSeen.get(`${version}\u0000${stage}`) ?? [])]);
        for (const code of codes) entries.push({ playbookVersion: version, stage, code, overridden: unmet.includes(code), outcome, days });
      }
    });
  }
  const keys = new Map<string, Entry[]>();
  for (const e of entries) {
    const key = `${e.playbookVersion}\u0000${e.stage}\u0000${e.code}`;
    const group = keys.get(key);
    if (group) group.push(e);
    else keys.set(key, [e]);
  }
  return [...keys.values()]
    .map((group) => ({
      playbookVersion: group[0].playbookVersion,
      stage: group[0].stage,
      code: group[0].code,
      met: summarize(group.filter((e) => !e.overridden)),
      overridden: summarize(group.filter((e) => e.overridden)),
    }))
    .sort((a, b) => a.playbookVersion.localeCompare(b.playbookVersion) || stageOrder(a, b) || a.code.localeCompare(b.code));
}

function stageOrder(a: GateCriterionEffect, b: GateCriterionEffect): number {
  const order = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON'];
  return order.indexOf(a.stage) - order.indexOf(b.stage);
}

function summarize(entries: readonly Entry[]): GateGroup {
  const won = entries.filter((e) => e.outcome === 'won');
  const lost = entries.filter((e) => e.outcome === 'lost');
  return {
    n: entries.length,
    won: won.length,
    lost: lost.length,
    open: entries.length - won.length - lost.length,
    winRate: ratio(won.length, won.length + lost.length),
    medianDaysToWon: median(won.map((e) => e.days as number)),
    medianDaysToClose: median([...won, ...lost].map((e) => e.days as number)),
  };
}
