/**
 * decide(command, state, context) → events: what a command means for an account, or why it is
 * refused (AccountError). Pure: time, actor and phase rules come in through the context.
 *
 * The story: an account is opened in breakthrough (by hand, or for a deal's new customer); its
 * deals are linked and their facts noted, and the phase rules turn some facts into suggestions;
 * a manager changes the phase (through the phase's gate, or over it with a written reason) or
 * accepts or dismisses a suggestion; key people are recorded; a duplicate is merged into its
 * survivor (both histories stay); an account may be closed. Noting deal facts never changes the
 * phase by itself.
 */
import { isBuyingRole } from '../playbook/buying-role';
import { isRelationshipLevel } from '../playbook/relationship-level';
import { isRelationshipPhase } from '../playbook/relationship-phase';
import { DomainError } from '../deal/deal.errors';
import { resolveOccurredAt } from '../deal/occurred-at';
import { AccountCommand, AccountDecideContext, AccountCommandOf } from './account.commands';
import { AccountError } from './account.errors';
import { AccountEvent, PhaseEvidence } from './account.events';
import { isAccountId } from './account-identity';
import { AccountState, ActiveAccountState, ExistingAccountState, openSuggestions } from './account.state';
import { unmetPhaseCriteria } from './phase-gate';
import { suggestionsFor } from './phase-suggestions';

export function decideAccount(command: AccountCommand, state: AccountState, context: AccountDecideContext): AccountEvent[] {
  const occurredAt = occurredAtOf(command.data.occurredAt, context.now);
  if (command.type === 'OpenAccount') return openAccount(command, state, context, occurredAt);
  if (state.status === 'none') throw new AccountError('ACCOUNT_NOT_FOUND', 'no account has been opened on this stream');

  switch (command.type) {
    case 'FlagKeyAccount': {
      const account = active(state);
      if (account.keyAccount === command.data.keyAccount) return [];
      return [{ type: 'KeyAccountFlagged', data: { ...command.data, occurredAt } }];
    }
    case 'LinkDeal':
      // A deal's facts are facts whatever became of the account; only a merged one sends them on.
      notMerged(state);
      requireText(command.data.dealId, 'dealId');
      if (state.dealIds.includes(command.data.dealId)) return [];
      return [{ type: 'DealLinked', data: { dealId: command.data.dealId, occurredAt } }];
    case 'NoteDealFact':
      return noteDealFact(command, notMerged(state), context, occurredAt);
    case 'ChangePhase':
      return changePhase(command, active(state), context, occurredAt);
    case 'AcceptPhaseSuggestion':
      return acceptSuggestion(command, active(state), context, occurredAt);
    case 'DismissPhaseSuggestion': {
      const account = active(state);
      assertDecides(context);
      const suggestion = pendingSuggestion(account, command.data.suggestionId);
      const reason = requireReason(command.data.reason);
      return [{ type: 'PhaseSuggestionDismissed', data: { suggestionId: suggestion.suggestionId, by: context.actor.id, reason, occurredAt } }];
    }
    case 'RecordKeyPerson':
      active(state);
      return [{ type: 'KeyPersonRecorded', data: { ...validKeyPerson(command.data), occurredAt } }];
    case 'RemoveKeyPerson': {
      const account = active(state);
      if (!account.keyPeople.some((p) => p.personId === command.data.personId)) {
        throw new AccountError('KEY_PERSON_NOT_FOUND', `no key person ${command.data.personId} on this account`);
      }
      return [{ type: 'KeyPersonRemoved', data: { ...command.data, occurredAt } }];
    }
    case 'CloseAccount':
      active(state);
      return [{ type: 'AccountClosed', data: { reason: requireReason(command.data.reason), occurredAt } }];
    case 'MergeAccountInto':
      return mergeInto(command, state, occurredAt);
    case 'AbsorbDuplicateAccount': {
      const account = active(state);
      const { duplicateAccountId, duplicateName, duplicateRegion } = command.data;
      if (duplicateAccountId === account.accountId) throw new AccountError('CANNOT_MERGE_INTO_ITSELF', 'an account cannot absorb itself');
      if (account.absorbed.includes(duplicateAccountId)) return [];
      const reason = requireReason(command.data.reason);
      return [{ type: 'DuplicateAccountMerged', data: { duplicateAccountId, duplicateName, duplicateRegion, reason, occurredAt } }];
    }
    default: {
      const _: never = command;
      throw new AccountError('INVALID_COMMAND', `unknown command ${JSON.stringify(_)}`);
    }
  }
}

function openAccount(
  command: AccountCommandOf<'OpenAccount'>,
  state: AccountState,
  context: AccountDecideContext,
  occurredAt: string,
): AccountEvent[] {
  if (state.status !== 'none') throw new AccountError('ACCOUNT_ALREADY_OPENED', `account ${state.accountId} is already open (${state.name}, ${state.region})`);
  const d = command.data;
  if (!isAccountId(d.accountId)) throw new AccountError('INVALID_COMMAND', 'accountId must be a uuid');
  return [
    {
      type: 'AccountOpened',
      data: {
        accountId: d.accountId,
        name: requireText(d.name, 'name'),
        industry: requireText(d.industry, 'industry'),
        region: requireText(d.region, 'region'),
        ...(d.size !== undefined && { size: d.size }),
        keyAccount: d.keyAccount ?? false,
        phase: context.phaseRules.initialPhase,
        origin: d.origin ?? 'DIRECT',
        ...(d.firstDealId !== undefined && { firstDealId: d.firstDealId }),
        phaseRulesVersion: context.phaseRules.version,
        occurredAt,
      },
    },
  ];
}

function noteDealFact(
  command: AccountCommandOf<'NoteDealFact'>,
  account: ExistingAccountState,
  context: AccountDecideContext,
  occurredAt: string,
): AccountEvent[] {
  const { dealId, sourceEventId, fact } = command.data;
  // The reactor may deliver a deal event again after a crash: it is noted once.
  if (account.facts.some((f) => f.sourceEventId === sourceEventId)) return [];
  const noted: AccountEvent = { type: 'DealFactNoted', data: { dealId, sourceEventId, fact, occurredAt } };
  // Closed accounts keep their facts but are not asked about phases any more.
  if (account.status !== 'active') return [noted];
  return [noted, ...suggestionsFor(account, { dealId, sourceEventId, fact }, context.phaseRules, occurredAt)];
}

function changePhase(
  command: AccountCommandOf<'ChangePhase'>,
  account: ActiveAccountState,
  context: AccountDecideContext,
  occurredAt: string,
): AccountEvent[] {
  const { to, override } = command.data;
  assertDecides(context);
  if (!isRelationshipPhase(to)) throw new AccountError('INVALID_COMMAND', `unknown phase ${String(to)}`);
  if (to === account.phase) throw new AccountError('PHASE_UNCHANGED', `the account is already in ${to}`);
  const reason = requireReason(command.data.reason);
  assertNotBeforeLastPhaseChange(occurredAt, account);
  const unmet = unmetPhaseCriteria(account, to, context.phaseRules);
  if (unmet.length > 0 && !override) {
    throw new AccountError('PHASE_GATE_NOT_MET', `${to} is not reached yet: ${unmet.map((u) => u.message).join('; ')}`, unmet);
  }
  return [
    {
      type: 'PhaseChanged',
      data: {
        from: account.phase,
        to,
        reason,
        evidence: validEvidence(command.data.evidence ?? []),
        decidedBy: context.actor.id,
        ...(unmet.length > 0 && override && { override: { by: context.actor.id, reason: requireReason(override.reason), unmetAtOverride: unmet } }),
        phaseRulesVersion: context.phaseRules.version,
        occurredAt,
      },
    },
  ];
}

function acceptSuggestion(
  command: AccountCommandOf<'AcceptPhaseSuggestion'>,
  account: ActiveAccountState,
  context: AccountDecideContext,
  occurredAt: string,
): AccountEvent[] {
  assertDecides(context);
  const suggestion = pendingSuggestion(account, command.data.suggestionId);
  if (!openSuggestions(account).includes(suggestion) || suggestion.to === account.phase) {
    throw new AccountError(
      'SUGGESTION_OUTDATED',
      `the suggestion was made in ${suggestion.from}; the account is now in ${account.phase}: dismiss it`,
    );
  }
  assertNotBeforeLastPhaseChange(occurredAt, account);
  const unmet = unmetPhaseCriteria(account, suggestion.to, context.phaseRules);
  if (unmet.length > 0) {
    throw new AccountError('PHASE_GATE_NOT_MET', `${suggestion.to} is not reached yet`, unmet);
  }
  const reason = command.data.reason?.trim() ? command.data.reason.trim() : suggestion.reason;
  return [
    {
      type: 'PhaseChanged',
      data: {
        from: account.phase,
        to: suggestion.to,
        reason,
        evidence: suggestion.evidence,
        decidedBy: context.actor.id,
        suggestionId: suggestion.suggestionId,
        phaseRulesVersion: context.phaseRules.version,
        occurredAt,
      },
    },
  ];
}

function mergeInto(command: AccountCommandOf<'MergeAccountInto'>, state: ExistingAccountState, occurredAt: string): AccountEvent[] {
  const { survivorAccountId } = command.data;
  if (state.status === 'merged') {
    // Merging again into the same survivor is a retry: nothing new to record.
    if (state.merged.into === survivorAccountId) return [];
    throw new AccountError('ACCOUNT_MERGED', `the account was merged into ${state.merged.into}`);
  }
  if (!isAccountId(survivorAccountId)) throw new AccountError('INVALID_COMMAND', 'survivorAccountId must be a uuid');
  if (survivorAccountId === state.accountId) throw new AccountError('CANNOT_MERGE_INTO_ITSELF', 'an account cannot be merged into itself');
  return [{ type: 'AccountMergedInto', data: { survivorAccountId, reason: requireReason(command.data.reason), occurredAt } }];
}

// ── guards ──────────────────────────────────────────────────────────────────

function active(state: ExistingAccountState): ActiveAccountState {
  if (state.status === 'closed') throw new AccountError('ACCOUNT_CLOSED', `the account was closed: ${state.closed.reason}`);
  if (state.status === 'merged') throw new AccountError('ACCOUNT_MERGED', `the account was merged into ${state.merged.into}`);
  return state;
}

function notMerged(state: ExistingAccountState): ExistingAccountState {
  if (state.status === 'merged') throw new AccountError('ACCOUNT_MERGED', `the account was merged into ${state.merged.into}`);
  return state;
}

function assertDecides(context: AccountDecideContext): void {
  if (!context.actor.roles.some((role) => context.phaseRules.decidedBy.includes(role))) {
    throw new AccountError('PHASE_DECISION_NOT_ALLOWED', `phase decisions need one of the roles ${context.phaseRules.decidedBy.join(', ')}`);
  }
}

function pendingSuggestion(account: ActiveAccountState, suggestionId: string) {
  const suggestion = account.suggestions.find((s) => s.suggestionId === suggestionId);
  if (!suggestion) throw new AccountError('SUGGESTION_NOT_FOUND', `no suggestion ${suggestionId} on this account`);
  if (suggestion.status !== 'pending') throw new AccountError('SUGGESTION_NOT_PENDING', `the suggestion was already ${suggestion.status}`);
  return suggestion;
}

function assertNotBeforeLastPhaseChange(occurredAt: string, account: ActiveAccountState): void {
  if (Date.parse(occurredAt) < Date.parse(account.phaseSince)) {
    throw new AccountError('OCCURRED_AT_BEFORE_LAST_PHASE_CHANGE', `a phase change at ${occurredAt} would precede the last one (${account.phaseSince})`);
  }
}

function occurredAtOf(given: string | undefined, now: Date): string {
  try {
    return resolveOccurredAt(given, now);
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'INVALID_OCCURRED_AT' || error.code === 'OCCURRED_AT_IN_FUTURE')) {
      throw new AccountError(error.code, error.message);
    }
    throw error;
  }
}

function requireReason(reason: string | undefined): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw new AccountError('REASON_REQUIRED', 'a written reason is required');
  return reason.trim();
}

function requireText(value: string | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AccountError('INVALID_COMMAND', `${field} must not be blank`);
  return value.trim();
}

function validKeyPerson(data: AccountCommandOf<'RecordKeyPerson'>['data']) {
  const { occurredAt: _occurredAt, ...person } = data;
  const badRoles = person.roles.filter((r) => !isBuyingRole(r));
  if (badRoles.length > 0) throw new AccountError('INVALID_COMMAND', `unknown buying roles: ${badRoles.join(', ')}`);
  if (!isRelationshipLevel(person.level)) throw new AccountError('INVALID_COMMAND', `unknown relationship level ${String(person.level)}`);
  return { ...person, personId: requireText(person.personId, 'personId'), name: requireText(person.name, 'name'), title: requireText(person.title, 'title'), roles: [...new Set(person.roles)] };
}

function validEvidence(evidence: PhaseEvidence[]): PhaseEvidence[] {
  return evidence.map((e, i) => ({ ...e, note: requireText(e.note, `evidence[${i}].note`) }));
}
