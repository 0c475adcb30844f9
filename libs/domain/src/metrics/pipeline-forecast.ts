/**
 * The pipeline forecast as anyone could have made it at `asOf` with what was recorded by
 * `knownAt`: the Monte Carlo over history (pipeline-simulation.ts) beside the classic weighted
 * pipeline and the reps' own call, per currency and horizon. The live forecast is this at now;
 * the backtest is this at each past cut-off.
 */
import { MS_PER_DAY } from './business-time';
import { ArrivalModel, OpenDealPosition, RunSummary, TransitionModel, learnArrivals, learnTransitionsFromMoves, simulatePipeline, summarizeRuns } from './pipeline-simulation';
import { OPEN_STAGES, OpenStage } from './stage-stay';
import { RepForecast, latestForecasts } from './rep-forecast';
import { StageMove, movesByDeal, movesKnownBy } from './stage-move';

export interface PipelineForecastInput {
  moves: readonly StageMove[];
  forecasts: readonly RepForecast[];
  asOf: Date;
  /** Only what was recorded by then (default: everything recorded). */
  knownAt?: Date;
  horizonsDays: readonly number[];
  runs: number;
  seed: number;
  /** Arrival rates are measured over this many days before asOf. */
  lookbackDays: number;
  /** The reps' call counts the deals they give more than this probability (0…1). */
  commitAbove: number;
  /**
   * Which deals count, judged on their latest move (open deals) and their opening (arrivals);
   * default all. Stage transitions are always learnt from the whole company.
   */
  include?: (move: StageMove) => boolean;
}

export interface CurrencyForecast {
  currency: string;
  horizonDays: number;
  /** Expected WON amount (mean of the runs) and its P10/P50/P90; the two parts of the mean. */
  simulation: RunSummary & { fromOpenDeals: number; fromNewDeals: number };
  /** Σ amount × probability of the open deals whose latest forecast closes before the horizon ends. */
  weightedPipeline: number;
  /** Σ amount of those the rep gives more than `commitAbove`. */
  repForecast: number;
  openDeals: number;
}

export interface PipelineForecast {
  openDeals: number;
  transitions: TransitionModel['counts'];
  arrivals: ArrivalModel;
  currencies: CurrencyForecast[];
}

interface OpenDeal extends OpenDealPosition {
  dealId: string;
}

export function forecastPipeline(input: PipelineForecastInput): PipelineForecast {
  const { asOf, knownAt } = input;
  const byDeal = movesByDeal(movesKnownBy(input.moves, asOf, knownAt));
  const transitions = learnTransitionsFromMoves(byDeal.values(), asOf);
  const mine = input.include ?? (() => true);

  const openings = [...byDeal.values()].map((moves) => moves[0]).filter((m) => m.kind === 'opened' && mine(m));
  const arrivals = learnArrivals(openings.map((m) => ({ openedAt: m.occurredAt, amount: m.amount, currency: m.currency })), asOf, input.lookbackDays);

  const open: OpenDeal[] = [];
  for (const [dealId, moves] of byDeal) {
    const last = moves[moves.length - 1];
    if (moves[0].kind !== 'opened' || !(OPEN_STAGES as readonly string[]).includes(last.to) || !mine(last)) continue;
    open.push({ dealId, stage: last.to as OpenStage, ageDays: (asOf.getTime() - last.occurredAt.getTime()) / MS_PER_DAY, amount: last.amount, currency: last.currency });
  }
  const latest = latestForecasts(input.forecasts, asOf, knownAt);
  const simulated = simulatePipeline(open, transitions, arrivals, { horizonsDays: input.horizonsDays, runs: input.runs, seed: input.seed });

  const currencies: CurrencyForecast[] = [];
  for (const { currency, byHorizon } of simulated) {
    const inCurrency = open.filter((d) => d.currency === currency);
    for (const { horizonDays, fromOpen, fromNew } of byHorizon) {
      const windowEnd = asOf.getTime() + horizonDays * MS_PER_DAY;
      let weightedPipeline = 0;
      let repForecast = 0;
      for (const d of inCurrency) {
        const f = latest.get(d.dealId);
        if (!f || Date.parse(`${f.expectedCloseDate}T00:00:00Z`) >= windowEnd) continue;
        weightedPipeline += (d.amount * f.probability) / 100;
        if (f.probability / 100 > input.commitAbove) repForecast += d.amount;
      }
      const total = fromOpen.map((v, run) => v + fromNew[run]);
      currencies.push({
        currency,
        horizonDays,
        simulation: { ...summarizeRuns(total), fromOpenDeals: summarizeRuns(fromOpen).expected, fromNewDeals: summarizeRuns(fromNew).expected },
        weightedPipeline,
        repForecast,
        openDeals: inCurrency.length,
      });
    }
  }
  return { openDeals: open.length, transitions: transitions.counts, arrivals, currencies };
}

export type HorizonLabel = '30' | '90' | '180' | 'quarter';
export const HORIZONS: readonly HorizonLabel[] = ['30', '90', '180', 'quarter'];

/** Days from asOf to the horizon's end: 30, 90, 180, or the end of asOf's UTC calendar quarter. */
export function horizonDays(label: HorizonLabel, asOf: Date): number {
  if (label !== 'quarter') return Number(label);
  const nextQuarter = Date.UTC(asOf.getUTCFullYear(), Math.floor(asOf.getUTCMonth() / 3) * 3 + 3, 1);
  return (nextQuarter - asOf.getTime()) / MS_PER_DAY;
}
