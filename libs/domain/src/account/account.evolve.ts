/**
 * evolve(state, event) → state: how each recorded event changes what we know of an account.
 * Total and forgiving: decide guards what may happen, evolve only replays what did.
 */
import { AccountEvent } from './account.events';
import { AccountFacts, AccountState, ExistingAccountState, initialAccountState } from './account.state';

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'AccountOpened') {
    const d = event.data;
    return {
      status: 'active',
      accountId: d.accountId,
      name: d.name,
      industry: d.industry,
      region: d.region,
      size: d.size,
      keyAccount: d.keyAccount,
      origin: d.origin,
      openedAt: d.occurredAt,
      phase: d.phase,
      phaseSince: d.occurredAt,
      phaseRulesVersion: d.phaseRulesVersion,
      dealIds: d.firstDealId ? [d.firstDealId] : [],
      facts: [],
      suggestions: [],
      keyPeople: [],
      phaseHistory: [{ phase: d.phase, from: d.occurredAt, reason: 'opened' }],
      absorbed: [],
    };
  }
  if (state.status === 'none') return state;

  switch (event.type) {
    case 'KeyAccountFlagged':
      return update(state, { keyAccount: event.data.keyAccount });
    case 'DealLinked':
      return state.dealIds.includes(event.data.dealId) ? state : update(state, { dealIds: [...state.dealIds, event.data.dealId] });
    case 'DealFactNoted': {
      const { dealId, sourceEventId, fact, occurredAt } = event.data;
      return update(state, {
        facts: [...state.facts, { dealId, sourceEventId, fact, occurredAt }],
        dealIds: state.dealIds.includes(dealId) ? state.dealIds : [...state.dealIds, dealId],
      });
    }
    case 'PhaseSuggested': {
      const { suggestionId, ruleId, from, to, reason, evidence, occurredAt } = event.data;
      return update(state, {
        suggestions: [...state.suggestions, { suggestionId, ruleId, from, to, reason, evidence, suggestedAt: occurredAt, status: 'pending' }],
      });
    }
    case 'PhaseSuggestionDismissed': {
      const { suggestionId, by, reason, occurredAt } = event.data;
      return update(state, {
        suggestions: state.suggestions.map((s) =>
          s.suggestionId === suggestionId ? { ...s, status: 'dismissed', decision: { by, reason, occurredAt } } : s,
        ),
      });
    }
    case 'PhaseChanged': {
      const { to, reason, decidedBy, suggestionId, override, occurredAt } = event.data;
      const closedStays = state.phaseHistory.map((stay, i, all) => (i === all.length - 1 ? { ...stay, to: occurredAt } : stay));
      return update(state, {
        phase: to,
        phaseSince: occurredAt,
        phaseRulesVersion: event.data.phaseRulesVersion,
        phaseHistory: [...closedStays, { phase: to, from: occurredAt, reason, decidedBy, suggestionId, override }],
        suggestions: state.suggestions.map((s) =>
          s.suggestionId === suggestionId ? { ...s, status: 'accepted', decision: { by: decidedBy, reason, occurredAt } } : s,
        ),
      });
    }
    case 'KeyPersonRecorded': {
      const { occurredAt, ...person } = event.data;
      return update(state, {
        keyPeople: [...state.keyPeople.filter((p) => p.personId !== person.personId), { ...person, since: occurredAt }],
      });
    }
    case 'KeyPersonRemoved':
      return update(state, { keyPeople: state.keyPeople.filter((p) => p.personId !== event.data.personId) });
    case 'AccountClosed':
      return { ...factsOf(state), status: 'closed', closed: { reason: event.data.reason, occurredAt: event.data.occurredAt } };
    case 'AccountMergedInto':
      return {
        ...factsOf(state),
        status: 'merged',
        merged: { into: event.data.survivorAccountId, reason: event.data.reason, occurredAt: event.data.occurredAt },
      };
    case 'DuplicateAccountMerged':
      return state.absorbed.includes(event.data.duplicateAccountId)
        ? state
        : update(state, { absorbed: [...state.absorbed, event.data.duplicateAccountId] });
    default: {
      const _: never = event;
      return state;
    }
  }
}

export function foldAccount(events: readonly AccountEvent[]): AccountState {
  return events.reduce(evolveAccount, initialAccountState);
}

function factsOf(state: ExistingAccountState): AccountFacts {
  switch (state.status) {
    case 'active': {
      const { status: _status, ...facts } = state;
      return facts;
    }
    case 'closed': {
      const { status: _status, closed: _closed, ...facts } = state;
      return facts;
    }
    case 'merged': {
      const { status: _status, merged: _merged, ...facts } = state;
      return facts;
    }
    default: {
      const _: never = state;
      return _;
    }
  }
}

/** The same status with some facts changed. */
function update<S extends ExistingAccountState>(state: S, changes: Partial<AccountFacts>): S {
  return { ...state, ...changes };
}
