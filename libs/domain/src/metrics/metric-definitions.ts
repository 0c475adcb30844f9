/**
 * The version of each metric's definition, named in every analytics response. docs/metrics.md
 * defines each one; a change to a numerator, denominator, censoring rule or quantile method
 * bumps the number so that a dashboard can tell two numbers apart that share a name.
 */
export const METRIC_DEFINITION_VERSIONS = {
  dwellTimes: 'dwell-times/1',
  conversion: 'conversion/1',
  winRate: 'win-rate/1',
  cycleTime: 'cycle-time/1',
  salesVelocity: 'sales-velocity/1',
  repPerformance: 'rep-performance/1',
  anomalies: 'anomalies/2',
  stageCalibration: 'stage-calibration/1',
  gateEffectiveness: 'gate-effectiveness/1',
  forecastCalibration: 'forecast-calibration/1',
  pipelineForecast: 'pipeline-forecast/1',
  forecastBacktest: 'forecast-backtest/1',
} as const;

export type MetricDefinitionVersion = (typeof METRIC_DEFINITION_VERSIONS)[keyof typeof METRIC_DEFINITION_VERSIONS];
