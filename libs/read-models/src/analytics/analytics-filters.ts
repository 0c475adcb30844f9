/**
 * What every analytics query can be narrowed by. Deal-level metrics (conversion, win rate, cycle
 * time, pipeline, anomalies) match the deal's current owner/team/region/industry; stay-level
 * metrics (dwell times, stage advance) match the values the stay recorded at its entry, so a
 * reassigned deal's earlier stays stay with the rep who worked them.
 */
import { Period } from '@funnel/domain/metrics/period';

export interface DealFilters {
  owner?: string;
  team?: string;
  region?: string;
  industry?: string;
}

/** $1…$4 of every analytics query, in this order (null = no filter). */
export function filterParams(filters: DealFilters): (string | null)[] {
  return [filters.owner ?? null, filters.team ?? null, filters.region ?? null, filters.industry ?? null];
}

/** $5, $6: the period bounds (null = unbounded). */
export function periodParams(period: Period): (Date | null)[] {
  return [period.from ?? null, period.to ?? null];
}

/** The filters as a response echoes them: every key present, null when not applied. */
export function echoFilters(filters: DealFilters, period: Period) {
  return {
    owner: filters.owner ?? null,
    team: filters.team ?? null,
    region: filters.region ?? null,
    industry: filters.industry ?? null,
    from: period.from?.toISOString() ?? null,
    to: period.to?.toISOString() ?? null,
  };
}
