import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { ForecastScore, ForecastSelection, scorableForecasts, scoreForecasts } from '@funnel/domain/metrics/forecast-scoring';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { DealFilters, echoFilters } from './analytics-filters';
import { roundRate } from './analytics-numbers';

/** Brier scores and their terms to 6 decimals: their differences are often in the fourth. */
const roundScore = (value: number | null) => (value === null ? null : Math.round(value * 1e6) / 1e6);
import { loadRepForecasts, loadStageMoves, matchesFilters } from '../deal-timeline/deal-timeline.rows';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { CalibrationGrouping } from './stage-calibration.query';

export interface ForecastCalibrationGroup extends ForecastScore {
  /** The owner or team when the forecast was made; null for groupBy=all. */
  key: string | null;
}

export interface ForecastCalibrationReport {
  metricDefinitionVersion: string;
  asOf: string;
  cutoff: string;
  selection: ForecastSelection;
  groupBy: CalibrationGrouping;
  /** from/to select the expected close dates. */
  filters: ReturnType<typeof echoFilters>;
  groups: ForecastCalibrationGroup[];
}

export interface ForecastCalibrationOptions {
  asOf: Date;
  cutoff: Date;
  selection: ForecastSelection;
  groupBy: CalibrationGrouping;
}

@Injectable()
export class ForecastCalibrationQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, options: ForecastCalibrationOptions): Promise<ForecastCalibrationReport> {
    const [forecasts, moves] = await Promise.all([loadRepForecasts(this.pool), loadStageMoves(this.pool)]);
    // When each deal was first WON (business time): the outcome every forecast of it is scored against.
    const wonAt = new Map<string, Date>();
    for (const m of moves) if (m.to === 'WON' && !wonAt.has(m.dealId)) wonAt.set(m.dealId, m.occurredAt);
    const scored = scorableForecasts(forecasts.filter(matchesFilters(filters)), wonAt, { selection: options.selection, cutoff: options.cutoff, asOf: options.asOf, period });

    const groups = new Map<string | null, typeof scored>();
    const { groupBy } = options;
    if (groupBy === 'all') groups.set(null, scored);
    else {
      for (const s of scored) {
        const group = groups.get(s[groupBy]);
        if (group) group.push(s);
        else groups.set(s[groupBy], [s]);
      }
    }
    const keys = [...groups.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.forecastCalibration,
      asOf: options.asOf.toISOString(),
      cutoff: options.cutoff.toISOString(),
      selection: options.selection,
      groupBy,
      filters: echoFilters(filters, period),
      groups: keys.map((key) => ({ key, ...rounded(scoreForecasts(groups.get(key) ?? [])) })),
    };
  }
}

function rounded(score: ForecastScore): ForecastScore {
  const d = score.decomposition;
  return {
    ...score,
    baseRate: roundRate(score.baseRate),
    brier: roundScore(score.brier),
    decomposition: d && {
      reliability: roundScore(d.reliability) as number,
      resolution: roundScore(d.resolution) as number,
      uncertainty: roundScore(d.uncertainty) as number,
      withinBinVariance: roundScore(d.withinBinVariance) as number,
      withinBinCovariance: roundScore(d.withinBinCovariance) as number,
    },
    bins: score.bins.map((b) => ({ ...b, meanPredicted: roundRate(b.meanPredicted), observedRate: roundRate(b.observedRate) })),
  };
}
