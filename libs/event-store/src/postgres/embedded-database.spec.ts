import { mkdtemp, mkdir, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from './embedded-database';

/**
 * As root, the embedded PostgreSQL runs as its own OS user, which cannot enter a private (0700)
 * directory: the start must stop at once with the directory and the fix, not with "Postgres init
 * script exited with code 1" (issue #7, defect 11).
 */
describe('the embedded database under a private directory, started as root', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'funnel-private-'));
    await mkdir(join(home, 'project'), { recursive: true });
    await chmod(home, 0o700);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('refuses with a message naming the directory and the fix', async () => {
    const dataDir = join(home, 'project', 'data');
    const start = startEmbeddedDatabase(dataDir, () => undefined, { runsAsRoot: true });
    await expect(start).rejects.toThrow(new RegExp(`cannot enter ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 0700\\)`));
    await expect(start).rejects.toThrow(/chmod o\+x|DATA_DIR outside|DATABASE_URL/);
  });
});
