import { dwellTimes } from './dwell-times';
import { journey } from './stage-journey.testing';

// Time in PROJECT of five deals, as of 2024-06-01:
//   A 10 days → advanced, B 20 days → advanced, C 30 days → lost, D open for 40 days,
//   E 5 days → regressed, later back for 15 days → advanced.
const asOf = new Date('2024-06-01T00:00:00Z');
const stays = [
  ...journey('A', ['PROJECT', '2024-01-01'], ['APPROVED', '2024-01-11']),
  ...journey('B', ['PROJECT', '2024-01-01'], ['APPROVED', '2024-01-21']),
  ...journey('C', ['PROJECT', '2024-01-01'], ['LOST', '2024-01-31']),
  ...journey('D', ['PROJECT', '2024-04-22']),
  ...journey('E', ['PROJECT', '2024-02-01'], ['INTENT', '2024-02-06'], ['PROJECT', '2024-02-10'], ['APPROVED', '2024-02-25']),
];
const project = () => dwellTimes(stays, asOf).find((d) => d.stage === 'PROJECT')!;

describe('dwell times', () => {
  it('per stay: every ended stay however it ended (5, 10, 15, 20, 30 days)', () => {
    expect(project().perStay).toEqual({ n: 5, mean: 16, median: 15, p75: 20, p90: 26 });
    expect(project().openStays).toBe(1);
  });

  it("per deal: a deal's stays summed (E: 5 + 15), deals still in the stage left out", () => {
    // 10, 20, 20 (E), 30: p75 h = 2.25 → 22.5; p90 h = 2.7 → 27.
    expect(project().perDeal).toEqual({ n: 4, mean: 20, median: 20, p75: 22.5, p90: 27 });
  });

  it('Kaplan–Meier: the open stay and the lost and regressed ones are censored, moving the median from 15 to 20', () => {
    // 5+ 10 15 20 30+ 40+: S(10) = 4/5, S(15) = 4/5 · 3/4 = 0.6, S(20) = 0.6 · 2/3 = 0.4 ≤ 0.5.
    expect(project().kaplanMeier).toEqual({ n: 6, events: 3, censored: 3, median: 20 });
  });

  it('reports every stage a deal can leave forward, empty ones with n = 0', () => {
    const all = dwellTimes(stays, asOf);
    expect(all.map((d) => d.stage)).toEqual(['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION']);
    expect(all.find((d) => d.stage === 'INTENT')!.perStay).toMatchObject({ n: 1, median: 4 });
    expect(all.find((d) => d.stage === 'NEGOTIATION')!).toMatchObject({ perStay: { n: 0, median: null }, kaplanMeier: { n: 0, median: null } });
  });

  it('as of a past instant: later stays are unknown and later exits still open', () => {
    const early = dwellTimes(stays, new Date('2024-01-16T00:00:00Z')).find((d) => d.stage === 'PROJECT')!;
    // Only A has ended (10 days); B and C are open at 15 days; D and E had not begun.
    expect(early.perStay).toMatchObject({ n: 1, median: 10 });
    expect(early.openStays).toBe(2);
    expect(early.kaplanMeier).toEqual({ n: 3, events: 1, censored: 2, median: null });
  });
});
