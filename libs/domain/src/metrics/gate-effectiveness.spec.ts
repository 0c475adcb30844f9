import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { Stage } from '../playbook/stage';
import { gateEffectiveness } from './gate-effectiveness';
import { StageMove } from './stage-move';

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n));

function move(dealId: string, revision: number, occurred: number, from: Stage | null, to: StageMove['to'], extra: Partial<StageMove> = {}): StageMove {
  return {
    dealId,
    revision,
    kind: from === null ? 'opened' : to === 'LOST' ? 'lost' : 'advanced',
    occurredAt: day(occurred),
    recordedAt: day(occurred),
    from,
    to,
    owner: 'ann',
    team: 'north',
    region: 'EMEA',
    industry: 'manufacturing',
    amount: 1000,
    currency: 'EUR',
    playbookVersion: '2026.1',
    skipped: [],
    unmet: null,
    ...extra,
  };
}

describe('gate effectiveness: criteria met versus passed by override, and what followed', () => {
  // Into POTENTIAL (gate: VISIT_REVIEWED, PROFILE_CHARACTERISTICS):
  //   a: through the gate (both met) on day 1 → WON on day 21
  //   b: through the gate on day 1 → LOST on day 11
  //   c: override on day 2 with the visit review unmet → LOST on day 6
  //   d: override on day 2 with both unmet → still open
  //   e: jumps TARGET → INTENT on day 3 by override, POTENTIAL's profile unmet → WON day 33
  const moves: StageMove[] = [
    move('a', 0, 0, null, 'TARGET'),
    move('a', 1, 1, 'TARGET', 'POTENTIAL'),
    move('a', 2, 21, 'POTENTIAL', 'WON'),
    move('b', 0, 0, null, 'TARGET'),
    move('b', 1, 1, 'TARGET', 'POTENTIAL'),
    move('b', 2, 11, 'POTENTIAL', 'LOST'),
    move('c', 0, 0, null, 'TARGET'),
    move('c', 1, 2, 'TARGET', 'POTENTIAL', { unmet: ['POTENTIAL.VISIT_REVIEWED'] }),
    move('c', 2, 6, 'POTENTIAL', 'LOST'),
    move('d', 0, 0, null, 'TARGET'),
    move('d', 1, 2, 'TARGET', 'POTENTIAL', { unmet: ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS'] }),
    move('e', 0, 0, null, 'TARGET'),
    move('e', 1, 3, 'TARGET', 'INTENT', { skipped: ['POTENTIAL'], unmet: ['POTENTIAL.PROFILE_CHARACTERISTICS'] }),
    move('e', 2, 33, 'INTENT', 'WON'),
  ];
  const effects = gateEffectiveness(moves, new Map([[DEFAULT_PLAYBOOK.version, DEFAULT_PLAYBOOK]]), DEFAULT_PLAYBOOK, {}, day(60));
  const effect = (code: string) => effects.find((e) => e.code === code)!;

  it('visit reviewed: met by a, b, e (won 2 of 3 closed… of a, b, e: 2 won, 1 lost); overridden for c, d', () => {
    expect(effect('POTENTIAL.VISIT_REVIEWED')).toEqual({
      playbookVersion: '2026.1',
      stage: 'POTENTIAL',
      code: 'POTENTIAL.VISIT_REVIEWED',
      // a won after 20 days, b lost after 10, e won after 30 (from its jump on day 3).
      met: { n: 3, won: 2, lost: 1, open: 0, winRate: 2 / 3, medianDaysToWon: 25, medianDaysToClose: 20 },
      // c lost after 4 days, d still open.
      overridden: { n: 2, won: 0, lost: 1, open: 1, winRate: 0, medianDaysToWon: null, medianDaysToClose: 4 },
    });
  });

  it('profile: met by a, b, c; overridden for d and for e, which jumped over the stage', () => {
    expect(effect('POTENTIAL.PROFILE_CHARACTERISTICS')).toMatchObject({
      met: { n: 3, won: 1, lost: 2, winRate: 1 / 3 },
      overridden: { n: 2, won: 1, lost: 0, open: 1, winRate: 1, medianDaysToWon: 30 },
    });
  });

  it('counts the gate of the stage entered after a jump too, and the playbook version it was decided under', () => {
    // e entered INTENT with its gate met (nothing INTENT.* was unmet).
    expect(effect('INTENT.PROBLEM_ANALYSED')).toMatchObject({ met: { n: 1, won: 1 }, overridden: { n: 0, winRate: null } });
    expect(new Set(effects.map((e) => e.playbookVersion))).toEqual(new Set(['2026.1']));
  });

  it('counts a code an override left unmet even when the playbook does not list it, as met for the other entries', () => {
    const extra = moves.map((m) => (m.dealId === 'c' && m.revision === 1 ? { ...m, unmet: ['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.FROM_AN_OLD_PLAYBOOK'] } : m));
    const found = gateEffectiveness(extra, new Map(), DEFAULT_PLAYBOOK, {}, day(60)).find((e) => e.code === 'POTENTIAL.FROM_AN_OLD_PLAYBOOK');
    // Entries into (or over) POTENTIAL: a, b, d, e met it; c overrode it.
    expect(found).toMatchObject({ met: { n: 4 }, overridden: { n: 1, lost: 1 } });
  });

  it('takes only the entries in the period, and reads an unknown version with the fallback playbook', () => {
    const later = gateEffectiveness(moves, new Map(), DEFAULT_PLAYBOOK, { from: day(2) }, day(60));
    expect(later.find((e) => e.code === 'POTENTIAL.VISIT_REVIEWED')).toMatchObject({ met: { n: 1 }, overridden: { n: 2 } });
  });
});
