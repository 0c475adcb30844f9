/**
 * The pipeline's WON amount within a horizon, by Monte Carlo over what history shows. Each open
 * stage has an empirical table of its completed stays: how long each lasted and where the deal
 * went (the next stage, an earlier one, WON or LOST). A deal in stage s for `age` days draws one
 * of the stays of s that lasted longer than `age` (it is known to have lasted that long), moves
 * where that stay went after the rest of its length, and so on until WON, LOST or the horizon.
 * Deals not yet opened arrive as a Poisson process at the rate history shows, per currency,
 * with an amount drawn from the deals opened in that currency, and start in TARGET.
 *
 * Deterministic: the same inputs and seed give the same numbers (seeded-random.ts).
 */
import { DealStatusStage, STAGES } from '../playbook/stage';
import { MS_PER_DAY, daysBetween } from './business-time';
import { Random, seededRandom } from './seeded-random';
import { OPEN_STAGES, OpenStage, StageStay } from './stage-stay';
import { StageMove } from './stage-move';
import { quantile } from './statistics';

const WON = STAGES.indexOf('WON');
const LOST = STAGES.length;
/** A deal that keeps moving back and forth stops being simulated after this many moves. */
const MAX_MOVES = 64;

function codeOf(stage: DealStatusStage): number {
  return stage === 'LOST' ? LOST : STAGES.indexOf(stage);
}

/**
 * Every completed stay of the open stages, grouped by stage code and ascending by length within
 * a stage: those of code c are at [start[c], start[c + 1]). Flat typed arrays, since the
 * simulation reads them tens of millions of times.
 */
export interface TransitionModel {
  /** Days of each stay. */
  days: Float64Array;
  /** Where each went, as a stage code (0…6 = STAGES, 7 = LOST). */
  next: Uint8Array;
  start: Int32Array;
  /** Completed stays per open stage, for the answer. */
  counts: Record<OpenStage, number>;
}

/** The completed stays (ended by asOf, however) of the open stages, as they stood at asOf. */
export function learnTransitions(stays: readonly StageStay[], asOf: Date): TransitionModel {
  const packed = emptyPacking();
  const until = asOf.getTime();
  for (const stay of stays) {
    // Ended by asOf (a stay that ended later was still open then).
    if (!stay.exitedAt || !stay.nextStage || stay.exitedAt.getTime() > until) continue;
    pack(packed, stay.stage, stay.exitedAt.getTime() - stay.enteredAt.getTime(), stay.nextStage);
  }
  return build(packed);
}

/**
 * The same from each deal's moves in business-time order (a stay runs from one move to the
 * next), without making the stays: the forecast learns from every deal's whole history.
 */
export function learnTransitionsFromMoves(movesPerDeal: Iterable<readonly StageMove[]>, asOf: Date): TransitionModel {
  const packed = emptyPacking();
  const until = asOf.getTime();
  for (const moves of movesPerDeal) {
    if (moves[0]?.kind !== 'opened') continue;
    for (let i = 1; i < moves.length; i++) {
      const ended = moves[i].occurredAt.getTime();
      if (ended > until) break;
      pack(packed, moves[i - 1].to, ended - moves[i - 1].occurredAt.getTime(), moves[i].to);
    }
  }
  return build(packed);
}

/** One open stage's completed stays as parallel lists: each one's length in ms and where it went. */
export interface CompletedStays {
  stage: OpenStage;
  ms: readonly number[];
  to: readonly DealStatusStage[];
}

/** The same model from stays already paired up (by the read model, in SQL): the same tables. */
export function transitionsFromStays(perStage: Iterable<CompletedStays>): TransitionModel {
  const packed = emptyPacking();
  for (const { stage, ms, to } of perStage) for (let i = 0; i < ms.length; i++) pack(packed, stage, ms[i], to[i]);
  return build(packed);
}

// Each stay is packed into one exact number, length in ms × 8 + where it went, so that a native
// numeric sort orders a stage's stays by length (ms lengths stay far below 2⁵³ / 8).
function emptyPacking(): number[][] {
  return Array.from({ length: LOST + 1 }, () => []);
}

function pack(packed: number[][], stage: DealStatusStage, ms: number, to: DealStatusStage): void {
  if (stage === 'WON' || stage === 'LOST') return;
  packed[codeOf(stage)].push(Math.max(0, ms) * 8 + codeOf(to));
}

function build(packed: number[][]): TransitionModel {
  const total = packed.reduce((n, list) => n + list.length, 0);
  const days = new Float64Array(total);
  const next = new Uint8Array(total);
  const start = new Int32Array(LOST + 2);
  let at = 0;
  for (let code = 0; code <= LOST; code++) {
    start[code] = at;
    for (const key of Float64Array.from(packed[code]).sort()) {
      const to = key % 8;
      days[at] = (key - to) / 8 / MS_PER_DAY;
      next[at] = to;
      at++;
    }
  }
  start[LOST + 1] = at;
  const counts = Object.fromEntries(OPEN_STAGES.map((stage) => [stage, packed[codeOf(stage)].length])) as Record<OpenStage, number>;
  return { days, next, start, counts };
}

/** Deals opened per day in a currency, and the amounts they were opened with. */
export interface CurrencyArrivals {
  currency: string;
  perDay: number;
  amounts: number[];
}

export interface ArrivalModel {
  /** The days the rates were measured over. */
  windowDays: number;
  currencies: CurrencyArrivals[];
}

export interface DealOpening {
  openedAt: Date;
  amount: number;
  currency: string;
}

/**
 * Arrival rates from the deals opened in the `lookbackDays` before asOf — or since the first
 * opening known, when history is shorter (a rate over days with no history would be too low).
 */
export function learnArrivals(openings: readonly DealOpening[], asOf: Date, lookbackDays: number): ArrivalModel {
  const known = openings.filter((o) => o.openedAt.getTime() <= asOf.getTime());
  if (known.length === 0) return { windowDays: 0, currencies: [] };
  const first = Math.min(...known.map((o) => o.openedAt.getTime()));
  const windowDays = Math.min(lookbackDays, daysBetween(new Date(first), asOf));
  if (windowDays <= 0) return { windowDays: 0, currencies: [] };
  const since = asOf.getTime() - windowDays * 86_400_000;
  const inWindow = known.filter((o) => o.openedAt.getTime() >= since);
  const currencies = [...new Set(inWindow.map((o) => o.currency))].sort();
  return {
    windowDays,
    currencies: currencies.map((currency) => {
      const amounts = inWindow.filter((o) => o.currency === currency).map((o) => o.amount);
      return { currency, perDay: amounts.length / windowDays, amounts };
    }),
  };
}

/** An open deal where it stands at asOf. */
export interface OpenDealPosition {
  stage: OpenStage;
  /** Days in the stage so far. */
  ageDays: number;
  amount: number;
  currency: string;
}

export interface SimulationOptions {
  /** Ascending; the WON amount is counted within each. */
  horizonsDays: readonly number[];
  runs: number;
  seed: number;
}

/** Per currency and horizon, the WON amount of each run, from open deals and from new ones. */
export interface SimulatedCurrency {
  currency: string;
  byHorizon: { horizonDays: number; fromOpen: Float64Array; fromNew: Float64Array }[];
}

export function simulatePipeline(
  open: readonly OpenDealPosition[],
  transitions: TransitionModel,
  arrivals: ArrivalModel,
  options: SimulationOptions,
): SimulatedCurrency[] {
  const { horizonsDays, runs } = options;
  const longest = horizonsDays[horizonsDays.length - 1] ?? 0;
  const currencies = [...new Set([...open.map((d) => d.currency), ...arrivals.currencies.map((c) => c.currency)])].sort();
  const index = new Map(currencies.map((c, i) => [c, i]));
  const result: SimulatedCurrency[] = currencies.map((currency) => ({
    currency,
    byHorizon: horizonsDays.map((horizonDays) => ({ horizonDays, fromOpen: new Float64Array(runs), fromNew: new Float64Array(runs) })),
  }));
  const random = seededRandom(options.seed);
  const { days, next, start } = transitions;
  // The hot loop runs runs × deals times: plain typed arrays, and each deal's first draw range
  // (the stays of its stage longer than its age) found once rather than in every run.
  const n = open.length;
  const firstFrom = new Int32Array(n);
  const firstEnd = new Int32Array(n);
  const ages = Float64Array.from(open, (d) => d.ageDays);
  const amounts = Float64Array.from(open, (d) => d.amount);
  const currencyOf = Int32Array.from(open, (d) => index.get(d.currency) as number);
  open.forEach((d, i) => {
    const code = codeOf(d.stage);
    firstFrom[i] = d.ageDays > 0 ? firstLonger(days, start[code], start[code + 1], d.ageDays) : start[code];
    firstEnd[i] = start[code + 1];
  });
  const horizons = Float64Array.from(horizonsDays);
  const fromOpen = result.map((c) => c.byHorizon.map((h) => h.fromOpen));
  const fromNew = result.map((c) => c.byHorizon.map((h) => h.fromNew));
  const count = (target: Float64Array[][], currency: number, run: number, wonAt: number, amount: number) => {
    const perHorizon = target[currency];
    for (let h = 0; h < horizons.length; h++) if (wonAt <= horizons[h]) perHorizon[h][run] += amount;
  };
  const target = codeOf('TARGET');
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < n; i++) {
      const from = firstFrom[i];
      const end = firstEnd[i];
      // No stay of the stage seen, or none as long as this deal has waited: history has nothing to say.
      if (from >= end) continue;
      const pick = from + Math.floor(random() * (end - from));
      const first = days[pick] - ages[i];
      if (first > longest) continue;
      const to = next[pick];
      if (to === LOST) continue;
      const after = to === WON ? 0 : daysToWon(transitions, to, longest - first, random);
      if (after >= 0) count(fromOpen, currencyOf[i], run, first + after, amounts[i]);
    }
    for (const a of arrivals.currencies) {
      if (a.perDay <= 0) continue;
      const currency = index.get(a.currency) as number;
      // Exponential gaps between openings: a Poisson process, with its arrival times.
      for (let t = -Math.log(1 - random()) / a.perDay; t <= longest; t += -Math.log(1 - random()) / a.perDay) {
        const amount = a.amounts[Math.floor(random() * a.amounts.length)];
        const wonAfter = daysToWon(transitions, target, longest - t, random);
        if (wonAfter >= 0) count(fromNew, currency, run, t + wonAfter, amount);
      }
    }
  }
  return result;
}

/**
 * Days until a deal that has just entered stage `code` is WON within `budget` days, or −1
 * (lost, past the budget, or a stage with no history to go on).
 */
function daysToWon(model: TransitionModel, code: number, budget: number, random: Random): number {
  const { days, next, start } = model;
  let elapsed = 0;
  for (let move = 0; move < MAX_MOVES; move++) {
    const from = start[code];
    const size = start[code + 1] - from;
    if (size === 0) return -1;
    const pick = from + Math.floor(random() * size);
    elapsed += days[pick];
    if (elapsed > budget) return -1;
    code = next[pick];
    if (code === WON) return elapsed;
    if (code === LOST) return -1;
  }
  return -1;
}

/** The first index in [from, to) whose value is > x (values ascending there), or `to`. */
function firstLonger(values: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface RunSummary {
  /** Mean over the runs. */
  expected: number;
  p10: number;
  p50: number;
  p90: number;
}

/** Mean and P10/P50/P90 (type 7, as every quantile here) of the runs. */
export function summarizeRuns(values: ArrayLike<number>): RunSummary {
  const list = Array.from(values);
  const total = list.reduce((s, v) => s + v, 0);
  return {
    expected: list.length ? total / list.length : 0,
    p10: quantile(list, 0.1) ?? 0,
    p50: quantile(list, 0.5) ?? 0,
    p90: quantile(list, 0.9) ?? 0,
  };
}
