import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { IncidenceAt } from '@funnel/domain/metrics/aalen-johansen';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { PromiseVerdict, StageCalibration, StagePromise, stageCalibration, stageEntryOutcomes } from '@funnel/domain/metrics/stage-calibration';
import { OpenStage } from '@funnel/domain/metrics/stage-stay';
import { DealFilters, echoFilters } from './analytics-filters';
import { roundRate } from './analytics-numbers';
import { StageStayRow, toStageStay } from './stage-stay.row';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

/**
 * Every stay entered by asOf, with the owner/team/region/industry recorded at its entry. A
 * deal's outcome lies in its later stays, so the whole history is read and the period and
 * filters are applied to the first entry into each stage (libs/domain/src/metrics/stage-calibration.ts).
 */
const STAYS_BY_AS_OF = `
  SELECT deal_id, seq, stage, entered_at, exited_at, exit_kind, next_stage, owner, team, region, industry
    FROM rm.stage_intervals
   WHERE entered_at <= $1
   ORDER BY deal_id, seq`;

interface CalibrationStayRow extends StageStayRow {
  owner: string;
  team: string;
  region: string;
  industry: string;
}

export type CalibrationGrouping = 'all' | 'owner' | 'team';

interface RoundedIncidence {
  days: number;
  incidence: number | null;
  standardError: number | null;
  lower: number | null;
  upper: number | null;
  atRisk: number;
}

export interface StageCalibrationAnswer {
  stage: OpenStage;
  entered: number;
  won: number;
  lost: number;
  open: number;
  wonWithin: RoundedIncidence[];
  promise?: StagePromise & { estimate: RoundedIncidence; verdict: PromiseVerdict };
}

export interface StageCalibrationGroup {
  /** The owner or team at the first entry; null for groupBy=all. */
  key: string | null;
  stages: StageCalibrationAnswer[];
}

export interface StageCalibrationReport {
  metricDefinitionVersion: string;
  asOf: string;
  filters: ReturnType<typeof echoFilters>;
  groupBy: CalibrationGrouping;
  unit: 'days';
  promise: StagePromise;
  groups: StageCalibrationGroup[];
}

@Injectable()
export class StageCalibrationQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, asOf: Date, groupBy: CalibrationGrouping, promise: StagePromise): Promise<StageCalibrationReport> {
    const found = await rows<CalibrationStayRow>(this.pool, STAYS_BY_AS_OF, [asOf]);
    const atEntry = new Map(found.map((r) => [`${r.deal_id}#${Number(r.seq)}`, r]));
    const rowOf = (dealId: string, seq: number) => atEntry.get(`${dealId}#${seq}`) as CalibrationStayRow;
    const matches = (r: CalibrationStayRow) =>
      (!filters.owner || r.owner === filters.owner) &&
      (!filters.team || r.team === filters.team) &&
      (!filters.region || r.region === filters.region) &&
      (!filters.industry || r.industry === filters.industry);
    const outcomes = stageEntryOutcomes(found.map(toStageStay), asOf).filter((o) => matches(rowOf(o.dealId, o.entry.seq)));

    const groups = new Map<string | null, typeof outcomes>();
    if (groupBy === 'all') groups.set(null, outcomes);
    else {
      for (const o of outcomes) {
        const key = rowOf(o.dealId, o.entry.seq)[groupBy];
        const group = groups.get(key);
        if (group) group.push(o);
        else groups.set(key, [o]);
      }
    }
    const keys = [...groups.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.stageCalibration,
      asOf: asOf.toISOString(),
      filters: echoFilters(filters, period),
      groupBy,
      unit: 'days',
      promise,
      groups: keys.map((key) => ({ key, stages: stageCalibration(groups.get(key) ?? [], period, promise).map(rounded) })),
    };
  }
}

function roundIncidence(at: IncidenceAt, days: number): RoundedIncidence {
  return {
    days,
    incidence: roundRate(at.incidence),
    standardError: roundRate(at.standardError),
    lower: roundRate(at.lower),
    upper: roundRate(at.upper),
    atRisk: at.atRisk,
  };
}

function rounded(c: StageCalibration): StageCalibrationAnswer {
  const answer: StageCalibrationAnswer = {
    stage: c.stage,
    entered: c.entered,
    won: c.won,
    lost: c.lost,
    open: c.open,
    wonWithin: c.wonWithin.map((w) => roundIncidence(w, w.days)),
  };
  if (c.promise) {
    const { estimate, verdict, ...promise } = c.promise;
    answer.promise = { ...promise, estimate: roundIncidence(estimate, promise.withinDays), verdict };
  }
  return answer;
}
