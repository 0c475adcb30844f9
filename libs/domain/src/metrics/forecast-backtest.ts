/**
 * How good is the forecast? It is made again as of each past cut-off with only what had been
 * recorded by then (the knownAt axis: a stage change entered late was not known on the day it
 * claims), and set against the WON amount that then closed in the following lead time, as known
 * today. MAPE and bias per method (simulation, weighted pipeline, reps' call), lead time and
 * currency.
 */
import { MS_PER_DAY } from './business-time';
import { PipelineForecastInput, forecastPipeline } from './pipeline-forecast';
import { StageMove } from './stage-move';

export type BacktestMethod = 'simulation' | 'weightedPipeline' | 'repForecast';
export const BACKTEST_METHODS: readonly BacktestMethod[] = ['simulation', 'weightedPipeline', 'repForecast'];

export interface BacktestInput extends Omit<PipelineForecastInput, 'asOf' | 'knownAt' | 'horizonsDays'> {
  cutoffs: readonly Date[];
  leadTimesDays: readonly number[];
  /** What happened is judged with everything recorded by now; a cut-off is scored once cut-off + lead ≤ now. */
  now: Date;
}

export interface BacktestPoint {
  cutoff: string;
  leadTimeDays: number;
  currency: string;
  actual: number;
  simulation: number;
  weightedPipeline: number;
  repForecast: number;
}

export interface BacktestAccuracy {
  method: BacktestMethod;
  leadTimeDays: number;
  currency: string;
  /** Scored cut-offs. */
  n: number;
  /** Mean of |forecast − actual| / actual over the scored cut-offs with actual > 0; null when none. */
  mape: number | null;
  /** Cut-offs left out of the MAPE because nothing was won (actual = 0). */
  zeroActual: number;
  /** Σ (forecast − actual) / Σ actual: + over-forecasts, − under-forecasts; null when Σ actual = 0. */
  bias: number | null;
  /** Mean of forecast − actual, in the currency. */
  meanError: number | null;
}

export interface Backtest {
  points: BacktestPoint[];
  accuracy: BacktestAccuracy[];
}

export function backtest(input: BacktestInput): Backtest {
  const scored = (cutoff: Date, lead: number) => cutoff.getTime() + lead * MS_PER_DAY <= input.now.getTime();
  const won = wonMoves(input.moves, input.now);
  const mine = input.include ?? (() => true);
  const points: BacktestPoint[] = [];
  for (const cutoff of input.cutoffs) {
    const leads = input.leadTimesDays.filter((lead) => scored(cutoff, lead));
    if (leads.length === 0) continue;
    const forecast = forecastPipeline({ ...input, asOf: cutoff, knownAt: cutoff, horizonsDays: leads });
    const currencies = new Set([...forecast.currencies.map((c) => c.currency), ...won.filter(mine).map((m) => m.currency)]);
    for (const lead of leads) {
      const end = cutoff.getTime() + lead * MS_PER_DAY;
      for (const currency of [...currencies].sort()) {
        const actual = won
          .filter((m) => m.currency === currency && mine(m) && m.occurredAt.getTime() > cutoff.getTime() && m.occurredAt.getTime() <= end)
          .reduce((s, m) => s + m.amount, 0);
        const f = forecast.currencies.find((c) => c.currency === currency && c.horizonDays === lead);
        points.push({
          cutoff: cutoff.toISOString(),
          leadTimeDays: lead,
          currency,
          actual,
          simulation: f?.simulation.expected ?? 0,
          weightedPipeline: f?.weightedPipeline ?? 0,
          repForecast: f?.repForecast ?? 0,
        });
      }
    }
  }
  return { points, accuracy: accuracyOf(points, input.leadTimesDays) };
}

/** Deals WON as known now: the WON moves that happened and were recorded by now. */
function wonMoves(moves: readonly StageMove[], now: Date): StageMove[] {
  return moves.filter((m) => m.to === 'WON' && m.occurredAt.getTime() <= now.getTime() && m.recordedAt.getTime() <= now.getTime());
}

export function accuracyOf(points: readonly BacktestPoint[], leadTimesDays: readonly number[]): BacktestAccuracy[] {
  const accuracy: BacktestAccuracy[] = [];
  const currencies = [...new Set(points.map((p) => p.currency))].sort();
  for (const method of BACKTEST_METHODS) {
    for (const leadTimeDays of leadTimesDays) {
      for (const currency of currencies) {
        const these = points.filter((p) => p.leadTimeDays === leadTimeDays && p.currency === currency);
        if (these.length === 0) continue;
        const withActual = these.filter((p) => p.actual > 0);
        const sumActual = these.reduce((s, p) => s + p.actual, 0);
        const sumError = these.reduce((s, p) => s + (p[method] - p.actual), 0);
        accuracy.push({
          method,
          leadTimeDays,
          currency,
          n: these.length,
          mape: withActual.length ? withActual.reduce((s, p) => s + Math.abs(p[method] - p.actual) / p.actual, 0) / withActual.length : null,
          zeroActual: these.length - withActual.length,
          bias: sumActual > 0 ? sumError / sumActual : null,
          meanError: sumError / these.length,
        });
      }
    }
  }
  return accuracy;
}

export type CutoffSpacing = 'week' | 'month';
export const CUTOFF_SPACINGS: readonly CutoffSpacing[] = ['week', 'month'];

/** Every Monday 00:00 UTC (week) or first of the month 00:00 UTC (month) in [from, to). */
export function backtestCutoffs(from: Date, to: Date, every: CutoffSpacing): Date[] {
  const cutoffs: Date[] = [];
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), every === 'month' ? 1 : from.getUTCDate()));
  if (every === 'week') start.setUTCDate(start.getUTCDate() + ((8 - start.getUTCDay()) % 7));
  for (let at = start; at.getTime() < to.getTime(); ) {
    if (at.getTime() >= from.getTime()) cutoffs.push(at);
    at = every === 'week' ? new Date(at.getTime() + 7 * MS_PER_DAY) : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  }
  return cutoffs;
}
