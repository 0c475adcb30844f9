/**
 * The analytics as first written: every matching row loaded into Node and the metric computed by
 * the pure functions of libs/domain/src/metrics. Kept as the reference the SQL implementations
 * in libs/read-models/src/analytics must agree with (test/analytics/analytics-agreement.spec.ts)
 * and as the "before" column of bench/analytics.bench.ts. Not used by the api.
 */
import { Pool } from 'pg';
import { daysBetween } from '@funnel/domain/metrics/business-time';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { salesVelocity } from '@funnel/domain/metrics/sales-velocity';
import { SkipPolicy, firstPass } from '@funnel/domain/metrics/stage-passes';
import { OpenStage, staysByDeal } from '@funnel/domain/metrics/stage-stay';
import { DistributionSummary, median, summarize } from '@funnel/domain/metrics/statistics';
import { winRate } from '@funnel/domain/metrics/win-rate';
import { DealFilters, echoFilters, filterParams, periodParams } from '../../analytics/analytics-filters';
import { roundAmount, roundDays, roundRate, roundSummary } from '../../analytics/analytics-numbers';
import { ClosedDealRow, DEALS_CLOSED_IN_PERIOD } from '../../analytics/closed-deals.sql';
import { StageStayRow, toStageStay } from '../../analytics/stage-stay.row';
import { rows } from '../../analytics/rows';

/** Every stay of the given deals (the won ones), to find when each first entered `fromStage`. */
const STAYS_OF_DEALS = `
  SELECT deal_id, seq, stage, entered_at, exited_at, exit_kind, next_stage
    FROM rm.stage_intervals
   WHERE deal_id = ANY($1::uuid[])
   ORDER BY deal_id, seq`;

/** The pipeline that velocity multiplies: deals open now, per currency. */
const OPEN_DEALS_BY_CURRENCY = `
  SELECT currency, count(*)::int AS open_deals
    FROM rm.deal_summary
   WHERE status = 'open'
     AND ($1::text IS NULL OR owner = $1)
     AND ($2::text IS NULL OR team = $2)
     AND ($3::text IS NULL OR region = $3)
     AND ($4::text IS NULL OR industry = $4)
   GROUP BY currency`;

export interface CycleTimeAnswer {
  metricDefinitionVersion: string;
  filters: ReturnType<typeof echoFilters> & { fromStage: OpenStage | null; skipPolicy: SkipPolicy };
  unit: 'days';
  /** 'opened' or the stage the cycle is measured from. */
  measuredFrom: OpenStage | 'opened';
  cycle: DistributionSummary;
  /** Won deals left out because they never entered (or, under 'any', passed) fromStage. */
  wonWithoutFromStage: number;
  salesVelocity: {
    metricDefinitionVersion: string;
    winRate: number | null;
    /** Median of opened → won, whatever fromStage says. */
    medianCycleDays: number | null;
    byCurrency: { currency: string; openDeals: number; averageWonAmount: number | null; perDay: number | null }[];
  };
}


export class ReferenceCycleTimeQuery {
  constructor(private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, fromStage: OpenStage | undefined, skipPolicy: SkipPolicy): Promise<CycleTimeAnswer> {
    const [closed, open] = await Promise.all([
      rows<ClosedDealRow>(this.pool, DEALS_CLOSED_IN_PERIOD, [...filterParams(filters), ...periodParams(period)]),
      rows<{ currency: string; open_deals: number }>(this.pool, OPEN_DEALS_BY_CURRENCY, filterParams(filters)),
    ]);
    const won = closed.filter((d) => d.status === 'won');
    const fullCycles = won.map((d) => daysBetween(d.opened_at, d.closed_at));

    let cycles = fullCycles;
    if (fromStage) {
      const stayRows = await rows<StageStayRow>(this.pool, STAYS_OF_DEALS, [won.map((d) => d.deal_id)]);
      const stays = staysByDeal(stayRows.map(toStageStay));
      cycles = won.flatMap((d) => {
        const start = firstPass(stays.get(d.deal_id) ?? [], fromStage, skipPolicy);
        return start ? [daysBetween(start, d.closed_at)] : [];
      });
    }

    const rate = winRate(closed).byCount;
    const medianCycleDays = median(fullCycles);
    const currencies = [...new Set([...open.map((o) => o.currency), ...won.map((d) => d.currency)])].sort();
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.cycleTime,
      filters: { ...echoFilters(filters, period), fromStage: fromStage ?? null, skipPolicy },
      unit: 'days',
      measuredFrom: fromStage ?? 'opened',
      cycle: roundSummary(summarize(cycles)),
      wonWithoutFromStage: won.length - cycles.length,
      salesVelocity: {
        metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.salesVelocity,
        winRate: roundRate(rate),
        medianCycleDays: roundDays(medianCycleDays),
        byCurrency: currencies.map((currency) => {
          const v = salesVelocity({
            openDeals: open.find((o) => o.currency === currency)?.open_deals ?? 0,
            wonAmounts: won.filter((d) => d.currency === currency).map((d) => d.amount),
            winRate: rate,
            medianCycleDays,
          });
          return { currency, openDeals: v.openDeals, averageWonAmount: roundAmount(v.averageWonAmount), perDay: roundAmount(v.perDay) };
        }),
      },
    };
  }
}
