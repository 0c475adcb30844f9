/**
 * Asks the playbook what it takes to enter a stage and checks every criterion against the
 * deal's facts as of the stage change. Never stops at the first failure: a salesperson wants
 * the whole list.
 */
import { GateCriterion, Playbook, gateFor } from '../../playbook/playbook';
import { Stage } from '../../playbook/stage';
import { UnmetCriterion } from '../deal.events';
import { DealFacts, DealState, NoDeal } from '../deal.state';
import { factInstants, factsAsOf } from '../facts-as-of';
import { AS_OF_WORDS, runCheck } from './gate-checks';

export interface GateResult {
  met: boolean;
  unmet: UnmetCriterion[];
}

export interface GateOptions {
  /**
   * Which facts count. An instant: only facts dated at or before it, each in its last version so
   * dated (default: `now`). 'latest': every recorded fact in its latest version, whatever its
   * date — how a stage change made at the present moment is judged, as facts may be dated a
   * little ahead of it within the tolerated clock skew.
   */
  factsAsOf?: Date | 'latest';
}

/**
 * `now` is the moment of the stage change (its occurredAt): the gate is evaluated as of it, and
 * "close within 90 days" counts from it.
 */
export function evaluateGate(
  state: DealState | DealFacts,
  targetStage: Stage,
  playbook: Playbook,
  now: Date,
  options: GateOptions = {},
): GateResult {
  const criteria = gateFor(playbook, targetStage).criteria;
  if (isUnopened(state)) {
    return { met: false, unmet: criteria.map((c) => ({ code: c.code, message: `${c.en}: the deal is not opened` })) };
  }
  const asOf = options.factsAsOf ?? now;
  const facts = asOf === 'latest' ? state : factsAsOf(state, asOf);
  const failed = criteria.flatMap((criterion) => {
    const outcome = runCheck(criterion.check, facts, playbook, now);
    return outcome.met ? [] : [{ criterion, detail: outcome.detail }];
  });
  const tooEarly = asOf === 'latest' ? new Map<GateCriterion, string>() : datedTooEarly(failed.map((f) => f.criterion), state, asOf, playbook, now);
  const unmet = failed.map(({ criterion, detail }) => ({ code: criterion.code, message: `${criterion.en}: ${tooEarly.get(criterion) ?? detail}` }));
  return { met: unmet.length === 0, unmet };
}

/**
 * For criteria unmet as of `asOf` that later-dated facts do meet, says so: the stage change is
 * dated before the facts that would let the deal in. Criteria unmet even now keep their detail.
 */
function datedTooEarly(criteria: GateCriterion[], deal: DealFacts, asOf: Date, playbook: Playbook, now: Date): Map<GateCriterion, string> {
  const found = new Map<GateCriterion, string>();
  let pending = criteria;
  for (const instant of factInstants(deal).filter((i) => Date.parse(i) > asOf.getTime())) {
    if (pending.length === 0) break;
    const facts = factsAsOf(deal, new Date(instant));
    for (const criterion of pending) {
      if (runCheck(criterion.check, facts, playbook, now).met) found.set(criterion, metOnlyAt(criterion, asOf, instant));
    }
    pending = pending.filter((c) => !found.has(c));
  }
  return found;
}

/** "no visit reviewed by 2026-03-05; the first review is dated 2026-03-10" (instants when on the same day). */
function metOnlyAt(criterion: GateCriterion, asOf: Date, metAt: string): string {
  const words = AS_OF_WORDS[criterion.check.kind];
  const [by, dated] = [asOf.toISOString(), new Date(metAt).toISOString()];
  const sameDay = dayOf(by) === dayOf(dated);
  return `${words.missing} by ${sameDay ? by : dayOf(by)}; ${words.first} is dated ${sameDay ? dated : dayOf(dated)}`;
}

const dayOf = (instant: string): string => instant.slice(0, 10);

function isUnopened(state: DealState | DealFacts): state is NoDeal {
  return 'status' in state && state.status === 'none';
}
