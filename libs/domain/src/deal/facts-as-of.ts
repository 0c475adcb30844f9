/**
 * A deal's facts as they stood at a business-time instant: every fact dated at or before it, in
 * the last version (in recorded order) so dated. A stage change dated in the past is judged on
 * these, so a deal cannot "enter" a stage before the facts that let it in.
 *
 * The reducers below are shared with evolve, so that the facts as of an instant after every
 * recorded fact are exactly the current facts.
 */
import { CompetitorProfile, ProjectInitiation } from './deal.values';
import { DealFacts, FactHistory, Problem, Stakeholder, StakeholderChange } from './deal.state';

export const EMPTY_HISTORY: FactHistory = {
  visitReviews: [],
  profiles: [],
  problems: [],
  interests: [],
  projectInitiations: [],
  assessments: [],
  stakeholderChanges: [],
  procurementTimetables: [],
  evaluationCriteria: [],
  swots: [],
  competitors: [],
  forecasts: [],
  negotiationConditions: [],
};

/**
 * The facts of `deal` as of `at`. Only the recorded facts are turned back; the deal's own
 * fields (stage, owner, amount…) stay as they are.
 */
export function factsAsOf(deal: DealFacts, at: Date): DealFacts {
  const by = datedBy(at);
  const h = deal.history;
  const history: FactHistory = {
    visitReviews: h.visitReviews.filter(by),
    profiles: h.profiles.filter(by),
    problems: h.problems.filter(by),
    interests: h.interests.filter(by),
    projectInitiations: h.projectInitiations.filter(by),
    assessments: h.assessments.filter(by),
    stakeholderChanges: h.stakeholderChanges.filter(by),
    procurementTimetables: h.procurementTimetables.filter(by),
    evaluationCriteria: h.evaluationCriteria.filter(by),
    swots: h.swots.filter(by),
    competitors: h.competitors.filter(by),
    forecasts: h.forecasts.filter(by),
    negotiationConditions: h.negotiationConditions.filter(by),
  };
  const swot = last(history.swots);
  return {
    ...deal,
    visits: deal.visits.filter(by).map((visit) => {
      const review = last(history.visitReviews.filter((r) => r.visitId === visit.visitId));
      return { ...visit, review: review?.review, reviewedAt: review?.occurredAt };
    }),
    profile: last(history.profiles),
    problems: history.problems.reduce(withProblem, []),
    interest: last(history.interests),
    projectInitiation: history.projectInitiations.reduce(withProjectInitiation, {}),
    assessments: Object.fromEntries(history.assessments.map((a) => [a.kind, a])),
    stakeholders: history.stakeholderChanges.reduce(withStakeholderChange, []),
    procurementTimetable: last(history.procurementTimetables)?.milestones,
    evaluationCriteria: last(history.evaluationCriteria)?.categories,
    swot: swot && withoutOccurredAt(swot),
    competitors: history.competitors.map(withoutOccurredAt).reduce(withCompetitor, []),
    quotes: deal.quotes.filter(by),
    forecast: last(history.forecasts),
    negotiationConditions: [...new Set(history.negotiationConditions.map((c) => c.conditionId))],
    completedActions: deal.completedActions.filter(by),
    contract: deal.contract && by(deal.contract) ? deal.contract : undefined,
    payments: deal.payments.filter(by),
    shipments: deal.shipments.filter(by),
    history,
  };
}

/** Every business time at which some recorded fact took effect, ascending, without repeats. */
export function factInstants(deal: DealFacts): string[] {
  const dated: { occurredAt: string }[] = [
    ...deal.visits,
    ...deal.quotes,
    ...deal.completedActions,
    ...(deal.contract ? [deal.contract] : []),
    ...deal.payments,
    ...deal.shipments,
    ...Object.values(deal.history).flat(),
  ];
  return [...new Set(dated.map((d) => d.occurredAt))].sort((a, b) => Date.parse(a) - Date.parse(b));
}

// ── Reducers shared with evolve ───────────────────────────────────────────────

/** Recording a known problemId again replaces that problem's analysis. */
export function withProblem(problems: Problem[], problem: Problem): Problem[] {
  return [...problems.filter((p) => p.problemId !== problem.problemId), problem];
}

/** Fields present replace earlier values; absent fields keep them. */
export function withProjectInitiation(current: ProjectInitiation, recorded: ProjectInitiation & { occurredAt: string }): ProjectInitiation {
  const { occurredAt: _occurredAt, ...fields } = recorded;
  return { ...current, ...definedOnly(fields) };
}

/** Identifying adds roles to a person (details replace earlier ones); withdrawing removes one. */
export function withStakeholderChange(stakeholders: Stakeholder[], change: StakeholderChange): Stakeholder[] {
  const known = stakeholders.find((s) => s.personId === change.personId);
  if (change.change === 'ROLE_WITHDRAWN') {
    return stakeholders.map((s) => (s.personId === change.personId ? { ...s, roles: s.roles.filter((r) => r !== change.role) } : s));
  }
  const person: Stakeholder = {
    personId: change.personId,
    name: change.name,
    title: change.title,
    department: change.department,
    roles: [...new Set([...(known?.roles ?? []), ...change.roles])],
  };
  // A level recorded once stays until another is recorded.
  const level = change.relationshipLevel ?? known?.relationshipLevel;
  if (level !== undefined) person.relationshipLevel = level;
  return known ? stakeholders.map((s) => (s.personId === person.personId ? person : s)) : [...stakeholders, person];
}

/** Keyed by name: recording a known competitor again replaces its profile. */
export function withCompetitor(competitors: CompetitorProfile[], competitor: CompetitorProfile): CompetitorProfile[] {
  return [...competitors.filter((c) => c.name !== competitor.name), competitor];
}

export function withoutOccurredAt<T extends { occurredAt: string }>(dated: T): Omit<T, 'occurredAt'> {
  const { occurredAt: _occurredAt, ...rest } = dated;
  return rest;
}

function datedBy(at: Date): (fact: { occurredAt: string }) => boolean {
  const limit = at.getTime();
  return (fact) => Date.parse(fact.occurredAt) <= limit;
}

function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
