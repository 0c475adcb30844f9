import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { ConversionCounts, StageConversion } from '@funnel/domain/metrics/conversion';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { SkipPolicy } from '@funnel/domain/metrics/stage-passes';
import { OPEN_STAGES } from '@funnel/domain/metrics/stage-stay';
import { ratio } from '@funnel/domain/metrics/statistics';
import { WinRate } from '@funnel/domain/metrics/win-rate';
import { Stage, STAGES, nextStage } from '@funnel/domain/playbook/stage';
import { DealFilters, echoFilters, filterParams, periodParams } from './analytics-filters';
import { roundAmount, roundRate } from './analytics-numbers';
import { AnswerCache } from './answer-cache';
import { CLOSED_DEALS_BY_STATUS_AND_CURRENCY, ClosedDealsRow, winRateOf } from './closed-deals.sql';
import { stagePassesSql } from './stage-passes.sql';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

/**
 * conversion/1 counted in SQL, one row per (stage, cohort month). Per deal matching the filters
 * (current attributes) and per stage: the first pass into it (`first_at`) and the last pass
 * (`last_at`); the deal reached the next stage when its last pass into the next stage is at or
 * after the first pass into this one ("entered s + 1 at any time after first entering s"); it is
 * won when it has a WON stay. The period ($8 from, $5 to) applies to the first pass; the cohort
 * is its UTC month. Deals opened at or after `to` cannot have a first pass before it and are
 * left out early.
 */
const CONVERSION_BY_COHORT = `
  WITH deals AS (
    SELECT deal_id FROM rm.deal_summary
     WHERE ($1::text IS NULL OR owner = $1)
       AND ($2::text IS NULL OR team = $2)
       AND ($3::text IS NULL OR region = $3)
       AND ($4::text IS NULL OR industry = $4)
       AND ($5::timestamptz IS NULL OR opened_at < $5)
  ),
  ${stagePassesSql('$6', '$7')},
  firsts AS (
    SELECT deal_id, stage, min(at) AS first_at, max(at) AS last_at FROM passes GROUP BY deal_id, stage
  ),
  won AS (
    SELECT DISTINCT i.deal_id FROM rm.stage_intervals i JOIN deals USING (deal_id) WHERE i.stage = 'WON'
  )
  SELECT f.stage, to_char(f.first_at AT TIME ZONE 'UTC', 'YYYY-MM') AS cohort,
         count(*)::int AS entered,
         count(*) FILTER (WHERE n.last_at >= f.first_at)::int AS reached_next,
         count(w.deal_id)::int AS won
    FROM firsts f
    LEFT JOIN firsts n ON n.deal_id = f.deal_id AND n.stage = ($7::text[])[array_position($7::text[], f.stage) + 1]
    LEFT JOIN won w ON w.deal_id = f.deal_id
   WHERE f.stage IN ('TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION')
     AND ($8::timestamptz IS NULL OR f.first_at >= $8)
     AND ($5::timestamptz IS NULL OR f.first_at < $5)
   GROUP BY 1, 2`;

interface CohortRow {
  stage: string;
  cohort: string;
  entered: number;
  reached_next: number;
  won: number;
}

export interface ConversionAnswer {
  metricDefinitionVersion: string;
  filters: ReturnType<typeof echoFilters> & { skipPolicy: SkipPolicy };
  stages: StageConversion[];
  winRate: WinRate & { metricDefinitionVersion: string };
}

@Injectable()
export class ConversionQuery {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly cache: AnswerCache,
  ) {}

  answer(filters: DealFilters, period: Period, skipPolicy: SkipPolicy): Promise<ConversionAnswer> {
    const params = [...filterParams(filters), ...periodParams(period), skipPolicy];
    // Nothing here depends on the clock: the answer is a function of the read models' positions.
    return this.cache.answer('conversion', params, ['stage_history', 'deal_summary'], async () => {
      const [cohortRows, closed] = await Promise.all([
        rows<CohortRow>(this.pool, CONVERSION_BY_COHORT, [...filterParams(filters), period.to ?? null, skipPolicy, STAGES, period.from ?? null]),
        rows<ClosedDealsRow>(this.pool, CLOSED_DEALS_BY_STATUS_AND_CURRENCY, [...filterParams(filters), ...periodParams(period), null]),
      ]);
      const rate = winRateOf(closed);
      return {
        metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.conversion,
        filters: { ...echoFilters(filters, period), skipPolicy },
        stages: OPEN_STAGES.map((stage) => stageConversion(stage, cohortRows.filter((r) => r.stage === stage))),
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
    });
  }
}

function stageConversion(stage: (typeof OPEN_STAGES)[number], cohorts: CohortRow[]): StageConversion {
  const sorted = [...cohorts].sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : 0));
  const total = sorted.reduce((t, c) => ({ entered: t.entered + c.entered, reached_next: t.reached_next + c.reached_next, won: t.won + c.won }), {
    entered: 0,
    reached_next: 0,
    won: 0,
  });
  return {
    stage,
    next: nextStage(stage) as Stage,
    ...counts(total),
    cohorts: sorted.map((c) => ({ cohort: c.cohort, ...counts(c) })),
  };
}

function counts(c: { entered: number; reached_next: number; won: number }): ConversionCounts {
  return {
    entered: c.entered,
    reachedNext: c.reached_next,
    won: c.won,
    toNextRate: roundRate(ratio(c.reached_next, c.entered)),
    toWonRate: roundRate(ratio(c.won, c.entered)),
  };
}
