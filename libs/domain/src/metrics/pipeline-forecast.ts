/**
 * The pipeline forecast as anyone could have made it at `asOf` with what was recorded by
 * `knownAt`: the Monte Carlo over history (pipeline-simulation.ts) beside the classic weighted
 * pipeline and the reps' own call, per currency and horizon. The live forecast is this at now;
 * the backtest is this at each past cut-off.
 */
import { MS_PER_DAY } from './business-time';
import {
  ArrivalModel,
  DealOpening,
  OpenDealPosition,
  RunSummary,
  TransitionModel,
  learnArrivals,
  learnTransitionsFromMoves,
  simulatePipeline,
  summarizeRuns,
} from './pipeline-simulation';
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

export interface OpenDeal extends OpenDealPosition {
  dealId: string;
}

/** A deal's latest forecast by asOf: what the weighted pipeline and the reps' call read. */
export type LatestForecast = Pick<RepForecast, 'probability' | 'expectedCloseDate'>;

/**
 * What the forecast is made from, as it stood at asOf: the transition tables (whole company),
 * the openings that set the arrival rates and the open deals (both as the filters select them,
 * in deal order: the simulation draws for them in this order), and the open deals' latest
 * forecasts. Folded from the moves here, or read ready-made from the read model.
 */
export interface ForecastBasis {
  transitions: TransitionModel;
  openings: DealOpening[];
  open: OpenDeal[];
  latest: ReadonlyMap<string, LatestForecast>;
}

export type ForecastSettings = Pick<PipelineForecastInput, 'asOf' | 'horizonsDays' | 'runs' | 'seed' | 'lookbackDays' | 'commitAbove'>;

export function forecastPipeline(input: PipelineForecastInput): PipelineForecast {
  return forecastFromBasis(forecastBasis(input), input);
}

/** The basis from the moves and forecasts known at asOf (and recorded by knownAt). */
export function forecastBasis(input: Omit<PipelineForecastInput, 'horizonsDays' | 'runs' | 'seed' | 'lookbackDays' | 'commitAbove'>): ForecastBasis {
  const { asOf, knownAt } = input;
  const byDeal = movesByDeal(movesKnownBy(input.moves, asOf, knownAt));
  const transitions = learnTransitionsFromMoves(byDeal.values(), asOf);
  const mine = input.include ?? (() => true);

  const openings = [...byDeal.values()]
    .map((moves) => moves[0])
    .filter((m) => m.kind === 'opened' && mine(m))
    .map((m) => ({ openedAt: m.occurredAt, amount: m.amount, currency: m.currency }));

  const open: OpenDeal[] = [];
  for (const [dealId, moves] of byDeal) {
    const last = moves[moves.length - 1];
    if (moves[0].kind !== 'opened' || !(OPEN_STAGES as readonly string[]).includes(last.to) || !mine(last)) continue;
    open.push({ dealId, stage: last.to as OpenStage, ageDays: (asOf.getTime() - last.occurredAt.getTime()) / MS_PER_DAY, amount: last.amount, currency: last.currency });
  }
  return { transitions, openings, open, latest: latestForecasts(input.forecasts, asOf, knownAt) };
}

export function forecastFromBasis(basis: ForecastBasis, settings: ForecastSettings): PipelineForecast {
  const { transitions, open, latest } = basis;
  const { asOf } = settings;
  const arrivals = learnArrivals(basis.openings, asOf, settings.lookbackDays);
  const simulated = simulatePipeline(open, transitions, arrivals, { horizonsDays: settings.horizonsDays, runs: settings.runs, seed: settings.seed });

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
        if (f.probability / 100 > settings.commitAbove) repForecast += d.amount;
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
