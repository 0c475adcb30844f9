/**
 * The customer's buying process as we learn it: the procurement timetable (the playbook's
 * milestones), the evaluation criteria (the playbook's categories), our SWOT and competitors.
 * Lists are normalised to the full playbook list, unknown entries as nulls.
 */
import { Playbook } from '../../playbook/playbook';
import { DealCommandData } from '../deal.commands';
import { DomainError } from '../deal.errors';
import { DealEvent } from '../deal.events';
import { EvaluationCriterion, MilestonePlan } from '../deal.values';
import { requireArray, requireBetween, requireDate, requireText } from '../deal.validation';

export function recordProcurementTimetable(
  data: DealCommandData<'RecordProcurementTimetable'>,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const given = byId(requireArray(data.milestones, 'milestones'), (m) => m.milestoneId, 'milestone');
  for (const id of given.keys()) {
    if (!playbook.procurementMilestones.some((m) => m.id === id)) {
      throw new DomainError('UNKNOWN_MILESTONE', `${id} is not a procurement milestone of the playbook`);
    }
  }
  const milestones: MilestonePlan[] = playbook.procurementMilestones.map(({ id }) => {
    const m = given.get(id);
    return {
      milestoneId: id,
      responsible: m?.responsible?.trim() ? m.responsible : null,
      date: m?.date ? requireDate(m.date, `date of ${id}`) : null,
    };
  });
  return [{ type: 'ProcurementTimetableRecorded', data: { milestones, occurredAt, playbookVersion: playbook.version } }];
}

export function recordEvaluationCriteria(
  data: DealCommandData<'RecordEvaluationCriteria'>,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const given = byId(requireArray(data.categories, 'categories'), (c) => c.categoryId, 'category');
  for (const id of given.keys()) {
    if (!playbook.evaluationCategories.some((c) => c.id === id)) {
      throw new DomainError('UNKNOWN_EVALUATION_CATEGORY', `${id} is not an evaluation category of the playbook`);
    }
  }
  const categories: EvaluationCriterion[] = playbook.evaluationCategories.map(({ id }) => {
    const c = given.get(id);
    return {
      categoryId: id,
      criterion: c?.criterion?.trim() ? c.criterion : null,
      weight: c?.weight === undefined || c.weight === null ? null : requireBetween(c.weight, 0, 100, `weight of ${id}`),
    };
  });
  return [{ type: 'EvaluationCriteriaRecorded', data: { categories, occurredAt, playbookVersion: playbook.version } }];
}

export function recordSwot(data: DealCommandData<'RecordSwot'>, occurredAt: string): DealEvent[] {
  return [
    {
      type: 'SwotRecorded',
      data: {
        strengths: [...requireArray(data.strengths, 'strengths')],
        weaknesses: [...requireArray(data.weaknesses, 'weaknesses')],
        opportunities: [...requireArray(data.opportunities, 'opportunities')],
        threats: [...requireArray(data.threats, 'threats')],
        occurredAt,
      },
    },
  ];
}

export function recordCompetitor(data: DealCommandData<'RecordCompetitor'>, occurredAt: string): DealEvent[] {
  const { occurredAt: _given, ...profile } = data;
  requireText(profile.name, 'name');
  return [{ type: 'CompetitorRecorded', data: { ...profile, occurredAt } }];
}

function byId<T>(items: readonly T[], idOf: (item: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const id = requireText(idOf(item), `${what} id`);
    if (map.has(id)) throw new DomainError('INVALID_COMMAND', `${what} ${id} is given twice`);
    map.set(id, item);
  }
  return map;
}
