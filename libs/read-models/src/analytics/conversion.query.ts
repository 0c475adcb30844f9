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
import { DealIndex, DealSnapshot } from './deal-index';
import { EXIT_KINDS, NO_STAGE, StaySnapshot } from './stay-index';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { rows } from './rows';

/**
 * conversion/1's counts per (stage, cohort month), over the stays and deals held in memory
 * (StayIndex, DealIndex). Per deal in deal_summary matching the filters on its current
 * owner/team/region/industry and opened before `to`, and per stage: the first pass into it and
 * the last pass (stagePasses() in libs/domain/src/metrics/stage-passes.ts: every entry into a
 * stage, LOST not being one on the way, and under skip policy 'any' every stage jumped over by a
 * forward exit, at the instant of the jump). The deal reached the next stage when its last pass
 * into the next stage is at or after its first pass into this one ("entered s + 1 at any time
 * after first entering s"); it is won when it has a WON stay. The period applies to the first
 * pass; the cohort is its UTC month. The stays are in (deal, seq) order, so a deal's stays are
 * one run.
 */
export function cohortCounts(stays: StaySnapshot, deals: DealSnapshot, filters: DealFilters, period: Period, skipPolicy: SkipPolicy): CohortRow[] {
  const index = stays.index;
  const id = (dictionary: { find(value: string): number }, value: string | undefined) => (value === undefined ? undefined : dictionary.find(value));
  const owner = id(index.owners, filters.owner);
  const team = id(index.teams, filters.team);
  const region = id(index.regions, filters.region);
  const industry = id(index.industries, filters.industry);
  const from = period.from?.getTime() ?? -Infinity;
  const to = period.to?.getTime() ?? Infinity;
  const any = skipPolicy === 'any';
  const c = stays.columns;
  const d = deals.columns;
  const first = new Float64Array(STAGES.length);
  const last = new Float64Array(STAGES.length);
  // Keyed by month number * 8 + stage: no string per deal and stage.
  const counted = new Map<number, CohortRow>();
  const pass = (stage: number, at: number) => {
    if (at < first[stage]) first[stage] = at;
    if (at > last[stage]) last[stage] = at;
  };

  for (let start = 0; start < stays.count; ) {
    const deal = c.deal[start];
    let end = start + 1;
    while (end < stays.count && c.deal[end] === deal) end++;
    const matches =
      deals.has(deal) &&
      d.opened[deal] < to &&
      (owner === undefined || d.owner[deal] === owner) &&
      (team === undefined || d.team[deal] === team) &&
      (region === undefined || d.region[deal] === region) &&
      (industry === undefined || d.industry[deal] === industry);
    if (matches) {
      first.fill(Infinity);
      last.fill(-Infinity);
      let won = false;
      for (let i = start; i < end; i++) {
        const stage = c.stage[i];
        if (stage === WON) won = true;
        if (stage >= STAGES.length) continue; // LOST: not a stage on the way
        pass(stage, c.entered[i]);
        const next = c.nextStage[i];
        if (any && FORWARD_EXIT[c.exitKind[i]] && !Number.isNaN(c.exited[i]) && next !== NO_STAGE && next < STAGES.length) {
          for (let over = stage + 1; over < next; over++) pass(over, c.exited[i]);
        }
      }
      for (let stage = 0; stage < OPEN_STAGES.length; stage++) {
        const at = first[stage];
        if (at === Infinity || at < from || at >= to) continue;
        const month = utcMonthNumber(at);
        const key = month * 8 + stage;
        let row = counted.get(key);
        if (!row) counted.set(key, (row = { stage: STAGES[stage], cohort: monthLabel(month), entered: 0, reached_next: 0, won: 0 }));
        row.entered++;
        if (last[stage + 1] >= at) row.reached_next++;
        if (won) row.won++;
      }
    }
    start = end;
  }
  return [...counted.values()];
}

/** Stay codes are indexes in DEAL_STATUS_STAGES, which is STAGES then LOST. */
const WON = STAGES.indexOf('WON');
const FORWARD_EXIT = new Uint8Array(EXIT_KINDS.length);
for (const kind of ['advanced', 'skipped', 'won'] as const) FORWARD_EXIT[EXIT_KINDS.indexOf(kind)] = 1;

/**
 * year * 12 + month - 1 of an instant in UTC, by integer arithmetic on its day number (the civil
 * calendar from days since 1970-01-01, proleptic Gregorian as PostgreSQL's): a Date per deal and
 * stage cost more than the rest of the scan.
 */
export function utcMonthNumber(ms: number): number {
  const z = Math.floor(ms / 86_400_000) + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchBased = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March … 11 = February
  const month = marchBased < 10 ? marchBased + 2 : marchBased - 10; // 0 = January
  const year = yearOfEra + era * 400 + (month < 2 ? 1 : 0);
  return year * 12 + month;
}

/** 'YYYY-MM', as to_char(…, 'YYYY-MM') writes it. */
function monthLabel(monthNumber: number): string {
  const year = Math.floor(monthNumber / 12);
  return `${String(year).padStart(4, '0')}-${String((monthNumber % 12) + 1).padStart(2, '0')}`;
}

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
    private readonly deals: DealIndex,
  ) {}

  answer(filters: DealFilters, period: Period, skipPolicy: SkipPolicy): Promise<ConversionAnswer> {
    const params = [...filterParams(filters), ...periodParams(period), skipPolicy];
    // Nothing here depends on the clock: the answer is a function of the read models' positions.
    return this.cache.answer('conversion', params, ['stage_history', 'deal_summary'], async () => {
      const [stays, deals, closed] = await Promise.all([
        this.deals.stays.current(),
        this.deals.current(),
        rows<ClosedDealsRow>(this.pool, CLOSED_DEALS_BY_STATUS_AND_CURRENCY, [...filterParams(filters), ...periodParams(period), null]),
      ]);
      const cohortRows = cohortCounts(stays, deals, filters, period, skipPolicy);
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
