/**
 * The analytics as first written: every matching row loaded into Node and the metric computed by
 * the pure functions of libs/domain/src/metrics. Kept as the reference the SQL implementations
 * in libs/read-models/src/analytics must agree with (test/analytics/analytics-agreement.spec.ts)
 * and as the "before" column of bench/analytics.bench.ts. Not used by the api.
 */
import { Pool } from 'pg';
import { dwellTimes } from '@funnel/domain/metrics/dwell-times';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DistributionSummary } from '@funnel/domain/metrics/statistics';
import { DealFilters, echoFilters, filterParams, periodParams } from '../../analytics/analytics-filters';
import { roundDays, roundSummary } from '../../analytics/analytics-numbers';
import { StageStayRow, toStageStay } from '../../analytics/stage-stay.row';
import { rows } from '../../analytics/rows';

/**
 * The stays whose dwell times are reported: those of the open stages entered in [from, to) and
 * by asOf, matched on the owner/team/region/industry recorded at entry. Selecting by entry (a
 * cohort of stays) keeps the naive and the Kaplan–Meier figures about the same stays: the naive
 * one drops those still open, KM censors them.
 */
const STAYS_ENTERED_IN_PERIOD = `
  SELECT deal_id, seq, stage, entered_at, exited_at, exit_kind, next_stage
    FROM rm.stage_intervals
   WHERE stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
     AND ($5::timestamptz IS NULL OR entered_at >= $5)
     AND ($6::timestamptz IS NULL OR entered_at < $6)
     AND entered_at <= $7
   ORDER BY deal_id, seq`;

export interface StageDwellTimesAnswer {
  stage: OpenStage;
  perStay: DistributionSummary;
  perDeal: DistributionSummary;
  openStays: number;
  kaplanMeier: { n: number; events: number; censored: number; median: number | null };
}

export interface DwellTimesAnswer {
  metricDefinitionVersion: string;
  asOf: string;
  filters: ReturnType<typeof echoFilters>;
  unit: 'days';
  stages: StageDwellTimesAnswer[];
}


export class ReferenceDwellTimesQuery {
  constructor(private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, asOf: Date): Promise<DwellTimesAnswer> {
    const stays = await rows<StageStayRow>(this.pool, STAYS_ENTERED_IN_PERIOD, [
      ...filterParams(filters),
      ...periodParams(period),
      asOf,
    ]);
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.dwellTimes,
      asOf: asOf.toISOString(),
      filters: echoFilters(filters, period),
      unit: 'days',
      stages: dwellTimes(stays.map(toStageStay), asOf).map((d) => ({
        stage: d.stage,
        perStay: roundSummary(d.perStay),
        perDeal: roundSummary(d.perDeal),
        openStays: d.openStays,
        kaplanMeier: { ...d.kaplanMeier, median: roundDays(d.kaplanMeier.median) },
      })),
    };
  }
}
