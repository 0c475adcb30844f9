/**
 * Which phase the rules suggest when a deal fact is noted. Suggestions never change the phase;
 * they wait for a manager. Ids are derived from the fact's source event and the rule, so the
 * reactor replaying a deal event suggests nothing twice.
 */
import { derivedUuid } from '../identity/derived-uuid';
import { PhaseRules, PhaseSuggestionRule } from '../playbook/phase-rules';
import { DealFact, PhaseEvidence, PhaseSuggested } from './account.events';
import { AccountFacts, wonDealIds } from './account.state';

export function suggestionIdFor(accountId: string, ruleId: string, sourceEventId: string): string {
  return derivedUuid('funnel.account.suggestion', accountId, ruleId, sourceEventId);
}

/** The suggestions one newly noted fact makes, given the account as it stood before it. */
export function suggestionsFor(
  account: AccountFacts,
  noted: { dealId: string; sourceEventId: string; fact: DealFact },
  rules: PhaseRules,
  occurredAt: string,
): PhaseSuggested[] {
  const suggested: PhaseSuggested[] = [];
  for (const rule of rules.suggestions) {
    if (!applies(rule, account, noted)) continue;
    if (suggested.some((s) => s.data.to === rule.suggest)) continue;
    suggested.push({
      type: 'PhaseSuggested',
      data: {
        suggestionId: suggestionIdFor(account.accountId, rule.id, noted.sourceEventId),
        ruleId: rule.id,
        from: account.phase,
        to: rule.suggest,
        reason: rule.en,
        evidence: [evidenceOf(noted)],
        phaseRulesVersion: rules.version,
        occurredAt,
      },
    });
  }
  return suggested;
}

function applies(rule: PhaseSuggestionRule, account: AccountFacts, noted: { dealId: string; fact: DealFact }): boolean {
  if (rule.when !== noted.fact.kind) return false;
  if (rule.keyAccountsOnly && !account.keyAccount) return false;
  if (!rule.fromPhases.includes(account.phase) || rule.suggest === account.phase) return false;
  if (rule.firstOnly && isRepeat(account, noted.fact)) return false;
  // One open question at a time: a suggestion of this phase already waits for a decision.
  const waiting = account.suggestions.some((s) => s.status === 'pending' && s.from === account.phase && s.to === rule.suggest);
  if (waiting) return false;
  // A manager who dismissed this rule for this deal and competitor is not asked again by the same facts.
  return !account.suggestions.some(
    (s) => s.ruleId === rule.id && s.status === 'dismissed' && s.evidence.some((e) => e.dealId === noted.dealId && sameFact(e, noted.fact)),
  );
}

function isRepeat(account: AccountFacts, fact: DealFact): boolean {
  switch (fact.kind) {
    case 'DEAL_WON':
      return wonDealIds(account).length > 0;
    case 'COMPETITOR_RECORDED':
    case 'LOST_TO_COMPETITOR':
      return account.facts.some((f) => f.fact.kind === fact.kind);
    default: {
      const _: never = fact;
      return false;
    }
  }
}

function evidenceOf(noted: { dealId: string; sourceEventId: string; fact: DealFact }): PhaseEvidence {
  return { note: describeFact(noted.fact), dealId: noted.dealId, sourceEventId: noted.sourceEventId };
}

export function describeFact(fact: DealFact): string {
  switch (fact.kind) {
    case 'DEAL_WON':
      return 'deal won';
    case 'COMPETITOR_RECORDED':
      return `competitor recorded: ${fact.competitor}`;
    case 'LOST_TO_COMPETITOR':
      return `lost to ${fact.competitor}: ${fact.reason}`;
    default: {
      const _: never = fact;
      return String(_);
    }
  }
}

function sameFact(evidence: PhaseEvidence, fact: DealFact): boolean {
  return evidence.note === describeFact(fact);
}
