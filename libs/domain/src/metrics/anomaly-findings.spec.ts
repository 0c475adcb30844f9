import { describeOverride, describeRegression, findInactivity, findPassedCloseDate, findStall } from './anomaly-findings';
import { DEFAULT_STALL_SETTINGS } from './stall-limits';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('stalled deals', () => {
  const inProject = { stage: 'PROJECT' as const, enteredStageAt: day('2024-02-01') };

  it('longer than the p90 of completed stays of the stage', () => {
    expect(findStall(inProject, { n: 5, p90: 31 }, DEFAULT_STALL_SETTINGS, day('2024-03-20'))).toEqual({
      kind: 'stalled',
      since: day('2024-02-01'),
      reason: 'in PROJECT for 48 days; p90 of completed PROJECT stays is 31 days (n = 5)',
    });
  });

  it('ignores a p90 of too few stays, but not the stage limit', () => {
    expect(findStall(inProject, { n: 4, p90: 31 }, DEFAULT_STALL_SETTINGS, day('2024-03-20'))).toBeUndefined();
    expect(findStall(inProject, { n: 4, p90: 31 }, DEFAULT_STALL_SETTINGS, day('2024-04-05'))?.reason).toBe(
      'in PROJECT for 64 days; the limit for PROJECT is 60 days',
    );
  });

  it('is strictly longer: exactly the p90 is not stalled', () => {
    expect(findStall(inProject, { n: 9, p90: 48 }, DEFAULT_STALL_SETTINGS, day('2024-03-20'))).toBeUndefined();
  });
});

describe('passed close dates', () => {
  const approved = { stage: 'APPROVED' as const, expectedCloseDate: '2024-03-31', probability: 70 };

  it('count from the end of the expected close day', () => {
    expect(findPassedCloseDate(approved, new Date('2024-03-31T23:59:59Z'))).toBeUndefined();
    expect(findPassedCloseDate(approved, day('2024-04-15'))).toEqual({
      kind: 'close_date_passed',
      since: day('2024-04-01'),
      reason: 'still in APPROVED; expected close date 2024-03-31 (forecast 70%) passed 14 days ago',
    });
  });
});

describe('inactivity', () => {
  it('flags deals with no activity for at least N days', () => {
    expect(findInactivity({ lastActivityAt: day('2024-02-01') }, 30, day('2024-03-13'))?.reason).toBe(
      'no activity for 41 days (last on 2024-02-01); threshold 30 days',
    );
    // 2024 is a leap year: Feb 1 → Mar 1 is 29 days, → Mar 2 exactly 30.
    expect(findInactivity({ lastActivityAt: day('2024-02-01') }, 30, day('2024-03-01'))).toBeUndefined();
    expect(findInactivity({ lastActivityAt: day('2024-02-01') }, 30, day('2024-03-02'))?.kind).toBe('inactive');
  });
});

describe('recorded anomalies', () => {
  it('say what moved back, and what an override skipped and why', () => {
    expect(describeRegression({ from: 'APPROVED', to: 'PROJECT', at: day('2024-03-01') }).reason).toBe(
      'moved back from APPROVED to PROJECT on 2024-03-01',
    );
    const skip = describeOverride({
      from: 'INTENT', to: 'APPROVED', skipped: ['PROJECT'], by: 'manager-mia', reason: 'board decided', unmet: 2, at: day('2024-02-01'),
    });
    expect(skip).toEqual({
      kind: 'stages_skipped',
      since: day('2024-02-01'),
      reason: 'jumped from INTENT to APPROVED, skipping PROJECT, by override on 2024-02-01 by manager-mia with 2 unmet criteria: "board decided"',
    });
    const gate = describeOverride({ from: 'PROJECT', to: 'APPROVED', skipped: [], by: 'm', reason: 'r', unmet: 1, at: day('2024-02-01') });
    expect(gate.kind).toBe('gate_overridden');
    expect(gate.reason).toBe('entered APPROVED from PROJECT by override on 2024-02-01 by m with 1 unmet criterion: "r"');
  });
});
