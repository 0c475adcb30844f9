/**
 * Does a stage mean what the playbook says it means? For the deals whose first entry into a
 * stage lies in the period: the cumulative incidence of WON within 30, 90 and 180 days of that
 * entry (Aalen–Johansen, LOST competing, still open censored at asOf), and for the stage the
 * playbook makes a promise about (APPROVED: "more than 50 % chance of closing within 90 days"),
 * a verdict against it.
 */
import { Playbook } from '../playbook/playbook';
import { Stage } from '../playbook/stage';
import { CompetingObservation, IncidenceAt, cumulativeIncidence, incidenceAt } from './aalen-johansen';
import { daysBetween } from './business-time';
import { Period, inPeriod } from './period';
import { OPEN_STAGES, OpenStage, StageStay, stayAsOf, staysByDeal } from './stage-stay';

export const CALIBRATION_HORIZONS_DAYS = [30, 90, 180] as const;

/** The playbook's testable claim about a stage: P(WON within `withinDays` of entry) > `probabilityAbove`. */
export interface StagePromise {
  stage: Stage;
  withinDays: number;
  probabilityAbove: number;
  playbookVersion: string;
}

/**
 * Read from the playbook's data: the APPROVED gate asks for a forecast probability above
 * `minProbabilityExclusive` % with the close at most `maxDaysToExpectedClose` days away — the
 * marker "more than 50 % chance of closing within 90 days" as numbers.
 */
export function promiseOf(playbook: Playbook): StagePromise {
  const { minProbabilityExclusive, maxDaysToExpectedClose } = playbook.settings.approvedGate;
  return { stage: 'APPROVED', withinDays: maxDaysToExpectedClose, probabilityAbove: minProbabilityExclusive / 100, playbookVersion: playbook.version };
}

/**
 * kept: the whole 95 % interval lies above the promised probability; broken: it lies at or
 * below it; undecided: it straddles it; not_yet_known: no deal has been followed that long.
 */
export type PromiseVerdict = 'kept' | 'broken' | 'undecided' | 'not_yet_known';

export function verdictOn(estimate: IncidenceAt, promise: StagePromise): PromiseVerdict {
  if (estimate.incidence === null || estimate.lower === null || estimate.upper === null) return 'not_yet_known';
  if (estimate.lower > promise.probabilityAbove) return 'kept';
  if (estimate.upper <= promise.probabilityAbove) return 'broken';
  return 'undecided';
}

export interface StageEntryOutcome {
  dealId: string;
  stage: OpenStage;
  /** The stay of the deal's first entry into the stage (its owner/team group the answer). */
  entry: StageStay;
  observation: CompetingObservation;
}

/**
 * Each deal's first entry into each open stage, as the stays stood at asOf, and what became of
 * the deal after it: the first WON or LOST stay entered at or after that entry (a loss ends the
 * observation even if the deal is reopened later), or censored at asOf.
 */
export function stageEntryOutcomes(stays: readonly StageStay[], asOf: Date): StageEntryOutcome[] {
  const outcomes: StageEntryOutcome[] = [];
  for (const [dealId, all] of staysByDeal(stays)) {
    const known = all.map((s) => stayAsOf(s, asOf)).filter((s): s is StageStay => s !== undefined);
    for (const stage of OPEN_STAGES) {
      const entry = known.find((s) => s.stage === stage);
      if (!entry) continue;
      const end = known.find((s) => s.seq > entry.seq && (s.stage === 'WON' || s.stage === 'LOST'));
      const observation: CompetingObservation = end
        ? { time: daysBetween(entry.enteredAt, end.enteredAt), outcome: end.stage === 'WON' ? 'event' : 'competing' }
        : { time: daysBetween(entry.enteredAt, asOf), outcome: 'censored' };
      outcomes.push({ dealId, stage, entry, observation });
    }
  }
  return outcomes;
}

export interface StageCalibration {
  stage: OpenStage;
  entered: number;
  won: number;
  lost: number;
  open: number;
  /** F(days) per horizon, ascending. */
  wonWithin: (IncidenceAt & { days: number })[];
  /** Only for the stage the playbook promises something about. */
  promise?: StagePromise & { estimate: IncidenceAt; verdict: PromiseVerdict };
}

/** The calibration of every open stage over the entries whose first entry lies in the period. */
export function stageCalibration(
  outcomes: readonly StageEntryOutcome[],
  period: Period,
  promise: StagePromise,
  horizons: readonly number[] = CALIBRATION_HORIZONS_DAYS,
): StageCalibration[] {
  return OPEN_STAGES.map((stage) => {
    const observations = outcomes.filter((o) => o.stage === stage && inPeriod(o.entry.enteredAt, period)).map((o) => o.observation);
    const curve = cumulativeIncidence(observations);
    const calibration: StageCalibration = {
      stage,
      entered: curve.n,
      won: curve.events,
      lost: curve.competing,
      open: curve.censored,
      wonWithin: horizons.map((days) => ({ days, ...incidenceAt(curve, observations, days) })),
    };
    if (stage === promise.stage) {
      const estimate = incidenceAt(curve, observations, promise.withinDays);
      calibration.promise = { ...promise, estimate, verdict: verdictOn(estimate, promise) };
    }
    return calibration;
  });
}
