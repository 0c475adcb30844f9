import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ALL_PROJECTIONS } from '@funnel/read-models/projection/all-projections';
import { bulkInsertEvents } from '@funnel/read-models/testing/bulk-insert-events';
import { generateDealHistories, interleaveByOccurredAt } from '@funnel/read-models/testing/deal-history.generator';
import { startReadModelHarness, ReadModelHarness } from '../read-models/support/read-model-harness';

/** Runs `npm run funnel -- …` as an operator would, in its own process; resolves with its exit code and output. */
function funnelCli(args: string[], databaseUrl: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  const root = join(__dirname, '..', '..');
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('apps', 'projector', 'src', 'cli', 'funnel.cli.ts'), ...args],
    { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/**
 * `projections rebuild --all` from the command line: every projection's new generation built
 * from one read of the feed and swapped in. (With six projections and a CLI pool of four
 * connections it used to wait for a connection forever.)
 */
describe('npm run funnel -- projections rebuild --all', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  it('rebuilds every projection from one read and swaps each new generation in', async () => {
    const written = await bulkInsertEvents(h.pool, interleaveByOccurredAt([...generateDealHistories({ deals: 40, seed: 5 })]), { chunkSize: 100 });
    await h.project(ALL_PROJECTIONS);
    const before = await h.rows<{ n: string }>('SELECT count(*) AS n FROM rm.stage_intervals');

    const { code, out } = await funnelCli(['projections', 'rebuild', '--all'], h.db.url, 150_000);
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining(`${written.toLocaleString('en')} events into ${ALL_PROJECTIONS.length} projections`) });

    const live = await h.rows<{ projection: string; generation: number }>(
      `SELECT projection, generation FROM projection_generations WHERE status = 'live' ORDER BY projection`,
    );
    expect(live).toEqual(ALL_PROJECTIONS.map((p) => ({ projection: p.name, generation: 2 })).sort((a, b) => a.projection.localeCompare(b.projection)));
    expect(await h.rows('SELECT count(*) AS n FROM rm.stage_intervals')).toEqual(before);
  }, 200_000);
});
