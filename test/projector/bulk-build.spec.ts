import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { copyLine } from '@funnel/read-models/projection/bulk-sql';
import { escapeIdentifier } from 'pg';
import { generationSchema } from '@funnel/read-models/projection/generation-schema';
import { rebuildProjection } from '@funnel/read-models/projection/projection-rebuild';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';
import { story } from '../read-models/support/deal-story';
import { builtBothWays } from './support/built-both-ways';

/**
 * A rebuild fills a fresh generation through each projection's builder (in memory, written in
 * bulk by COPY). Its promise: every table — the internal state tables the live runner goes on
 * from included — equals, row for row, what apply batch by batch makes of the same feed, wherever
 * the flushes fall.
 */
describe('a generation built in bulk equals one built batch by batch', () => {
  let h: ReadModelHarness;
  let events = 0;
  beforeAll(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 150, seed: 9001 })];
    events += await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 61 });
    // Text COPY must carry as is: tabs, newlines, backslashes, quotes, braces, and a text that reads "\N".
    const awkward = '8c000000-0000-4000-8000-00000000000a';
    const texts = story(awkward)
      .opened('2025-02-01T08:00:00.000Z', { owner: 'rep\tann', team: 'north\\east', accountName: 'Line\nBreak "Quoted" {Braces}' })
      .advanced('2025-02-03T08:00:00.000Z', 'POTENTIAL')
      .advanced('2025-02-05T08:00:00.000Z', 'APPROVED', { by: 'manager-mia', reason: 'signed\r\nelsewhere \\N' })
      .visit('2025-02-06T08:00:00.000Z', 'visit\t1')
      .lost('2025-02-07T08:00:00.000Z', '\\N', 'Rival, "Inc."')
      .reopened('2025-02-09T08:00:00.000Z')
      .reassigned('2025-02-10T08:00:00.000Z', 'rep\tann', 'rep-bo', 'south')
      .forecast('2025-02-11T08:00:00.000Z', 40, '2025-06-30');
    events += texts.events.length;
    await h.append(awkward, texts.events);
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  it('writes COPY text lines that keep every character', () => {
    expect(copyLine(['a\tb', null, true, 3, '\\N', ['x', 'y "z"', ''], 'c\r\nd'])).toBe('a\\tb\t\\N\tt\t3\t\\\\N\t{"x","y \\\\"z\\\\"",""}\tc\\r\\nd\n');
  });

  const builders = ALL_PROJECTIONS.filter((p) => p.builder);
  it('covers projections with a builder', () => {
    expect(builders.map((p) => p.name)).toEqual(expect.arrayContaining(['audit_trail', 'deal_summary', 'account_summary']));
  });

  for (const projection of builders) {
    it(`${projection.name}: every table, flushed every 50 rows, equals apply's in batches of 37`, async () => {
      const { applied, built, events: processed } = await builtBothWays(h, projection, { batchSize: 37, flushRows: 50 });
      expect(processed).toBe(events);
      expect(Object.values(applied).some((rows) => rows.length > 100)).toBe(true);
      expect(Object.keys(built)).toEqual(Object.keys(applied));
      for (const table of Object.keys(applied)) expect({ table, rows: built[table] }).toEqual({ table, rows: applied[table] });
    }, 300_000);
  }

  // The tables whose rows change as a deal goes on: interim flushes keep them back for the final one.
  const changing: Record<string, string[]> = {
    deal_summary: ['deal_summary'],
    stage_history: ['stage_intervals', 'deal_stage_state'],
    deal_timeline: ['deal_timeline_state'],
    activity: ['deal_owners'],
    account_summary: ['account_deals'],
  };
  it("writes each row of a deal's changing state once, as it ends up: no row of a bulk build is updated, however often the builders flush", async () => {
    for (const [name, tables] of Object.entries(changing)) {
      const projection = builders.find((p) => p.name === name)!;
      const built = await rebuildProjection({ pool: h.pool, store: h.store }, projection, { batchSize: 37, flushRows: 50 });
      const schema = generationSchema(name, built.generation);
      for (const table of tables) {
        const [{ count }] = await h.rows<{ count: string }>(`SELECT count(*) FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)}`);
        expect(Number(count)).toBeGreaterThan(100);
        // The writer's session counts its writes when it ends, a moment after the rebuild returns.
        let stats: { inserted: number; updated: number } | undefined;
        for (let i = 0; i < 100 && stats?.inserted !== Number(count); i++) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
          [stats] = await h.rows<{ inserted: number; updated: number }>(
            `SELECT n_tup_ins::int AS inserted, (n_tup_upd + n_tup_del)::int AS updated FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2`,
            [schema, table],
          );
        }
        expect({ table: `${schema}.${table}`, ...stats }).toEqual({ table: `${schema}.${table}`, inserted: Number(count), updated: 0 });
      }
    }
  }, 300_000);
});
