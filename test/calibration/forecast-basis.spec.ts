/**
 * GET /v1/forecast reads its basis ready-made from the deal timeline in one statement
 * (forecast-basis.rows.ts); the backtest and the specs fold every move in Node
 * (forecastBasis()). On a generated history with random millisecond times, skips, regressions,
 * losses, reopenings and forecasts, the two give the same basis, field for field and in the same
 * order, for a spread of asOf instants and filters — hence the same forecast for the same seed;
 * and the basis read once with every move (kept between requests) is the one at any later asOf.
 */
import { forecastBasis, forecastFromBasis } from '@funnel/domain/metrics/pipeline-forecast';
import { loadRepForecasts, loadStageMoves, matchesFilters } from '@funnel/read-models/deal-timeline/deal-timeline.rows';
import { dealTimelineProjection } from '@funnel/read-models/deal-timeline/deal-timeline.projection';
import { basisAt, loadForecastBasis, readForecastBasis } from '@funnel/read-models/deal-timeline/forecast-basis.rows';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { ReadModelHarness, startReadModelHarness } from '../read-models/support/read-model-harness';

const at = (iso: string) => new Date(iso);
const FILTERS = [{}, { owner: 'rep-bo' }, { team: 'south', region: 'EMEA' }, { industry: 'retail' }];
// Before anything, mid-history at an odd millisecond, near the end, and long after.
const AS_OF = [at('2023-06-01T00:00:00Z'), at('2024-08-17T13:14:15.678Z'), at('2025-05-20T08:00:00.001Z'), at('2030-01-01T00:00:00Z')];

describe('the forecast basis read in SQL is the one folded from the moves', () => {
  let h: ReadModelHarness;

  beforeAll(async () => {
    h = await startReadModelHarness();
    const deals = [...generateDealHistories({ deals: 500, seed: 2412 })];
    await bulkInsertEvents(h.pool, interleaveByOccurredAt(deals), { chunkSize: 2000 });
    await h.project([dealTimelineProjection]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('same transitions, openings, open deals and latest forecasts; the same forecast', async () => {
    const [moves, forecasts] = await Promise.all([loadStageMoves(h.pool), loadRepForecasts(h.pool)]);
    let openSeen = 0;
    for (const asOf of AS_OF) {
      for (const filters of FILTERS) {
        const folded = forecastBasis({ moves, forecasts, asOf, include: matchesFilters(filters) });
        const read = await loadForecastBasis(h.pool, asOf, filters);
        const where = { asOf: asOf.toISOString(), filters };
        expect({ where, transitions: read.transitions }).toEqual({ where, transitions: folded.transitions });
        expect({ where, openings: read.openings }).toEqual({ where, openings: folded.openings });
        expect({ where, open: read.open }).toEqual({ where, open: folded.open });
        // Only the open deals' forecasts are read (the weighted pipeline looks up no other).
        const latestOfOpen = new Map(folded.open.flatMap((d) => {
          const f = folded.latest.get(d.dealId);
          return f ? [[d.dealId, { probability: f.probability, expectedCloseDate: f.expectedCloseDate }] as const] : [];
        }));
        expect({ where, latest: read.latest }).toEqual({ where, latest: latestOfOpen });
        const settings = { asOf, horizonsDays: [30, 90], runs: 200, seed: 5, lookbackDays: 365, commitAbove: 0.5 };
        expect({ where, forecast: forecastFromBasis(read, settings) }).toEqual({ where, forecast: forecastFromBasis(folded, settings) });
        openSeen += read.open.length;
      }
    }
    expect(openSeen).toBeGreaterThan(100);
  }, 120_000);

  it('read once with every move, it is the basis at any asOf from its newest instant on (what GET /v1/forecast keeps)', async () => {
    const [moves, forecasts] = await Promise.all([loadStageMoves(h.pool), loadRepForecasts(h.pool)]);
    const everything = await readForecastBasis(h.pool, null, {});
    expect(everything.newestMs).toBe(Math.max(...[...moves, ...forecasts].map((m) => m.occurredAt.getTime())));
    for (const asOf of [new Date(everything.newestMs), at('2030-01-01T00:00:00Z')]) {
      expect(basisAt(everything, asOf)).toEqual(await loadForecastBasis(h.pool, asOf, {}));
      const folded = forecastBasis({ moves, forecasts, asOf });
      expect(basisAt(everything, asOf).open).toEqual(folded.open);
    }
  });
});
