/**
 * Imported history in the read models: every analytic treats an imported move exactly like the
 * native move of the same kind, while anomalies, override counts and the override trail do not
 * count it. Each deal has a native twin with the same stage history (overrides where a native
 * skip needs one), owned by another rep, so "exactly like" is checked answer for answer.
 */
import { DealEvent, ImportedFrom } from '@funnel/domain/deal/deal.events';
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { DEFAULT_STALL_SETTINGS } from '@funnel/domain/metrics/stall-limits';
import { AnswerCache } from '@funnel/read-models/analytics/answer-cache';
import { AnomaliesQuery } from '@funnel/read-models/analytics/anomalies.query';
import { ConversionQuery } from '@funnel/read-models/analytics/conversion.query';
import { CycleTimeQuery } from '@funnel/read-models/analytics/cycle-time.query';
import { DwellTimesQuery } from '@funnel/read-models/analytics/dwell-times.query';
import { StayIndex } from '@funnel/read-models/analytics/stay-index';
import { DealIndex } from '@funnel/read-models/analytics/deal-index';
import { RepPerformanceQuery } from '@funnel/read-models/analytics/rep-performance.query';
import { FunnelQuery } from '@funnel/read-models/funnel/funnel.query';
import { startReadModelHarness, ReadModelHarness } from './support/read-model-harness';
import { story } from './support/deal-story';

const NATIVE_WON = '1a000000-0000-4000-8000-000000000001';
const NATIVE_LOST = '1a000000-0000-4000-8000-000000000002';
const IMPORTED_WON = '2b000000-0000-4000-8000-000000000001';
const IMPORTED_LOST = '2b000000-0000-4000-8000-000000000002';
const NATIVE = { owner: 'native-nia', team: 'native' };
const IMPORTED = { owner: 'import-ivo', team: 'imported' };

/** Hand-written imported events, the shapes importHistory makes. */
function importedStory(dealId: string, owner: { owner: string; team: string }, moves: [string, DealStatusStage][]): DealEvent[] {
  const from = (i: number): ImportedFrom => ({ system: 'crm-x', file: 'history.csv', line: i + 2, externalId: `${dealId}#${i}`, importedBy: 'manager-mia' });
  const [[openedAt, firstStage], ...rest] = moves;
  const events: DealEvent[] = [
    {
      type: 'DealImported',
      data: {
        dealId,
        account: { name: 'Nordwind Steel', industry: 'manufacturing', region: 'EMEA' },
        ...owner,
        amount: 100_000,
        currency: 'EUR',
        stage: firstStage as 'TARGET',
        playbookVersion: 'default/1',
        importedFrom: from(0),
        occurredAt: openedAt,
      },
    },
  ];
  let stage = firstStage;
  rest.forEach(([at, to], i) => {
    events.push({ type: 'StageChangeImported', data: { from: stage, to, importedFrom: from(i + 1), occurredAt: at } });
    stage = to;
  });
  return events;
}

const WON_PATH: [string, DealStatusStage][] = [
  ['2025-01-01T09:00:00.000Z', 'TARGET'],
  ['2025-01-10T09:00:00.000Z', 'POTENTIAL'],
  ['2025-01-20T09:00:00.000Z', 'INTENT'],
  ['2025-02-01T09:00:00.000Z', 'POTENTIAL'],
  ['2025-02-10T09:00:00.000Z', 'INTENT'],
  ['2025-03-01T09:00:00.000Z', 'APPROVED'],
  ['2025-03-15T09:00:00.000Z', 'NEGOTIATION'],
  ['2025-04-01T09:00:00.000Z', 'WON'],
];
const LOST_PATH: [string, DealStatusStage][] = [
  ['2025-01-05T09:00:00.000Z', 'TARGET'],
  ['2025-01-15T09:00:00.000Z', 'POTENTIAL'],
  ['2025-02-01T12:00:00.000Z', 'LOST'],
  ['2025-03-01T12:00:00.000Z', 'POTENTIAL'],
  ['2025-03-20T12:00:00.000Z', 'LOST'],
];

const nativeWon = story(NATIVE_WON)
  .opened(WON_PATH[0][0], NATIVE)
  .advanced(WON_PATH[1][0], 'POTENTIAL')
  .advanced(WON_PATH[2][0], 'INTENT')
  .regressed(WON_PATH[3][0], 'POTENTIAL')
  .advanced(WON_PATH[4][0], 'INTENT')
  .advanced(WON_PATH[5][0], 'APPROVED', { by: 'manager-mia', reason: 'strategic account' })
  .advanced(WON_PATH[6][0], 'NEGOTIATION')
  .advanced(WON_PATH[7][0], 'WON').events;
const nativeLost = story(NATIVE_LOST)
  .opened(LOST_PATH[0][0], NATIVE)
  .advanced(LOST_PATH[1][0], 'POTENTIAL')
  .lost(LOST_PATH[2][0], 'lost in crm-x')
  .reopened(LOST_PATH[3][0])
  .lost(LOST_PATH[4][0], 'lost in crm-x').events;

const STAYS = `
  SELECT seq, stage, entered_at, exited_at, entry_kind, exit_kind, next_stage, region, industry, amount::text AS amount
    FROM rm.stage_intervals WHERE deal_id = $1 ORDER BY seq`;

describe('imported history in the read models', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
    await h.append(NATIVE_WON, nativeWon);
    await h.append(NATIVE_LOST, nativeLost);
    await h.append(IMPORTED_WON, importedStory(IMPORTED_WON, IMPORTED, WON_PATH));
    await h.append(IMPORTED_LOST, importedStory(IMPORTED_LOST, IMPORTED, LOST_PATH));
    await h.project();
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('makes the same stays, of the same kinds, as the native twin, marked as imported and never as overridden', async () => {
    expect(await h.rows(STAYS, [IMPORTED_WON])).toEqual(await h.rows(STAYS, [NATIVE_WON]));
    expect(await h.rows(STAYS, [IMPORTED_LOST])).toEqual(await h.rows(STAYS, [NATIVE_LOST]));
    const marks = await h.rows(`SELECT seq, overridden, entry_imported, exit_imported FROM rm.stage_intervals WHERE deal_id = $1 ORDER BY seq`, [IMPORTED_WON]);
    expect(marks.every((m) => m.overridden === false && m.entry_imported === true)).toBe(true);
    expect(marks.map((m) => m.exit_imported)).toEqual([true, true, true, true, true, true, true, null]);
    const native = await h.rows(`SELECT entry_imported, exit_imported FROM rm.stage_intervals WHERE deal_id = $1 ORDER BY seq`, [NATIVE_WON]);
    expect(native.every((m) => m.entry_imported === false)).toBe(true);
  });

  it('summarises the deal like its twin, with no override counted', async () => {
    const summary = `SELECT stage, status, opened_at, entered_stage_at, closed_at, amount::text AS amount, override_count, regression_count
                       FROM rm.deal_summary WHERE deal_id = $1`;
    const [imported] = await h.rows(summary, [IMPORTED_WON]);
    const [native] = await h.rows(summary, [NATIVE_WON]);
    expect(native.override_count).toBe(1);
    expect(imported).toEqual({ ...native, override_count: 0 });
    expect(await h.rows(summary, [IMPORTED_LOST])).toEqual(await h.rows(summary, [NATIVE_LOST]));
    expect(await h.rows(`SELECT deal_id FROM rm.stage_overrides`)).toEqual([{ deal_id: NATIVE_WON }]);
  });

  it('answers conversion, win rate, cycle time, dwell times, reps and the funnel as of for the imported deals as for their native twins', async () => {
    const strip = <T extends { filters: object }>(answer: T) => ({ ...answer, filters: undefined });
    const each = async <T extends { filters: object }>(ask: (owner: string) => Promise<T>) => {
      const [imported, native] = [await ask(IMPORTED.owner), await ask(NATIVE.owner)];
      expect(strip(imported)).toEqual(strip(native));
      return native;
    };
    const conversion = await each((owner) => new ConversionQuery(h.pool, new AnswerCache(h.pool), new DealIndex(h.pool, h.store, new StayIndex(h.pool, h.store))).answer({ owner }, {}, 'strict'));
    expect(conversion.winRate.byCount).toBe(0.5);
    await each((owner) => new ConversionQuery(h.pool, new AnswerCache(h.pool), new DealIndex(h.pool, h.store, new StayIndex(h.pool, h.store))).answer({ owner }, {}, 'any'));
    const cycle = await each((owner) => new CycleTimeQuery(h.pool, new AnswerCache(h.pool)).answer({ owner }, {}, 'POTENTIAL', 'strict'));
    expect(cycle.cycle.n).toBe(1);
    await each((owner) => new DwellTimesQuery(new StayIndex(h.pool, h.store)).answer({ owner }, {}, new Date('2025-06-01T00:00:00Z')));
    const reps = await each(async (owner) => {
      const answer = await new RepPerformanceQuery(h.pool, new AnswerCache(h.pool)).answer(
        { owner },
        { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z') },
        'owner',
        new Date('2025-06-01T00:00:00Z'),
      );
      return { ...answer, groups: answer.groups.map((g) => ({ ...g, key: 'the rep' })) };
    });
    expect(reps.groups[0].closed).toMatchObject({ won: 1, lost: 1 });
    const funnel = (owner: string, asOf: string) =>
      new FunnelQuery(h.pool).run({ owner, team: null, region: null, industry: null }, new Date(asOf));
    for (const asOf of ['2025-01-12T00:00:00Z', '2025-02-05T00:00:00Z', '2025-03-10T00:00:00Z', '2025-05-01T00:00:00Z']) {
      expect(strip(await funnel(IMPORTED.owner, asOf))).toEqual(strip(await funnel(NATIVE.owner, asOf)));
    }
  });

  it('lists no imported skip, override or regression as an anomaly, while the native twin’s are listed', async () => {
    const kinds = async (owner: string) =>
      (
        await new AnomaliesQuery(h.pool, new AnswerCache(h.pool)).answer({ owner }, {}, { asOf: new Date('2025-06-01T00:00:00Z'), inactiveDays: 30, settings: DEFAULT_STALL_SETTINGS, limit: 500 })
      ).items
        .map((i) => i.kind)
        .sort();
    expect(await kinds(NATIVE.owner)).toEqual(['regressed', 'stages_skipped']);
    expect(await kinds(IMPORTED.owner)).toEqual([]);
  });
});
