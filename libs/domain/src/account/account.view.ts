/** An account as the API shows it, folded from its events (all of them, or those up to an instant). */
import { AccountFacts, AccountState, PhaseStay, openSuggestions } from './account.state';

export interface AccountView {
  accountId: string;
  status: 'active' | 'closed' | 'merged';
  name: string;
  industry: string;
  region: string;
  size: string | null;
  keyAccount: boolean;
  origin: AccountFacts['origin'];
  openedAt: string;
  phase: AccountFacts['phase'];
  phaseSince: string;
  phaseRulesVersion: string;
  phaseHistory: PhaseStay[];
  /** Waiting for a manager's decision. */
  pendingSuggestions: AccountFacts['suggestions'];
  /** Every suggestion made, with its fate. */
  suggestions: AccountFacts['suggestions'];
  keyPeople: AccountFacts['keyPeople'];
  dealIds: string[];
  closed: { reason: string; occurredAt: string } | null;
  mergedInto: string | null;
  /** Accounts merged into this one: their deals count as this account's. */
  absorbed: string[];
}

export function accountView(state: AccountState): AccountView | null {
  if (state.status === 'none') return null;
  return {
    accountId: state.accountId,
    status: state.status,
    name: state.name,
    industry: state.industry,
    region: state.region,
    size: state.size ?? null,
    keyAccount: state.keyAccount,
    origin: state.origin,
    openedAt: state.openedAt,
    phase: state.phase,
    phaseSince: state.phaseSince,
    phaseRulesVersion: state.phaseRulesVersion,
    phaseHistory: state.phaseHistory,
    pendingSuggestions: state.status === 'active' ? openSuggestions(state) : [],
    suggestions: state.suggestions,
    keyPeople: state.keyPeople,
    dealIds: state.dealIds,
    closed: state.status === 'closed' ? state.closed : null,
    mergedInto: state.status === 'merged' ? state.merged.into : null,
    absorbed: state.absorbed,
  };
}
