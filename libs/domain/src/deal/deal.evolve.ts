/**
 * evolve(state, event) → state: how each recorded event changes what we know of a deal. Total
 * and forgiving: decide guards what may happen, evolve only replays what did.
 */
import { accountIdOfDeal } from '../account/account-identity';
import { DealEvent } from './deal.events';
import { DealFacts, DealState, ExistingDealState, FactHistory, initialState, OpenDealState, StakeholderChange, WonDealState } from './deal.state';
import {
  EMPTY_HISTORY,
  withCompetitor,
  withoutOccurredAt,
  withProblem,
  withProjectInitiation,
  withStakeholderChange,
} from './facts-as-of';

export function evolve(state: DealState, event: DealEvent): DealState {
  if (event.type === 'DealOpened') return opened(event.data);
  if (event.type === 'DealImported') return imported(event.data);
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
    case 'StageChangeImported':
      return importedStageChange(state, event.data);
    case 'OwnerReassigned':
      return update(state, { owner: event.data.to, team: event.data.team ?? state.team, ownerSince: event.data.occurredAt });
    case 'VisitRecorded': {
      const { visitId, preparation, review, occurredAt } = event.data;
      const earlierReviews = state.history.visitReviews.filter((r) => r.visitId !== visitId);
      return update(state, {
        visits: [
          ...state.visits.filter((v) => v.visitId !== visitId),
          { visitId, preparation, review, occurredAt, reviewedAt: review ? occurredAt : undefined },
        ],
        history: {
          ...state.history,
          visitReviews: review ? [...earlierReviews, { visitId, review, occurredAt }] : earlierReviews,
        },
      });
    }
    case 'VisitReviewed': {
      const { visitId, review, occurredAt } = event.data;
      return update(state, {
        visits: state.visits.map((v) => (v.visitId === visitId ? { ...v, review, reviewedAt: occurredAt } : v)),
        history: remember(state.history, 'visitReviews', { visitId, review, occurredAt }),
      });
    }
    case 'CustomerProfileRecorded':
      return update(state, { profile: event.data, history: remember(state.history, 'profiles', event.data) });
    case 'ProblemAnalyzed':
      return update(state, { problems: withProblem(state.problems, event.data), history: remember(state.history, 'problems', event.data) });
    case 'CustomerInterestRecorded':
      return update(state, { interest: event.data, history: remember(state.history, 'interests', event.data) });
    case 'ProjectInitiationRecorded':
      return update(state, {
        projectInitiation: withProjectInitiation(state.projectInitiation, event.data),
        history: remember(state.history, 'projectInitiations', event.data),
      });
    case 'AssessmentSubmitted':
      return update(state, {
        assessments: { ...state.assessments, [event.data.kind]: event.data },
        history: remember(state.history, 'assessments', event.data),
      });
    case 'StakeholderIdentified':
      return stakeholderChanged(state, { change: 'IDENTIFIED', ...event.data });
    case 'StakeholderRoleWithdrawn': {
      const { personId, role, occurredAt } = event.data;
      return stakeholderChanged(state, { change: 'ROLE_WITHDRAWN', personId, role, occurredAt });
    }
    case 'ProcurementTimetableRecorded': {
      const { milestones, occurredAt } = event.data;
      return update(state, {
        procurementTimetable: milestones,
        history: remember(state.history, 'procurementTimetables', { milestones, occurredAt }),
      });
    }
    case 'EvaluationCriteriaRecorded': {
      const { categories, occurredAt } = event.data;
      return update(state, {
        evaluationCriteria: categories,
        history: remember(state.history, 'evaluationCriteria', { categories, occurredAt }),
      });
    }
    case 'SwotRecorded':
      return update(state, { swot: withoutOccurredAt(event.data), history: remember(state.history, 'swots', event.data) });
    case 'CompetitorRecorded':
      return update(state, {
        competitors: withCompetitor(state.competitors, withoutOccurredAt(event.data)),
        history: remember(state.history, 'competitors', event.data),
      });
    case 'QuoteSubmitted':
      return update(state, { quotes: [...state.quotes.filter((q) => q.quoteId !== event.data.quoteId), event.data] });
    case 'ForecastUpdated':
      return update(state, { forecast: event.data, history: remember(state.history, 'forecasts', event.data) });
    case 'NegotiationConditionConfirmed': {
      const { conditionId, occurredAt } = event.data;
      return update(state, {
        negotiationConditions: [...new Set([...state.negotiationConditions, conditionId])],
        history: remember(state.history, 'negotiationConditions', { conditionId, occurredAt }),
      });
    }
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
    accountId: accountIdOfDeal(data),
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
    history: EMPTY_HISTORY,
  };
}

/** An imported deal: opened where the source first knew it, with where it came from. */
function imported(data: Extract<DealEvent, { type: 'DealImported' }>['data']): OpenDealState | WonDealState {
  const { importedFrom, stage, ...opening } = data;
  const facts: OpenDealState = {
    ...opened({ ...opening, stage: 'TARGET' }),
    stage,
    importedFrom: { system: importedFrom.system, externalId: importedFrom.externalId },
  };
  return stage === 'WON' ? { ...facts, status: 'won', wonAt: data.occurredAt } : facts;
}

/** The source says the deal moved: it moved, whatever the gates would have said (it happened). */
function importedStageChange(state: ExistingDealState, data: Extract<DealEvent, { type: 'StageChangeImported' }>['data']): ExistingDealState {
  const amount = data.amount !== undefined ? { amount: data.amount } : {};
  if (data.to === data.from) return update(state, amount);
  const facts: DealFacts = { ...factsOf(state), ...amount, lastStageChangeAt: data.occurredAt };
  if (data.to === 'LOST') {
    const reason = data.reason ?? `lost in ${data.importedFrom.system}`;
    return { status: 'lost', ...facts, lost: { reason, occurredAt: data.occurredAt } };
  }
  if (data.to === 'WON') return { status: 'won', wonAt: data.occurredAt, ...facts, stage: 'WON' };
  return { status: 'open', ...facts, stage: data.to };
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

function stakeholderChanged(state: ExistingDealState, change: StakeholderChange): ExistingDealState {
  return update(state, {
    stakeholders: withStakeholderChange(state.stakeholders, change),
    history: remember(state.history, 'stakeholderChanges', change),
  });
}

/** The history with one more version of a fact, at the end (recorded order). */
function remember<K extends keyof FactHistory>(history: FactHistory, key: K, version: FactHistory[K][number]): FactHistory {
  return { ...history, [key]: [...history[key], version] };
}
