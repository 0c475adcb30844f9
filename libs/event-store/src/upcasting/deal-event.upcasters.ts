/**
 * The upcasters of deal events (see DEAL_EVENT_SCHEMA_VERSION in libs/domain).
 *
 * StageRegressed 1 → 2: version 2 names the stages a regression passed over on its way back
 * (`skipped`, like StageAdvanced's), so projections can tell a step back from a fall. For a
 * version-1 event they are exactly the stages strictly between `to` and `from`.
 */
import { isStage, stagesBetween } from '@funnel/domain/playbook/stage';
import { Upcaster, UpcasterRegistry } from './upcaster-registry';

const stageRegressedV1toV2: Upcaster = {
  type: 'StageRegressed',
  fromVersion: 1,
  upcast(data) {
    const d = data as { from?: unknown; to?: unknown };
    const skipped = isStage(d.from) && isStage(d.to) ? stagesBetween(d.to, d.from) : [];
    return { ...(data as object), skipped };
  },
};

export const DEAL_UPCASTERS = new UpcasterRegistry([stageRegressedV1toV2]);
