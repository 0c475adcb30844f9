/**
 * The analytics as first written: every matching row loaded into Node and the metric computed by
 * the pure functions of libs/domain/src/metrics. Kept as the reference the SQL implementations
 * in libs/read-models/src/analytics must agree with (test/analytics/analytics-agreement.spec.ts)
 * and as the "before" column of bench/analytics.bench.ts. Not used by the api.
 */
import { Pool } from 'pg';
import { StageConversion, conversionByStage } from '@funnel/domain/metrics/conversion';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { SkipPolicy } from '@funnel/domain/metrics/stage-passes';
import { WinRate, winRate } from '@funnel/domain/metrics/win-rate';
import { DealFilters, echoFilters, filterParams, periodParams } from '../../analytics/analytics-filters';
import { roundAmount, roundRate } from '../../analytics/analytics-numbers';
import { ClosedDealRow, DEALS_CLOSED_IN_PERIOD } from '../../analytics/closed-deals.sql';
import { StageStayRow, toStageStay } from '../../analytics/stage-stay.row';
import { rows } from '../../analytics/rows';

/**
 * Every stay of the deals matching the filters, opened before the period ends. A cohort needs
 * the deal's whole history — its first entry into a stage may precede a later, in-period stay,
 * and "reached the next stage" looks past the period — so the period is applied to the first
 * entry in TypeScript (libs/domain/src/metrics/conversion.ts), not to the rows here.
 */
const STAYS_OF_MATCHING_DEALS = `
  SELECT i.deal_id, i.seq, i.stage, i.entered_at, i.exited_at, i.exit_kind, i.next_stage
    FROM rm.stage_intervals i
    JOIN rm.deal_summary d ON d.deal_id = i.deal_id
   WHERE ($1::text IS NULL OR d.owner = $1)
     AND ($2::text IS NULL OR d.team = $2)
     AND ($3::text IS NULL OR d.region = $3)
     AND ($4::text IS NULL OR d.industry = $4)
     AND ($5::timestamptz IS NULL OR d.opened_at < $5)
   ORDER BY i.deal_id, i.seq`;

export interface ConversionAnswer {
  metricDefinitionVersion: string;
  filters: ReturnType<typeof echoFilters> & { skipPolicy: SkipPolicy };
  stages: StageConversion[];
  winRate: WinRate & { metricDefinitionVersion: string };
}


export class ReferenceConversionQuery {
  constructor(private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, skipPolicy: SkipPolicy): Promise<ConversionAnswer> {
    const [stays, closed] = await Promise.all([
      rows<StageStayRow>(this.pool, STAYS_OF_MATCHING_DEALS, [...filterParams(filters), period.to ?? null]),
      rows<ClosedDealRow>(this.pool, DEALS_CLOSED_IN_PERIOD, [...filterParams(filters), ...periodParams(period)]),
    ]);
    const rate = winRate(closed);
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.conversion,
      filters: { ...echoFilters(filters, period), skipPolicy },
      stages: conversionByStage(stays.map(toStageStay), skipPolicy, period).map((c) => ({
        ...c,
        toNextRate: roundRate(c.toNextRate),
        toWonRate: roundRate(c.toWonRate),
        cohorts: c.cohorts.map((k) => ({ ...k, toNextRate: roundRate(k.toNextRate), toWonRate: roundRate(k.toWonRate) })),
      })),
      winRate: {
        metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.winRate,
        won: rate.won,
        lost: rate.lost,
        byCount: roundRate(rate.byCount),
        byAmount: rate.byAmount.map((a) => ({
          currency: a.currency,
          wonAmount: roundAmount(a.wonAmount) as number,
          lostAmount: roundAmount(a.lostAmount) as number,
          rate: roundRate(a.rate),
        })),
      },
    };
  }
}
