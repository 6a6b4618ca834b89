/**
 * The hub as its own process, for benchmarks that must measure it apart from their clients:
 * `node dist/src/main.js` on a port picked here, with development identity and the demo data
 * in a temporary HUB_DATA_DIR, on DATABASE_URL when set, else on its own embedded PostgreSQL.
 * `env` overrides any of it (bench/compare.ts runs it with NODE_ENV=production and a trust file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** The hub's own warnings worth echoing before they are only counted. */
const ECHOED_LOG_LINES = 20;

export interface HubProcessOptions {
  /** Extra environment for the hub (e.g. HUB_WS_QUEUE_LIMIT). */
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** How long to wait for /readyz; default 180 s (a first embedded start initialises a cluster). */
  readyTimeoutMs?: number;
  /**
   * An existing HUB_DATA_DIR to share with another hub process (same development identity keys),
   * instead of a new temporary one; stop() leaves it in place. Pair it with a DATABASE_URL in
   * `env`, so this hub does not start a cluster of its own there.
   */
  dataDir?: string;
  /** The compiled hub to run (default: this build's dist/src/main.js), e.g. an earlier build kept to compare against. */
  main?: string;
}

export interface HubProcess {
  /** GraphQL over HTTP; the same URL with ws:// for graphql-ws. */
  url: string;
  wsUrl: string;
  pid: number;
  /** The HUB_DATA_DIR (development keys, embedded database); removed by stop() when it made it. */
  dataDir: string;
  /**
   * The connection string of the hub's database, for further hub processes on it: DATABASE_URL
   * when the hub was given one, else its embedded cluster's (from the `database:` line it prints,
   * with the password kept in $HUB_DATA_DIR/postgres.password).
   */
  databaseUrl(): string;
  /** JSON log lines the hub wrote to stderr (at LOG_LEVEL=warn: its warnings and errors). */
  readonly logLines: number;
  /** The hub process's resident set, in KiB, from /proc/<pid>/status. */
  rssKb(): number;
  /**
   * CPU seconds (user + system) used so far by the hub process alone (`hubSystem`: the part
   * spent in the kernel, e.g. socket writes), and by its descendants (the embedded PostgreSQL).
   */
  cpuSeconds(): { hub: number; hubSystem: number; database: number };
  /**
   * SIGTERM, then waits for the hub's own graceful stop (which stops its embedded PostgreSQL);
   * after `timeoutMs` (default 20 s) SIGKILLs it and the postmaster. Removes the data folder.
   */
  stop(timeoutMs?: number): Promise<void>;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A field of /proc/<pid>/status in KiB (VmRSS, VmHWM, …); 0 when the process is gone. */
export function procStatusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

interface ProcStat {
  ppid: number;
  /** user + system CPU, in ticks. */
  ticks: number;
  /** system (kernel) CPU alone, in ticks. */
  systemTicks: number;
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself hold spaces and parentheses. */
function readProcStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), systemTicks: Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds of every live descendant of `root` (not `root` itself). */
function descendantsCpuSeconds(root: number): number {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s) stats.set(Number(name), s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += stats.get(pid)!.ticks;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Jiffies of the whole machine so far, from /proc/stat, for CPU-share readings: busy, total, and
 * the part of busy spent in interrupts (irq and softirq: on loopback, much of TCP's receive path),
 * which no process's own CPU time includes.
 */
export function machineCpuTicks(): { busy: number; total: number; interrupts: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // user nice system idle iowait irq softirq steal (guest and guest_nice are already in user and nice).
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total, interrupts: v[5] + v[6] };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts `node dist/src/main.js` (this file is compiled to dist/bench/) and resolves once
 * /readyz answers 200.
 * @throws when the hub exits or is not ready in time (the process is stopped first).
 */
export async function startHubProcess(options: HubProcessOptions = {}): Promise<HubProcess> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gba-hub-fanout-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_DEMO_DATA: 'true',
    HUB_TRUST_CONFIG: '',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? join(__dirname, '..', 'src', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logLines = 0;
  /** What the hub printed after `database: ` (the password hidden). */
  let databaseLabel: string | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  // Tokens (indented lines) are not echoed: the benchmark mints its own.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const database = /^gba-hub: database: (.*)$/.exec(line);
    if (database) databaseLabel = database[1];
    if (!line.startsWith('  ')) console.log(`  ${line}`);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    // The hub logs JSON lines; anything else (the inspector's banner) is echoed, not counted.
    if (!line.startsWith('{')) return console.log(`  ${line}`);
    logLines++;
    if (logLines <= ECHOED_LOG_LINES) console.log(`  hub log: ${line}`);
    else if (logLines === ECHOED_LOG_LINES + 1) console.log('  hub log: … (further lines only counted)');
  });

  const base = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const stop = async (timeoutMs = 20_000) => {
    if (!exited) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), sleep(timeoutMs).then(() => false)]);
      if (!stopped) {
        console.log(`  hub did not stop in ${timeoutMs / 1000} s: killing it and its PostgreSQL`);
        if (ownsDataDir) killPostmaster(dataDir);
        child.kill('SIGKILL');
        await exit;
      }
    }
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the hub exited before it was ready (code ${exited.code}, signal ${exited.signal})`);
    }
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the hub was not ready in time');
    }
    await sleep(200);
  }

  return {
    url: `${base}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    pid,
    dataDir,
    databaseUrl: () => {
      if (env.DATABASE_URL) return env.DATABASE_URL;
      const embedded = databaseLabel && /^embedded PostgreSQL (\S+) \(data in /.exec(databaseLabel);
      if (!embedded) throw new Error(`the hub did not print its embedded database (${databaseLabel ?? 'no database line'})`);
      const url = new URL(embedded[1]);
      url.password = encodeURIComponent(readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim());
      return url.toString();
    },
    get logLines() {
      return logLines;
    },
    rssKb: () => procStatusKb(pid, 'VmRSS'),
    cpuSeconds: () => {
      const own = readProcStat(pid);
      return { hub: (own?.ticks ?? 0) / TICKS_PER_SECOND, hubSystem: (own?.systemTicks ?? 0) / TICKS_PER_SECOND, database: descendantsCpuSeconds(pid) };
    },
    stop,
  };
}

/** Last resort for an embedded cluster whose hub had to be killed: SIGQUIT (immediate shutdown) to its postmaster. */
function killPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // No embedded cluster, or it is already gone.
  }
}
