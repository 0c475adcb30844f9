import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { promiseOf, stageCalibration, stageEntryOutcomes } from './stage-calibration';
import { journey } from './stage-journey.testing';

describe('stage calibration: does APPROVED mean "more than 50 % WON within 90 days"?', () => {
  const promise = promiseOf(DEFAULT_PLAYBOOK);
  // Five deals enter APPROVED on 2024-01-01:
  //   a: → NEGOTIATION 01-21 → WON 01-31   (won at 30 days)
  //   b: → LOST 01-11                      (lost at 10)
  //   c: still in APPROVED                 (open)
  //   d: → WON 02-10                       (won at 40)
  //   e: → LOST 01-21 → reopened 01-26 → WON 02-05 (the loss at 20 ends its observation)
  const stays = [
    ...journey('a', ['APPROVED', '2024-01-01'], ['NEGOTIATION', '2024-01-21'], ['WON', '2024-01-31']),
    ...journey('b', ['APPROVED', '2024-01-01'], ['LOST', '2024-01-11']),
    ...journey('c', ['APPROVED', '2024-01-01']),
    ...journey('d', ['APPROVED', '2024-01-01'], ['WON', '2024-02-10']),
    ...journey('e', ['APPROVED', '2024-01-01'], ['LOST', '2024-01-21'], ['APPROVED', '2024-01-26'], ['WON', '2024-02-05']),
  ];
  const approved = (asOf: string) =>
    stageCalibration(stageEntryOutcomes(stays, new Date(asOf)), {}, promise).find((s) => s.stage === 'APPROVED')!;

  it('reads the promise from the playbook data: APPROVED, within 90 days, above 0.5', () => {
    expect(promise).toEqual({ stage: 'APPROVED', withinDays: 90, probabilityAbove: 0.5, playbookVersion: DEFAULT_PLAYBOOK.version });
  });

  it('as of 2024-03-01: F(30) = 1/5 by hand, and 90 days cannot be judged yet', () => {
    // 10 L, 20 L, 30 W, 40 W, 60+ open. t=10 n=5: S=4/5; t=20 n=4: S=3/5; t=30 n=3: F=3/5·1/3=1/5,
    // S=2/5; t=40 n=2: F=1/5+2/5·1/2=2/5. The naive won/(won+lost) would say 2/4.
    const a = approved('2024-03-01T00:00:00Z');
    expect(a).toMatchObject({ entered: 5, won: 2, lost: 2, open: 1 });
    expect(a.wonWithin.map((w) => [w.days, w.incidence === null ? null : Number(w.incidence.toFixed(12))])).toEqual([
      [30, 0.2],
      [90, null],
      [180, null],
    ]);
    expect(a.promise).toMatchObject({ withinDays: 90, verdict: 'not_yet_known' });
  });

  it('as of 2024-06-01: F(90) = 2/5, whose interval straddles 0.5 — undecided on five deals', () => {
    const a = approved('2024-06-01T00:00:00Z');
    expect(a.promise!.estimate.incidence).toBeCloseTo(0.4, 12);
    expect(a.promise!.estimate.lower!).toBeLessThan(0.5);
    expect(a.promise!.estimate.upper!).toBeGreaterThan(0.5);
    expect(a.promise!.verdict).toBe('undecided');
  });

  it('judges the promise broken when the whole interval lies at or below it', () => {
    const lost = [1, 2, 3].flatMap((i) => journey(`l${i}`, ['APPROVED', '2024-01-01'], ['LOST', `2024-01-0${i + 1}`]));
    const a = stageCalibration(stageEntryOutcomes(lost, new Date('2024-06-01T00:00:00Z')), {}, promise).find((s) => s.stage === 'APPROVED')!;
    expect(a.promise).toMatchObject({ verdict: 'broken', estimate: { incidence: 0, upper: 0 } });
  });

  it("measures every stage from the deal's first entry, and only entries in the period", () => {
    const calibration = stageCalibration(stageEntryOutcomes(stays, new Date('2024-06-01T00:00:00Z')), { from: new Date('2024-01-15T00:00:00Z') }, promise);
    // Only a's NEGOTIATION entry (01-21, won 10 days later) lies in the period; e's second APPROVED stay is not a first entry.
    expect(calibration.find((s) => s.stage === 'NEGOTIATION')).toMatchObject({ entered: 1, won: 1 });
    expect(calibration.find((s) => s.stage === 'NEGOTIATION')!.wonWithin[0].incidence).toBe(1);
    expect(calibration.find((s) => s.stage === 'APPROVED')).toMatchObject({ entered: 0 });
  });
});
