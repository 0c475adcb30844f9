import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { GateCriterionEffect, GateGroup, gateEffectiveness } from '@funnel/domain/metrics/gate-effectiveness';
import { METRIC_DEFINITION_VERSIONS } from '@funnel/domain/metrics/metric-definitions';
import { Period } from '@funnel/domain/metrics/period';
import { Playbook } from '@funnel/domain/playbook/playbook';
import { DealFilters, echoFilters } from './analytics-filters';
import { roundDays, roundRate } from './analytics-numbers';
import { loadStageMoves, matchesFilters } from '../deal-timeline/deal-timeline.rows';
import { READ_MODEL_POOL } from '../projection/read-model-pool';

export interface GateEffectivenessReport {
  metricDefinitionVersion: string;
  asOf: string;
  filters: ReturnType<typeof echoFilters>;
  unit: 'days';
  /** Per playbook version seen, whose gates listed its criteria (a version the code does not know is read with the current one's). */
  playbookVersions: { playbookVersion: string; criteriaFrom: string }[];
  criteria: GateCriterionEffect[];
}

@Injectable()
export class GateEffectivenessQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async answer(filters: DealFilters, period: Period, asOf: Date, playbooks: ReadonlyMap<string, Playbook>, current: Playbook): Promise<GateEffectivenessReport> {
    const moves = await loadStageMoves(this.pool);
    const criteria = gateEffectiveness(moves, playbooks, current, period, asOf, matchesFilters(filters));
    const versions = [...new Set(criteria.map((c) => c.playbookVersion))].sort();
    return {
      metricDefinitionVersion: METRIC_DEFINITION_VERSIONS.gateEffectiveness,
      asOf: asOf.toISOString(),
      filters: echoFilters(filters, period),
      unit: 'days',
      playbookVersions: versions.map((playbookVersion) => ({ playbookVersion, criteriaFrom: playbooks.has(playbookVersion) ? playbookVersion : current.version })),
      criteria: criteria.map((c) => ({ ...c, met: rounded(c.met), overridden: rounded(c.overridden) })),
    };
  }
}

function rounded(g: GateGroup): GateGroup {
  return { ...g, winRate: roundRate(g.winRate), medianDaysToWon: roundDays(g.medianDaysToWon), medianDaysToClose: roundDays(g.medianDaysToClose) };
}
