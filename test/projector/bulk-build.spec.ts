import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { copyLine } from '@funnel/read-models/projection/bulk-sql';
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
});
