import { learnTransitions, learnTransitionsFromMoves } from './pipeline-simulation';
import { StageMove, movesByDeal, movesKnownBy, staysFromMoves } from './stage-move';

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n));

function move(revision: number, kind: StageMove['kind'], occurred: number, to: StageMove['to'], recorded = occurred): StageMove {
  return {
    dealId: 'd',
    revision,
    kind,
    occurredAt: day(occurred),
    recordedAt: day(recorded),
    from: null,
    to,
    owner: 'ann',
    team: 'north',
    region: 'EMEA',
    industry: 'manufacturing',
    amount: 1,
    currency: 'EUR',
    playbookVersion: null,
    skipped: [],
    unmet: null,
  };
}

describe('a deal’s stage moves, as known at an instant', () => {
  // Opened day 0, POTENTIAL day 3, a jump to APPROVED on day 10 (recorded on day 20), LOST day 12,
  // reopened in APPROVED day 15; the regression back to POTENTIAL on day 9 was recorded late, in revision order after the jump.
  const moves = [
    move(0, 'opened', 0, 'TARGET'),
    move(1, 'advanced', 3, 'POTENTIAL'),
    move(3, 'advanced', 10, 'APPROVED', 20),
    move(2, 'regressed', 9, 'TARGET'),
    move(4, 'lost', 12, 'LOST'),
    move(5, 'reopened', 15, 'APPROVED'),
  ];

  it('folds them in business-time order into stays, with how each ended', () => {
    const [ordered] = movesByDeal(moves).values();
    expect(staysFromMoves(ordered).map((s) => [s.stage, s.enteredAt.getUTCDate() - 1, s.exitKind, s.nextStage])).toEqual([
      ['TARGET', 0, 'advanced', 'POTENTIAL'],
      ['POTENTIAL', 3, 'regressed', 'TARGET'],
      ['TARGET', 9, 'skipped', 'APPROVED'],
      ['APPROVED', 10, 'lost', 'LOST'],
      ['LOST', 12, 'reopened', 'APPROVED'],
      ['APPROVED', 15, null, null],
    ]);
  });

  it('knows at day 14, recorded by day 14, only what had been recorded: the jump was not', () => {
    const [known] = movesByDeal(movesKnownBy(moves, day(14), day(14))).values();
    expect(known.map((m) => m.to)).toEqual(['TARGET', 'POTENTIAL', 'TARGET', 'LOST']);
    const [happened] = movesByDeal(movesKnownBy(moves, day(14))).values();
    expect(happened.map((m) => m.to)).toEqual(['TARGET', 'POTENTIAL', 'TARGET', 'APPROVED', 'LOST']);
  });

  it('learns the same transitions from the moves as from their stays', () => {
    const byDeal = movesByDeal(moves);
    const fromStays = learnTransitions([...byDeal.values()].flatMap(staysFromMoves), day(30));
    const fromMoves = learnTransitionsFromMoves(byDeal.values(), day(30));
    expect(fromMoves).toEqual(fromStays);
    // TARGET: 3 days → POTENTIAL, 1 day → APPROVED; POTENTIAL: 6 → TARGET; APPROVED: 2 → LOST.
    expect(fromMoves.counts).toMatchObject({ TARGET: 2, POTENTIAL: 1, APPROVED: 1 });
    expect(Array.from(fromMoves.days)).toEqual([1, 3, 6, 2]);
  });
});
