/**
 * The ids a request may name, taken from every published playbook (a deal answers to the
 * playbook it was opened under; the decider checks the exact one).
 */
import { PLAYBOOKS } from '@funnel/domain/playbook/default-playbook';
import { Playbook } from '@funnel/domain/playbook/playbook';

const playbooks: Playbook[] = Object.values(PLAYBOOKS);
const unique = (ids: string[]): string[] => [...new Set(ids)];

export const CHARACTERISTIC_IDS = unique(
  playbooks.flatMap((p) => p.stages.filter((s) => s.key === 'POTENTIAL').flatMap((s) => s.characteristics.map((c) => c.id))),
);
export const ASSESSMENT_CRITERION_IDS = unique(playbooks.flatMap((p) => p.assessments.flatMap((a) => a.criteria.map((c) => c.id))));
export const MILESTONE_IDS = unique(playbooks.flatMap((p) => p.procurementMilestones.map((m) => m.id)));
export const EVALUATION_CATEGORY_IDS = unique(playbooks.flatMap((p) => p.evaluationCategories.map((c) => c.id)));
export const NEGOTIATION_CONDITION_IDS = unique(playbooks.flatMap((p) => p.negotiationConditions.map((c) => c.id)));
export const STAGE_ACTION_IDS = unique(playbooks.flatMap((p) => p.stages.flatMap((s) => s.actions.map((a) => a.id))));
