/**
 * Imported history: given the deal's stream, when a source record of it is imported, then
 * these events (only what is new) — never judged by a gate, never an override, and a WON or
 * LOST needs nobody from finance: the source system is the authority.
 */
import { DEFAULT_PLAYBOOK } from '../playbook/default-playbook';
import { DealStatusStage } from '../playbook/stage';
import { given, MANAGER, REP } from '../testing/decider-specification';
import { DealEvent, ImportedFrom } from './deal.events';
import { foldDeal } from './deal.evolve';
import { ImportedDealRecord, ImportedStageEntry, importHistory } from './imported-history';
import { importedMove } from './imported-move';

const DEAL = '0b6a2c1e-3d4f-5a6b-8c7d-9e0f1a2b3c4d';
const VERSION = DEFAULT_PLAYBOOK.version;

function source(externalId: string, line: number, file = 'sales_pipeline.csv'): ImportedFrom {
  return { system: 'maven', file, line, externalId, importedBy: 'manager-mia' };
}

function entry(stage: DealStatusStage, occurredAt: string, externalId: string, extra: Partial<ImportedStageEntry> = {}): ImportedStageEntry {
  return { stage, occurredAt, importedFrom: source(externalId, 2), ...extra };
}

function record(entries: ImportedStageEntry[], amount = 1054): ImportedDealRecord {
  return {
    dealId: DEAL,
    account: { name: 'Cancity', industry: 'Unknown', region: 'Central' },
    owner: 'Moses Frase',
    team: 'Dustin Brinkmann',
    amount,
    currency: 'USD',
    entries,
  };
}

const ENGAGED = entry('POTENTIAL', '2016-10-20T00:00:00.000Z', '1C1I7A6R#engaged');
const WON = entry('WON', '2017-03-01T00:00:00.000Z', '1C1I7A6R#closed', { amount: 1054 });

const importing = (r: ImportedDealRecord, stream: DealEvent[] = []) => importHistory(r, stream, VERSION);

describe('importing a deal’s history', () => {
  it('opens the deal where the source first knew it and moves it to WON, with no gate, no override and no finance', () => {
    const outcome = importing(record([WON, ENGAGED]));
    expect(outcome.events).toEqual([
      {
        type: 'DealImported',
        data: {
          dealId: DEAL,
          account: { name: 'Cancity', industry: 'Unknown', region: 'Central' },
          owner: 'Moses Frase',
          team: 'Dustin Brinkmann',
          amount: 1054,
          currency: 'USD',
          stage: 'POTENTIAL',
          playbookVersion: VERSION,
          importedFrom: ENGAGED.importedFrom,
          occurredAt: '2016-10-20T00:00:00.000Z',
        },
      },
      {
        type: 'StageChangeImported',
        data: { from: 'POTENTIAL', to: 'WON', importedFrom: WON.importedFrom, occurredAt: '2017-03-01T00:00:00.000Z' },
      },
    ]);
    expect(JSON.stringify(outcome.events)).not.toContain('override');
    expect(foldDeal(outcome.events)).toMatchObject({
      status: 'won',
      stage: 'WON',
      wonAt: '2017-03-01T00:00:00.000Z',
      openedAt: '2016-10-20T00:00:00.000Z',
      payments: [],
      importedFrom: { system: 'maven', externalId: '1C1I7A6R#engaged' },
    });
  });

  it('appends nothing when the same record is imported again', () => {
    const first = importing(record([ENGAGED, WON])).events;
    const again = importing(record([ENGAGED, WON]), first);
    expect(again).toEqual({ events: [], alreadyRecorded: 2, unchanged: 0, refused: [] });
  });

  it('appends only the new change from a later export, with the amount the source now states', () => {
    const earlier = importing(record([ENGAGED], 0)).events;
    expect(earlier).toHaveLength(1);
    const later = importing(record([{ ...ENGAGED, importedFrom: source('1C1I7A6R#engaged', 7, 'later.csv') }, WON]), earlier);
    expect(later.alreadyRecorded).toBe(1);
    expect(later.events).toEqual([
      {
        type: 'StageChangeImported',
        data: { from: 'POTENTIAL', to: 'WON', amount: 1054, importedFrom: WON.importedFrom, occurredAt: WON.occurredAt },
      },
    ]);
    expect(foldDeal([...earlier, ...later.events])).toMatchObject({ status: 'won', amount: 1054 });
  });

  it('keeps one stream for a deal imported and then worked natively: native commands follow it, a later import goes on from there', () => {
    const imported = importing(record([ENGAGED], 0)).events;
    // Native work on the imported deal: the gates judge it from here on, as for any deal.
    given(imported)
      .when({ type: 'AdvanceStage', data: { to: 'INTENT', occurredAt: '2017-01-10T00:00:00.000Z' } }, { actor: REP })
      .thenThrows('GATE_NOT_MET');
    const native = given(imported)
      .when(
        { type: 'AdvanceStage', data: { to: 'INTENT', override: { reason: 'agreed on the call' }, occurredAt: '2017-01-10T00:00:00.000Z' } },
        { actor: MANAGER },
      )
      .events();
    expect(native).toEqual([expect.objectContaining({ type: 'StageAdvanced', data: expect.objectContaining({ from: 'POTENTIAL', to: 'INTENT' }) })]);

    const later = importing(record([ENGAGED, WON]), [...imported, ...native]);
    expect(later.events).toEqual([expect.objectContaining({ type: 'StageChangeImported', data: expect.objectContaining({ from: 'INTENT', to: 'WON' }) })]);
  });

  it('records a loss in the source’s words, and a native reopening brings the deal back where it left', () => {
    const lostAt = '2017-03-18T00:00:00.000Z';
    const lost = importing(record([ENGAGED, entry('LOST', lostAt, '1C1I7A6R#closed', { reason: 'Lost' })], 0)).events;
    expect(lost[1]).toEqual({
      type: 'StageChangeImported',
      data: { from: 'POTENTIAL', to: 'LOST', reason: 'Lost', importedFrom: source('1C1I7A6R#closed', 2), occurredAt: lostAt },
    });
    expect(foldDeal(lost)).toMatchObject({ status: 'lost', stage: 'POTENTIAL', lost: { reason: 'Lost', occurredAt: lostAt } });
    given(lost)
      .when({ type: 'ReopenDeal', data: { reason: 'budget back', occurredAt: '2017-04-01T00:00:00.000Z' } })
      .then([{ type: 'DealReopened', data: { to: 'POTENTIAL', reason: 'budget back', occurredAt: '2017-04-01T00:00:00.000Z' } }]);
  });

  it('refuses what cannot be history of the stream, with the reason, and keeps the rest', () => {
    const outcome = importing(
      record([
        entry('LOST', '2016-01-01T00:00:00.000Z', 'X#lost-first'),
        ENGAGED,
        entry('INTENT', '2016-11-01T00:00:00.000Z', 'X#intent'),
        entry('PROJECT', '2016-12-01T00:00:00.000Z', 'X#project'),
      ]),
    );
    expect(outcome.refused.map((r) => [r.entry.importedFrom.externalId, r.reason])).toEqual([
      ['X#lost-first', expect.stringContaining('cannot be LOST')],
    ]);
    expect(outcome.events.map((e) => e.type)).toEqual(['DealImported', 'StageChangeImported', 'StageChangeImported']);

    // A move dated before the deal's last stage change would make stays overlap.
    const late = importing(record([entry('NEGOTIATION', '2016-11-15T00:00:00.000Z', 'X#old')]), outcome.events);
    expect(late.events).toEqual([]);
    expect(late.refused.map((r) => r.reason)).toEqual([expect.stringContaining('precedes the deal')]);
  });

  it('says nothing new for an entry that leaves the deal where it is', () => {
    const opened = importing(record([ENGAGED])).events;
    const same = importing(record([entry('POTENTIAL', '2016-11-01T00:00:00.000Z', 'X#same', { amount: 1054 })]), opened);
    expect(same).toMatchObject({ events: [], unchanged: 1 });
  });

  it('folds imported regressions, losses and reopenings like the native ones', () => {
    const events = importing(
      record([
        entry('TARGET', '2024-01-01T00:00:00.000Z', 'Y#1'),
        entry('INTENT', '2024-02-01T00:00:00.000Z', 'Y#2'),
        entry('POTENTIAL', '2024-03-01T00:00:00.000Z', 'Y#3'),
        entry('LOST', '2024-04-01T00:00:00.000Z', 'Y#4'),
        entry('PROJECT', '2024-05-01T00:00:00.000Z', 'Y#5'),
      ]),
    ).events;
    expect(events.map((e) => (e.type === 'StageChangeImported' ? `${e.data.from}→${e.data.to}` : e.type))).toEqual([
      'DealImported',
      'TARGET→INTENT',
      'INTENT→POTENTIAL',
      'POTENTIAL→LOST',
      'LOST→PROJECT',
    ]);
    expect(foldDeal(events)).toMatchObject({ status: 'open', stage: 'PROJECT', lastStageChangeAt: '2024-05-01T00:00:00.000Z' });
    expect(foldDeal(events.slice(0, 4))).toMatchObject({ status: 'lost', stage: 'POTENTIAL', lost: { reason: 'lost in maven' } });
  });
});

describe('an imported move, in the words of native moves', () => {
  it.each([
    ['TARGET', 'POTENTIAL', 'advanced', []],
    ['POTENTIAL', 'PROJECT', 'skipped', ['INTENT']],
    ['NEGOTIATION', 'WON', 'won', []],
    ['POTENTIAL', 'WON', 'won', ['INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION']],
    ['PROJECT', 'POTENTIAL', 'regressed', []],
    ['INTENT', 'LOST', 'lost', []],
    ['LOST', 'INTENT', 'reopened', []],
  ] as const)('%s → %s is %s', (from, to, kind, skipped) => {
    expect(importedMove(from, to)).toEqual({ kind, skipped });
  });

  it('is no move when the stage stays', () => {
    expect(importedMove('INTENT', 'INTENT')).toBeUndefined();
  });
});
