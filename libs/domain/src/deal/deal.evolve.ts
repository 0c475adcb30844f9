/**
 * evolve(state, event) → state: how each recorded event changes what we know of a deal. Total
 * and forgiving: decide guards what may happen, evolve only replays what did.
 */
import { DealEvent } from './deal.events';
import { DealFacts, DealState, ExistingDealState, initialState, OpenDealState } from './deal.state';

export function evolve(state: DealState, event: DealEvent): DealState {
  if (event.type === 'DealOpened') return opened(event.data);
  if (state.status === 'none') return state;

  switch (event.type) {
    case 'StageAdvanced': {
      const facts = factsOf(state);
      const moved = { ...facts, stage: event.data.to, lastStageChangeAt: event.data.occurredAt };
      return event.data.to === 'WON'
        ? { status: 'won', wonAt: event.data.occurredAt, ...moved }
        : { status: 'open', ...moved };
    }
    case 'StageRegressed':
      return { status: 'open', ...factsOf(state), stage: event.data.to, lastStageChangeAt: event.data.occurredAt };
    case 'DealLost':
      return {
        status: 'lost',
        ...factsOf(state),
        lastStageChangeAt: event.data.occurredAt,
        lost: { reason: event.data.reason, competitor: event.data.competitor, occurredAt: event.data.occurredAt },
      };
    case 'DealReopened':
      return { status: 'open', ...factsOf(state), stage: event.data.to, lastStageChangeAt: event.data.occurredAt };
    case 'OwnerReassigned':
      return update(state, { owner: event.data.to, team: event.data.team ?? state.team, ownerSince: event.data.occurredAt });
    case 'VisitRecorded':
      return update(state, {
        visits: [
          ...state.visits.filter((v) => v.visitId !== event.data.visitId),
          {
            visitId: event.data.visitId,
            preparation: event.data.preparation,
            review: event.data.review,
            occurredAt: event.data.occurredAt,
            reviewedAt: event.data.review ? event.data.occurredAt : undefined,
          },
        ],
      });
    case 'VisitReviewed':
      return update(state, {
        visits: state.visits.map((v) =>
          v.visitId === event.data.visitId ? { ...v, review: event.data.review, reviewedAt: event.data.occurredAt } : v,
        ),
      });
    case 'CustomerProfileRecorded':
      return update(state, { profile: event.data });
    case 'ProblemAnalyzed':
      return update(state, { problems: [...state.problems.filter((p) => p.problemId !== event.data.problemId), event.data] });
    case 'CustomerInterestRecorded':
      return update(state, { interest: event.data });
    case 'ProjectInitiationRecorded': {
      const { occurredAt: _occurredAt, ...fields } = event.data;
      return update(state, { projectInitiation: { ...state.projectInitiation, ...definedOnly(fields) } });
    }
    case 'AssessmentSubmitted':
      return update(state, { assessments: { ...state.assessments, [event.data.kind]: event.data } });
    case 'StakeholderIdentified': {
      const known = state.stakeholders.find((s) => s.personId === event.data.personId);
      const roles = [...new Set([...(known?.roles ?? []), ...event.data.roles])];
      const person = {
        personId: event.data.personId,
        name: event.data.name,
        title: event.data.title,
        department: event.data.department,
        roles,
      };
      return update(state, {
        stakeholders: known
          ? state.stakeholders.map((s) => (s.personId === person.personId ? person : s))
          : [...state.stakeholders, person],
      });
    }
    case 'StakeholderRoleWithdrawn':
      return update(state, {
        stakeholders: state.stakeholders.map((s) =>
          s.personId === event.data.personId ? { ...s, roles: s.roles.filter((r) => r !== event.data.role) } : s,
        ),
      });
    case 'ProcurementTimetableRecorded':
      return update(state, { procurementTimetable: event.data.milestones });
    case 'EvaluationCriteriaRecorded':
      return update(state, { evaluationCriteria: event.data.categories });
    case 'SwotRecorded': {
      const { occurredAt: _occurredAt, ...swot } = event.data;
      return update(state, { swot });
    }
    case 'CompetitorRecorded': {
      const { occurredAt: _occurredAt, ...competitor } = event.data;
      return update(state, {
        competitors: [...state.competitors.filter((c) => c.name !== competitor.name), competitor],
      });
    }
    case 'QuoteSubmitted':
      return update(state, { quotes: [...state.quotes.filter((q) => q.quoteId !== event.data.quoteId), event.data] });
    case 'ForecastUpdated':
      return update(state, { forecast: event.data });
    case 'NegotiationConditionConfirmed':
      return update(state, {
        negotiationConditions: [...new Set([...state.negotiationConditions, event.data.conditionId])],
      });
    case 'StageActionCompleted':
      return update(state, {
        completedActions: [
          ...state.completedActions,
          { stage: event.data.stage, actionId: event.data.actionId, occurredAt: event.data.occurredAt },
        ],
      });
    case 'ContractSigned':
      return update(state, { contract: event.data });
    case 'PaymentConfirmed':
      return update(state, { payments: [...state.payments, event.data] });
    case 'ShipmentRecorded':
      return update(state, { shipments: [...state.shipments, event.data] });
    default: {
      const _: never = event;
      return state;
    }
  }
}

/** Replays a stream's events from the beginning. */
export function foldDeal(events: readonly DealEvent[]): DealState {
  return events.reduce(evolve, initialState);
}

function opened(data: Extract<DealEvent, { type: 'DealOpened' }>['data']): OpenDealState {
  return {
    status: 'open',
    dealId: data.dealId,
    account: data.account,
    owner: data.owner,
    team: data.team,
    amount: data.amount,
    currency: data.currency,
    source: data.source,
    playbookVersion: data.playbookVersion,
    openedAt: data.occurredAt,
    stage: data.stage,
    lastStageChangeAt: data.occurredAt,
    ownerSince: data.occurredAt,
    visits: [],
    problems: [],
    projectInitiation: {},
    assessments: {},
    stakeholders: [],
    competitors: [],
    quotes: [],
    negotiationConditions: [],
    completedActions: [],
    payments: [],
    shipments: [],
  };
}

/** The facts of a deal without its status-specific fields. */
function factsOf(state: ExistingDealState): DealFacts {
  switch (state.status) {
    case 'open': {
      const { status: _status, ...facts } = state;
      return facts;
    }
    case 'won': {
      const { status: _status, wonAt: _wonAt, ...facts } = state;
      return facts;
    }
    case 'lost': {
      const { status: _status, lost: _lost, ...facts } = state;
      return facts;
    }
    default: {
      const _: never = state;
      return _;
    }
  }
}

/** Changes facts and keeps the status. */
function update(state: ExistingDealState, patch: Partial<DealFacts>): ExistingDealState {
  return { ...state, ...patch };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
