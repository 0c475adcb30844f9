/**
 * The relationship phases (客户关系发展阶段) as the phase rules decide them: breakthrough until the
 * first won deal; consolidation suggested by the first win; harvest and defence judged by
 * people with a reason; defence suggested when a competitor appears on a key account's deal or
 * a deal is lost to a competitor. Suggestions wait for a manager; nothing changes by itself.
 */
import { AccountEvent } from './account.events';
import { day } from '../testing/deal-fixtures';
import { MANAGER, SPEC_NOW } from '../testing/decider-specification';
import {
  ACCOUNT_ID,
  DEAL_A,
  DEAL_B,
  PHASE_RULES_VERSION,
  accountIn,
  accountOpened,
  factNoted,
  phaseChanged,
  sourceEventId,
  suggested,
} from '../testing/account-fixtures';
import { AS_REP, givenAccount } from '../testing/account-specification';
import { suggestionIdFor } from './phase-suggestions';

const now = SPEC_NOW.toISOString();
const won = { kind: 'DEAL_WON' } as const;
const rival = { kind: 'COMPETITOR_RECORDED', competitor: 'Rival Soft' } as const;
const lostToRival = { kind: 'LOST_TO_COMPETITOR', competitor: 'Rival Soft', reason: 'cheaper' } as const;
const note = (dealId: string, fact: typeof won | typeof rival | typeof lostToRival, n = 1) =>
  ({ type: 'NoteDealFact', data: { dealId, sourceEventId: sourceEventId(dealId, n), fact } }) as const;

describe('breakthrough lasts until the first won deal', () => {
  it('is the phase an account is opened in', () => {
    givenAccount([])
      .when({ type: 'OpenAccount', data: { accountId: ACCOUNT_ID, name: 'Hangzhou Precision Castings', industry: 'Manufacturing', region: 'East China', size: '800 employees' } })
      .then([accountOpened({ occurredAt: now })]);
  });

  it('refuses consolidation without a won deal, naming the unmet criterion', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'ChangePhase', data: { to: 'CONSOLIDATION', reason: 'they like us' } })
      .thenThrows('PHASE_GATE_NOT_MET', ['CONSOLIDATION.DEAL_WON']);
  });

  it('refuses harvest without a won deal', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: 'partnership talks' } })
      .thenThrows('PHASE_GATE_NOT_MET', ['HARVEST.DEAL_WON']);
  });

  it('lets a manager override the gate with a written reason, which is recorded with what was unmet', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'ChangePhase', data: { to: 'CONSOLIDATION', reason: 'won before this system', override: { reason: 'contract of 2024 on paper' } } })
      .then([
        {
          type: 'PhaseChanged',
          data: {
            from: 'BREAKTHROUGH',
            to: 'CONSOLIDATION',
            reason: 'won before this system',
            evidence: [],
            decidedBy: MANAGER.id,
            override: {
              by: MANAGER.id,
              reason: 'contract of 2024 on paper',
              unmetAtOverride: [{ code: 'CONSOLIDATION.DEAL_WON', message: expect.any(String) }],
            },
            phaseRulesVersion: PHASE_RULES_VERSION,
            occurredAt: now,
          },
        },
      ]);
  });
});

describe('consolidation proposes itself after the first win', () => {
  it('notes the first won deal and suggests consolidation, without changing the phase', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when(note(DEAL_A, won))
      .then([factNoted(DEAL_A, won, now), suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', now)]);
  });

  it('suggests nothing for a second win', () => {
    givenAccount([...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20)), suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', day(20))])
      .when(note(DEAL_B, won))
      .then([factNoted(DEAL_B, won, now)]);
  });

  it('notes a deal event delivered twice only once', () => {
    givenAccount([...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20))]).when(note(DEAL_A, won)).then([]);
  });

  it('becomes consolidation when a manager accepts the suggestion, with its evidence', () => {
    const suggestion = suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', day(20));
    givenAccount([...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20)), suggestion])
      .when({ type: 'AcceptPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId } })
      .then([
        {
          type: 'PhaseChanged',
          data: {
            from: 'BREAKTHROUGH',
            to: 'CONSOLIDATION',
            reason: suggestion.data.reason,
            evidence: suggestion.data.evidence,
            decidedBy: MANAGER.id,
            suggestionId: suggestion.data.suggestionId,
            phaseRulesVersion: PHASE_RULES_VERSION,
            occurredAt: now,
          },
        },
      ]);
  });

  it('stays breakthrough when a manager dismisses it, with a reason', () => {
    const suggestion = suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', day(20));
    const given = [...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20)), suggestion];
    givenAccount(given)
      .when({ type: 'DismissPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId, reason: 'a one-off pilot' } })
      .then([{ type: 'PhaseSuggestionDismissed', data: { suggestionId: suggestion.data.suggestionId, by: MANAGER.id, reason: 'a one-off pilot', occurredAt: now } }]);
    givenAccount(given).when({ type: 'DismissPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId, reason: ' ' } }).thenThrows('REASON_REQUIRED');
  });

  it('is decided by a manager, not by a rep', () => {
    const suggestion = suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', day(20));
    const given = [...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20)), suggestion];
    givenAccount(given).when({ type: 'AcceptPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId } }, AS_REP).thenThrows('PHASE_DECISION_NOT_ALLOWED');
    givenAccount(given).when({ type: 'DismissPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId, reason: 'x' } }, AS_REP).thenThrows('PHASE_DECISION_NOT_ALLOWED');
    givenAccount(given).when({ type: 'ChangePhase', data: { to: 'CONSOLIDATION', reason: 'x' } }, AS_REP).thenThrows('PHASE_DECISION_NOT_ALLOWED');
  });

  it('cannot be decided twice', () => {
    const suggestion = suggested('FIRST_WIN', 'BREAKTHROUGH', 'CONSOLIDATION', DEAL_A, 'deal won', day(20));
    const dismissed: AccountEvent = { type: 'PhaseSuggestionDismissed', data: { suggestionId: suggestion.data.suggestionId, by: MANAGER.id, reason: 'no', occurredAt: day(22) } };
    givenAccount([...accountIn('BREAKTHROUGH'), factNoted(DEAL_A, won, day(20)), suggestion, dismissed])
      .when({ type: 'AcceptPhaseSuggestion', data: { suggestionId: suggestion.data.suggestionId } })
      .thenThrows('SUGGESTION_NOT_PENDING');
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'AcceptPhaseSuggestion', data: { suggestionId: ACCOUNT_ID } }).thenThrows('SUGGESTION_NOT_FOUND');
  });
});

describe('harvest is judged by people, with a reason', () => {
  it('is never suggested: a further win in consolidation is only noted', () => {
    givenAccount(accountIn('CONSOLIDATION')).when(note(DEAL_B, won)).then([factNoted(DEAL_B, won, now)]);
  });

  it('is entered when a manager judges so and writes why', () => {
    givenAccount(accountIn('CONSOLIDATION'))
      .when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: 'framework agreement signed', evidence: [{ note: 'framework agreement 2026', dealId: DEAL_B }] } })
      .then([
        {
          type: 'PhaseChanged',
          data: {
            from: 'CONSOLIDATION',
            to: 'HARVEST',
            reason: 'framework agreement signed',
            evidence: [{ note: 'framework agreement 2026', dealId: DEAL_B }],
            decidedBy: MANAGER.id,
            phaseRulesVersion: PHASE_RULES_VERSION,
            occurredAt: now,
          },
        },
      ]);
  });

  it('needs the reason', () => {
    givenAccount(accountIn('CONSOLIDATION')).when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: '' } }).thenThrows('REASON_REQUIRED');
  });

  it('is not re-entered', () => {
    givenAccount(accountIn('HARVEST')).when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: 'x' } }).thenThrows('PHASE_UNCHANGED');
  });
});

describe('defence is suggested when competitors challenge the relationship', () => {
  it('suggests defence when a competitor is recorded on a deal of a key account', () => {
    givenAccount(accountIn('CONSOLIDATION', { keyAccount: true }))
      .when(note(DEAL_B, rival))
      .then([factNoted(DEAL_B, rival, now), suggested('COMPETITOR_ON_KEY_ACCOUNT', 'CONSOLIDATION', 'DEFENCE', DEAL_B, 'competitor recorded: Rival Soft', now)]);
  });

  it('only notes a competitor on a deal of an ordinary account', () => {
    givenAccount(accountIn('HARVEST')).when(note(DEAL_B, rival)).then([factNoted(DEAL_B, rival, now)]);
  });

  it('suggests defence when a deal is lost to a competitor, key account or not', () => {
    givenAccount(accountIn('HARVEST'))
      .when(note(DEAL_B, lostToRival))
      .then([factNoted(DEAL_B, lostToRival, now), suggested('LOST_TO_COMPETITOR', 'HARVEST', 'DEFENCE', DEAL_B, 'lost to Rival Soft: cheaper', now)]);
  });

  it('suggests no defence in breakthrough, where there is no relationship to defend yet', () => {
    givenAccount(accountIn('BREAKTHROUGH', { keyAccount: true })).when(note(DEAL_B, rival)).then([factNoted(DEAL_B, rival, now)]);
    givenAccount(accountIn('BREAKTHROUGH')).when(note(DEAL_B, lostToRival)).then([factNoted(DEAL_B, lostToRival, now)]);
  });

  it('suggests nothing in defence itself', () => {
    givenAccount(accountIn('DEFENCE')).when(note(DEAL_B, lostToRival)).then([factNoted(DEAL_B, lostToRival, now)]);
  });

  it('asks once while a defence suggestion waits for a decision', () => {
    const first = suggested('COMPETITOR_ON_KEY_ACCOUNT', 'CONSOLIDATION', 'DEFENCE', DEAL_B, 'competitor recorded: Rival Soft', day(40));
    givenAccount([...accountIn('CONSOLIDATION', { keyAccount: true }), factNoted(DEAL_B, rival, day(40)), first])
      .when(note(DEAL_B, lostToRival, 2))
      .then([factNoted(DEAL_B, lostToRival, now, 2)]);
  });

  it('does not ask again about the same competitor on the same deal once dismissed', () => {
    const first = suggested('COMPETITOR_ON_KEY_ACCOUNT', 'CONSOLIDATION', 'DEFENCE', DEAL_B, 'competitor recorded: Rival Soft', day(40));
    const dismissed: AccountEvent = { type: 'PhaseSuggestionDismissed', data: { suggestionId: first.data.suggestionId, by: MANAGER.id, reason: 'they only quoted', occurredAt: day(41) } };
    givenAccount([...accountIn('CONSOLIDATION', { keyAccount: true }), factNoted(DEAL_B, rival, day(40)), first, dismissed])
      .when(note(DEAL_B, rival, 2))
      .then([factNoted(DEAL_B, rival, now, 2)]);
  });

  it('is also entered by judgement alone, with a reason', () => {
    givenAccount(accountIn('HARVEST'))
      .when({ type: 'ChangePhase', data: { to: 'DEFENCE', reason: 'rival offered 30% off to the CIO' } })
      .then([phaseChangedBy('HARVEST', 'DEFENCE', 'rival offered 30% off to the CIO')]);
  });

  it('leads back to harvest or to breakthrough by judgement', () => {
    givenAccount(accountIn('DEFENCE')).when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: 'renewal signed' } }).then([phaseChangedBy('DEFENCE', 'HARVEST', 'renewal signed')]);
    givenAccount(accountIn('DEFENCE')).when({ type: 'ChangePhase', data: { to: 'BREAKTHROUGH', reason: 'lost the account to Rival Soft' } }).then([phaseChangedBy('DEFENCE', 'BREAKTHROUGH', 'lost the account to Rival Soft')]);
  });

  it('refuses a suggestion made in a phase the account has since left', () => {
    const first = suggested('COMPETITOR_ON_KEY_ACCOUNT', 'CONSOLIDATION', 'DEFENCE', DEAL_B, 'competitor recorded: Rival Soft', day(40));
    givenAccount([...accountIn('CONSOLIDATION', { keyAccount: true }), factNoted(DEAL_B, rival, day(40)), first, phaseChanged('CONSOLIDATION', 'HARVEST', day(45))])
      .when({ type: 'AcceptPhaseSuggestion', data: { suggestionId: first.data.suggestionId } })
      .thenThrows('SUGGESTION_OUTDATED');
  });
});

describe('suggestions are never silent changes', () => {
  it('no noted fact changes the phase, in any phase, on any kind of account', () => {
    for (const phase of ['BREAKTHROUGH', 'CONSOLIDATION', 'HARVEST', 'DEFENCE'] as const) {
      for (const keyAccount of [false, true]) {
        for (const fact of [won, rival, lostToRival]) {
          const events = givenAccount(accountIn(phase, { keyAccount })).when(note(DEAL_B, fact, 7)).events();
          expect(events.map((e) => e.type).filter((t) => t !== 'DealFactNoted' && t !== 'PhaseSuggested')).toEqual([]);
        }
      }
    }
  });

  it('derives suggestion ids from the account, the rule and the deal event, so a replay suggests nothing new', () => {
    expect(suggestionIdFor(ACCOUNT_ID, 'FIRST_WIN', sourceEventId(DEAL_A))).toBe(suggestionIdFor(ACCOUNT_ID, 'FIRST_WIN', sourceEventId(DEAL_A)));
    expect(suggestionIdFor(ACCOUNT_ID, 'FIRST_WIN', sourceEventId(DEAL_A))).not.toBe(suggestionIdFor(ACCOUNT_ID, 'FIRST_WIN', sourceEventId(DEAL_B)));
  });
});

function phaseChangedBy(from: 'HARVEST' | 'DEFENCE', to: 'DEFENCE' | 'HARVEST' | 'BREAKTHROUGH', reason: string): AccountEvent {
  return { type: 'PhaseChanged', data: { from, to, reason, evidence: [], decidedBy: MANAGER.id, phaseRulesVersion: PHASE_RULES_VERSION, occurredAt: now } };
}
