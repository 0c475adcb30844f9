import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { BacktestAccuracy, BacktestPoint, backtest } from '@funnel/domain/metrics/forecast-backtest';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { CurrencyForecast, ForecastBasis, PipelineForecast, forecastFromBasis } from '@funnel/domain/metrics/pipeline-forecast';
import { DealFilters } from './analytics-filters';
import { roundAmount, roundDays, roundRate } from './analytics-numbers';
import { loadRepForecasts, loadStageMoves, matchesFilters } from '../deal-timeline/deal-timeline.rows';
import { basisAt, loadForecastBasis, readForecastBasis } from '../deal-timeline/forecast-basis.rows';
import { AnswerCache } from './answer-cache';
import { READ_MODEL_POOL } from '../projection/read-model-pool';

export interface SimulationSettings {
  runs: number;
  seed: number;
  lookbackDays: number;
  /** The reps' call counts deals forecast above this probability (0…1). */
  commitAbove: number;
}

export interface PipelineForecastReport {
  metricDefinitionVersion: string;
  asOf: string;
  horizon: { days: number; label: string; from: string; to: string };
  filters: ReturnType<typeof echoDealFilters>;
  settings: SimulationSettings;
  openDeals: number;
  /** Completed stays learnt from, per stage, and the arrival rates of new deals. */
  model: { completedStays: PipelineForecast['transitions']; arrivals: { windowDays: number; perCurrency: { currency: string; perDay: number; opened: number }[] } };
  currencies: Omit<CurrencyForecast, 'horizonDays'>[];
}

export type KnowledgeBasis = 'recorded' | 'occurred';

export interface BacktestReport {
  metricDefinitionVersion: string;
  asOf: string;
  knownBy: KnowledgeBasis;
  every: 'week' | 'month';
  leadTimesDays: number[];
  cutoffs: string[];
  filters: ReturnType<typeof echoDealFilters>;
  settings: SimulationSettings;
  accuracy: BacktestAccuracy[];
  points: BacktestPoint[];
}

@Injectable()
export class PipelineForecastQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  async forecast(filters: DealFilters, asOf: Date, horizon: { days: number; label: string }, settings: SimulationSettings): Promise<PipelineForecastReport> {
    // The basis is read ready-made (one statement) rather than folded from every move: the same answer, in a fraction of the time.
    const basis = await this.basis(filters, asOf);
    const result = forecastFromBasis(basis, { asOf, horizonsDays: [horizon.days], ...settings });
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.pipelineForecast,
      asOf: asOf.toISOString(),
      horizon: { days: roundDays(horizon.days) as number, label: horizon.label, from: asOf.toISOString(), to: new Date(asOf.getTime() + horizon.days * 86_400_000).toISOString() },
      filters: echoDealFilters(filters),
      settings,
      openDeals: result.openDeals,
      model: {
        completedStays: result.transitions,
        arrivals: {
          windowDays: roundDays(result.arrivals.windowDays) as number,
          perCurrency: result.arrivals.currencies.map((c) => ({ currency: c.currency, perDay: roundRate(c.perDay) as number, opened: c.amounts.length })),
        },
      },
      currencies: result.currencies.map((c) => ({
        currency: c.currency,
        simulation: {
          expected: roundAmount(c.simulation.expected) as number,
          p10: roundAmount(c.simulation.p10) as number,
          p50: roundAmount(c.simulation.p50) as number,
          p90: roundAmount(c.simulation.p90) as number,
          fromOpenDeals: roundAmount(c.simulation.fromOpenDeals) as number,
          fromNewDeals: roundAmount(c.simulation.fromNewDeals) as number,
        },
        weightedPipeline: roundAmount(c.weightedPipeline) as number,
        repForecast: roundAmount(c.repForecast) as number,
        openDeals: c.openDeals,
      })),
    };
  }

  /**
   * The company-wide basis (no filters: the dashboard's first question) is kept by the deal
   * timeline's position: read once with every move, it serves any asOf from its newest
   * instant on, such as "now" (only the ages change). One entry of a few MB; filtered or past
   * asOf bases are read for the request.
   */
  private async basis(filters: DealFilters, asOf: Date): Promise<ForecastBasis> {
    if (!filters.owner && !filters.team && !filters.region && !filters.industry) {
      const everything = await this.cache.answer('pipeline-forecast-basis', [], ['deal_timeline'], () => readForecastBasis(this.pool, null, {}));
      if (asOf.getTime() >= everything.newestMs) return basisAt(everything, asOf);
    }
    return loadForecastBasis(this.pool, asOf, filters);
  }

  async backtest(
    filters: DealFilters,
    now: Date,
    plan: { cutoffs: Date[]; every: 'week' | 'month'; leadTimesDays: number[]; knownBy: KnowledgeBasis },
    settings: SimulationSettings,
  ): Promise<BacktestReport> {
    const [moves, forecasts] = await Promise.all([loadStageMoves(this.pool), loadRepForecasts(this.pool)]);
    // knownBy=occurred treats each event as known when it happened: for history imported or
    // seeded after the fact, whose recorded time is the import's.
    const asKnown = plan.knownBy === 'recorded' ? { moves, forecasts } : { moves: moves.map((m) => ({ ...m, recordedAt: m.occurredAt })), forecasts: forecasts.map((f) => ({ ...f, recordedAt: f.occurredAt })) };
    const result = backtest({ ...asKnown, cutoffs: plan.cutoffs, leadTimesDays: plan.leadTimesDays, now, include: matchesFilters(filters), ...settings });
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.forecastBacktest,
      asOf: now.toISOString(),
      knownBy: plan.knownBy,
      every: plan.every,
      leadTimesDays: plan.leadTimesDays,
      cutoffs: plan.cutoffs.map((c) => c.toISOString()),
      filters: echoDealFilters(filters),
      settings,
      accuracy: result.accuracy.map((a) => ({ ...a, mape: roundRate(a.mape), bias: roundRate(a.bias), meanError: roundAmount(a.meanError) })),
      points: result.points.map((p) => ({
        ...p,
        actual: roundAmount(p.actual) as number,
        simulation: roundAmount(p.simulation) as number,
        weightedPipeline: roundAmount(p.weightedPipeline) as number,
        repForecast: roundAmount(p.repForecast) as number,
      })),
    };
  }
}

function echoDealFilters(filters: DealFilters) {
  return { owner: filters.owner ?? null, team: filters.team ?? null, region: filters.region ?? null, industry: filters.industry ?? null };
}
