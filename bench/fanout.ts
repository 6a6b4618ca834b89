/**
 * Benchmark: the live-subscription fan-out. For each N (default 1,000 and 10,000) it starts the
 * hub in its own process (see hub-process.ts), opens N graphql-ws subscribers to
 * `alertEvents`, spread evenly over GD, HK and MO, from client processes of their own (see
 * fanout-client.ts), then publishes through the GraphQL API as a GD analyst:
 * - phase 1: one updateAlert a second for `--seconds` seconds;
 * - phase 2: `--bursts` bursts of 10 concurrent updateAlerts (10 alerts, one update each),
 *   after `--warmup-bursts` bursts that are reported on their own line, not in the phase (the
 *   first burst after a start is the slowest: see bench/FANOUT-RESULTS.md, session 6);
 * - phase 3 (the burst): `--writers` GD analysts (default 120), each with a token and an alert
 *   of their own, all at once, each retitling its alert `--writer-updates` times (default 3) one
 *   after another. The requests fill the hub's request pool (HUB_DB_POOL_SIZE, 10) many times
 *   over: delivery must not queue behind them (it renders on the event path's own pool).
 * Every alert is distributed to ALL_PARTNERS, so each publish is one event for every
 * subscriber. It reports delivery latency (from the publishing transaction's commit, as
 * PostgreSQL recorded it, to receipt by the client: the same machine clock), events
 * expected, received, lost and duplicated, the hub's resident memory before and after the
 * subscribers joined, and where CPU went. Figures are appended to bench/FANOUT-RESULTS.md.
 *
 *   npm run bench:fanout -- [--subscribers 1000,10000] [--seconds 20] [--bursts 5] [--warmup-bursts 1]
 *     [--writers 120] [--writer-updates 3] (phase 3; --writers 0 leaves it out)
 *     [--workers 2] [--subscribers-per-subject 10] [--role OBSERVER] [--queue-limit 500]
 *     [--profile] (hub CPU profile per phase) [--heap] (hub heap growth per subscriber) [--no-write]
 *     [--hubs 1] (hub processes on the one database, subscribers spread over them in turn)
 *     [--no-pin] (leave the processes where the scheduler puts them; see below)
 *     [--hub-node-args="--trace-gc ..."] (extra Node/V8 flags for the hub processes, for diagnosis)
 *
 * With --hubs K > 1, the first hub starts as with one (on its own embedded PostgreSQL unless
 * DATABASE_URL is set), the others on its database and HUB_DATA_DIR (the same development
 * identity, so every token verifies on every hub), without demo data; subscriber i connects to
 * hub i mod K, publishing stays on the first. Memory and hub CPU are summed over the hubs;
 * --profile and --heap look at the first hub only.
 *
 * CPU pinning (default, when the machine has 2 cores or more and `taskset` is there): the hub
 * processes' main threads run on the first half of the cores, the client processes on the
 * other half. The clients stand in for officers' machines elsewhere; unpinned, the scheduler
 * puts a client on the hub's core while the hub writes, and the benchmark then measures that
 * contention rather than the hub. The hubs' other threads (V8's garbage collector helpers,
 * libuv's pool), PostgreSQL and this process stay unpinned: with the helpers held on the main
 * thread's core, concurrent marking took that core from the hub's own work. --no-pin measures
 * the shared case.
 *
 * DATABASE_URL is used when set (an empty database, or one the hub made); else the hub starts
 * a throw-away embedded PostgreSQL for each N.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { containerCheckDigit } from '../src/common/codes';
import { Role } from '../src/common/enums';
import { loadEventCursors } from '../src/events/event-cursor';
import { mintDevToken } from '../src/identity/dev-identity';
import { startProfiler, stopProfiler, summarizeProfile, type ProfileSummary } from './cpu-profile';
import type { FromClient, SubscriberSpec, ToClient } from './fanout-client';
import { freePort, machineCpuTicks, procStatusKb, startHubProcess, type HubProcess } from './hub-process';
import { heapGrowth, takeHeapSummary, type HeapSummary } from './heap-summary';
import { collectGarbage, openInspector, type HeapUsage, type InspectorSession } from './inspector';
import { percentile } from './stats';

const AGENCIES = ['GD', 'HK', 'MO'] as const;
const SUBSCRIPTION = 'subscription { alertEvents { cursor kind occurredAt alert { id title riskLevel channel containerNumbers consignor { name } withheld } } }';
/** Alerts updated at once in a phase-2 burst (each once: updateAlert is optimistically locked). */
const BURST_SIZE = 10;
/** Warm-up publishes tried until every subscriber is known to be live. */
const WARMUP_TRIES = 5;
/** Quiet time after which a delivery wait gives up: nothing more arrived for this long. */
const DELIVERY_QUIET_MS = 15_000;
/** Pause before a memory reading, after the forced garbage collection too. */
const SETTLE_MS = 5_000;
const TOKEN_TTL_SECONDS = 4 * 3600;
const RESULTS_FILE = join(__dirname, '..', '..', 'bench', 'FANOUT-RESULTS.md');

interface Options {
  counts: number[];
  seconds: number;
  bursts: number;
  /** Bursts before phase 2, reported apart. */
  warmupBursts: number;
  /** Concurrent writers of phase 3 (0: no phase 3). */
  writers: number;
  /** Updates each phase-3 writer makes, one after another. */
  writerUpdates: number;
  workers: number;
  subscribersPerSubject: number;
  role: Role;
  concurrency: number;
  queueLimit?: number;
  profile: boolean;
  heap: boolean;
  write: boolean;
  /** Hub processes on the one database. */
  hubs: number;
  /** Where hubs and clients are pinned (see the top of this file); undefined: not pinned. */
  cpus: CpuPlan | undefined;
  /** Extra flags for the hub processes' node. */
  hubNodeArgs: string[];
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '1000,10000' },
      seconds: { type: 'string', default: '20' },
      bursts: { type: 'string', default: '5' },
      'warmup-bursts': { type: 'string', default: '1' },
      writers: { type: 'string', default: '120' },
      'writer-updates': { type: 'string', default: '3' },
      workers: { type: 'string', default: '2' },
      'subscribers-per-subject': { type: 'string', default: '10' },
      role: { type: 'string', default: 'OBSERVER' },
      concurrency: { type: 'string', default: '100' },
      'queue-limit': { type: 'string' },
      profile: { type: 'boolean', default: false },
      heap: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      hubs: { type: 'string', default: '1' },
      'no-pin': { type: 'boolean', default: false },
      'hub-node-args': { type: 'string', default: '' },
    },
  });
  const whole = (name: string, raw: string | undefined, min: number): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
    return v;
  };
  const role = values.role!.toUpperCase();
  if (!(role in Role)) throw new Error(`--role: expected one of ${Object.values(Role).join(', ')}`);
  return {
    counts: values.subscribers!.split(',').map((s) => whole('subscribers', s.trim().replace(/_/g, ''), 1)),
    seconds: whole('seconds', values.seconds, 1),
    bursts: whole('bursts', values.bursts, 0),
    warmupBursts: whole('warmup-bursts', values['warmup-bursts'], 0),
    writers: whole('writers', values.writers, 0),
    writerUpdates: whole('writer-updates', values['writer-updates'], 1),
    workers: whole('workers', values.workers, 1),
    subscribersPerSubject: whole('subscribers-per-subject', values['subscribers-per-subject'], 1),
    role: role as Role,
    concurrency: whole('concurrency', values.concurrency, 1),
    queueLimit: values['queue-limit'] === undefined ? undefined : whole('queue-limit', values['queue-limit'], 1),
    profile: values.profile!,
    heap: values.heap!,
    write: !values['no-write'],
    hubs: whole('hubs', values.hubs, 1),
    cpus: cpuPlan(!values['no-pin']),
    hubNodeArgs: values['hub-node-args']!.split(/\s+/).filter(Boolean),
  };
}

/** Which cores the hubs and the clients run on, when pinned. */
interface CpuPlan {
  hubs: number[];
  clients: number[];
}

/** Half the cores for the hubs, the rest for the clients; none when pinning is off or impossible. */
function cpuPlan(pin: boolean): CpuPlan | undefined {
  const cores = availableParallelism();
  if (!pin || cores < 2) return undefined;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    console.log('fanout: taskset is not installed: processes are not pinned');
    return undefined;
  }
  const all = Array.from({ length: cores }, (_, i) => i);
  const half = Math.floor(cores / 2);
  return { hubs: all.slice(0, half), clients: all.slice(half) };
}

/**
 * Pins a process's main thread, or every thread it has (`allThreads`); threads it starts
 * later inherit the set of the thread that starts them.
 */
function pinProcess(pid: number, cores: number[], allThreads: boolean): void {
  execFileSync('taskset', [...(allThreads ? ['-a'] : []), '-c', '-p', cores.join(','), String(pid)], { stdio: 'ignore' });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** An alert the publisher keeps updating; `version` follows each update. */
interface BenchAlert {
  id: string;
  version: number;
}

/** When each retitle was sent and answered, by title (ms since the epoch). */
interface Timings {
  /** When each retitle's answer arrived: its transaction had committed by then. */
  answeredAt: Map<string, number>;
  /** When each retitle's request was sent: the officer pressed the button. */
  sentAt: Map<string, number>;
}

/** A GD analyst who publishes, over HTTP. */
class Publisher {
  readonly answeredAt: Map<string, number>;
  readonly sentAt: Map<string, number>;

  /** @param timings shared by the phase-3 writers with the main publisher, so each phase's figures find every title. */
  constructor(
    private readonly url: string,
    private readonly token: string,
    timings: Timings = { answeredAt: new Map(), sentAt: new Map() },
  ) {
    this.answeredAt = timings.answeredAt;
    this.sentAt = timings.sentAt;
  }

  /** One GraphQL request. @throws on HTTP failure or GraphQL errors. */
  async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL errors (HTTP ${res.status}): ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  /** Creates and publishes a sea-container alert distributed to ALL_PARTNERS. */
  async createSharedAlert(n: number): Promise<BenchAlert> {
    const serial = String(900000 + n);
    const owner = 'FOB';
    const input = {
      title: `fanout bench alert ${n}`,
      summary: 'Benchmark alert: updated to measure how fast its events reach subscribers.',
      riskLevel: 'MEDIUM',
      channel: 'SEA_CONTAINER',
      direction: 'EXPORT',
      goods: [{ category: 'AUDIO_EQUIPMENT', description: 'Bluetooth speakers', hsCode: '8518.22', quantity: 1000, unit: 'pcs' }],
      infringements: ['TRADEMARK'],
      containerNumbers: [`${owner}U${serial}${containerCheckDigit(`${owner}U${serial}`)}`],
      consignor: { name: 'Benchmark Exporter Co.', country: 'CN' },
      distribution: { scope: 'ALL_PARTNERS' },
    };
    const created = await this.call<{ createAlert: BenchAlert }>('mutation ($input: CreateAlertInput!) { createAlert(input: $input) { id version } }', { input });
    const published = await this.call<{ publishAlert: BenchAlert }>('mutation ($id: ID!, $version: Int!) { publishAlert(id: $id, version: $version) { id version } }', {
      id: created.createAlert.id,
      version: created.createAlert.version,
    });
    return { ...published.publishAlert };
  }

  /** Retitles the alert (one UPDATED event); returns the request's round trip in ms. */
  async retitle(alert: BenchAlert, title: string): Promise<number> {
    const started = performance.now();
    this.sentAt.set(title, Date.now());
    const data = await this.call<{ updateAlert: BenchAlert }>(
      'mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }',
      { id: alert.id, version: alert.version, input: { title } },
    );
    alert.version = data.updateAlert.version;
    this.answeredAt.set(title, Date.now());
    return performance.now() - started;
  }
}

type ReportMessage = Extract<FromClient, { type: 'report' }>;

/** The client processes, each holding its share of the subscribers. */
class ClientPool {
  private constructor(private readonly children: ChildProcess[]) {}

  /**
   * Forks `workers` client processes and opens the subscribers, spread round-robin, printing
   * progress. Resolves once every handshake has ended (opened or failed).
   */
  static async connect(url: string, specs: SubscriberSpec[], workers: number, concurrency: number, cores?: number[]): Promise<{ pool: ClientPool; opened: number; failed: number; failures: string[] }> {
    const children = Array.from({ length: workers }, () => fork(join(__dirname, 'fanout-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] }));
    if (cores) for (const child of children) pinProcess(child.pid!, cores, true);
    const pool = new ClientPool(children);
    const progress = children.map(() => ({ opened: 0, failed: 0 }));
    let lastPrint = 0;
    const results = await Promise.all(
      children.map((child, w) => {
        const share = specs.filter((_, i) => i % workers === w);
        const done = new Promise<Extract<FromClient, { type: 'connected' }>>((resolve, reject) => {
          const onMessage = (m: FromClient) => {
            if (m.type === 'progress') {
              progress[w] = m;
              if (Date.now() - lastPrint > 1000) {
                lastPrint = Date.now();
                const opened = progress.reduce((a, p) => a + p.opened, 0);
                const failed = progress.reduce((a, p) => a + p.failed, 0);
                console.log(`  subscribers: ${opened} open, ${failed} failed, of ${specs.length}`);
              }
            } else if (m.type === 'connected') {
              child.off('message', onMessage);
              resolve(m);
            }
          };
          child.on('message', onMessage);
          child.once('exit', (code) => reject(new Error(`client process ${w} exited (${code}) while connecting`)));
        });
        pool.send(child, { type: 'connect', url, query: SUBSCRIPTION, subscribers: share, concurrency, timeoutMs: 60_000 });
        return done;
      }),
    );
    return {
      pool,
      opened: results.reduce((a, r) => a + r.opened, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      failures: results.flatMap((r) => r.failures),
    };
  }

  private send(child: ChildProcess, message: ToClient): void {
    child.send(message);
  }

  private ask<T extends FromClient['type']>(child: ChildProcess, message: ToClient, reply: T): Promise<Extract<FromClient, { type: T }>> {
    return new Promise((resolve) => {
      const onMessage = (m: FromClient) => {
        if (m.type !== reply) return;
        child.off('message', onMessage);
        resolve(m as Extract<FromClient, { type: T }>);
      };
      child.on('message', onMessage);
      this.send(child, message);
    });
  }

  /** Subscribers that have received each title so far, and the clients' CPU seconds. */
  async counts(titles: string[]): Promise<{ counts: number[]; cpuSeconds: number }> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { type: 'count', titles }, 'counts')));
    return {
      counts: titles.map((_, i) => replies.reduce((a, r) => a + r.counts[i], 0)),
      cpuSeconds: replies.reduce((a, r) => a + r.cpuSeconds, 0),
    };
  }

  reports(): Promise<ReportMessage[]> {
    return Promise.all(this.children.map((c) => this.ask(c, { type: 'report' }, 'report')));
  }

  /** Closes every socket and waits for the client processes to end (killing any that hang). */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        if (child.connected) this.send(child, { type: 'close' });
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/**
 * Waits until each title has reached `expectedEach` subscribers, or nothing more arrived for
 * DELIVERY_QUIET_MS. Prints progress every few seconds.
 * @returns whether everything arrived.
 */
async function waitForDelivery(pool: ClientPool, titles: string[], expectedEach: number): Promise<boolean> {
  const expected = titles.length * expectedEach;
  let last = -1;
  let lastChange = Date.now();
  let lastPrint = Date.now();
  for (;;) {
    const { counts } = await pool.counts(titles);
    const got = counts.reduce((a, b) => a + b, 0);
    if (counts.every((c) => c >= expectedEach)) return true;
    if (got !== last) {
      last = got;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > DELIVERY_QUIET_MS) {
      console.log(`  delivery stalled at ${got} of ${expected} for ${DELIVERY_QUIET_MS / 1000} s; giving up`);
      return false;
    }
    if (Date.now() - lastPrint > 3000) {
      lastPrint = Date.now();
      console.log(`  delivered ${got} of ${expected}`);
    }
    await sleep(100);
  }
}

/** CPU readings taken at the start and end of a phase. */
interface Usage {
  at: number;
  hub: number;
  hubSystem: number;
  database: number;
  clients: number;
  machine: { busy: number; total: number; interrupts: number };
}

async function usage(hubs: HubProcess[], pool: ClientPool): Promise<Usage> {
  const { cpuSeconds } = await pool.counts([]);
  // Summed over the hub processes; the database is the descendants of each (the embedded PostgreSQL under the first).
  const cpu = hubs.map((h) => h.cpuSeconds()).reduce((a, c) => ({ hub: a.hub + c.hub, hubSystem: a.hubSystem + c.hubSystem, database: a.database + c.database }));
  // The clients include this process (it publishes and polls the client processes).
  const own = process.cpuUsage();
  const clients = cpuSeconds + (own.user + own.system) / 1e6;
  return { at: performance.now(), hub: cpu.hub, hubSystem: cpu.hubSystem, database: cpu.database, clients, machine: machineCpuTicks() };
}

interface PhaseResult {
  name: string;
  publishes: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  p50: number;
  p99: number;
  max: number;
  /** Whether p50, p99, max and lastPerEvent count from the commit (else from occurredAt). */
  fromCommit: boolean;
  /** The same delays counted from the event's occurredAt (its insert, before the commit). */
  afterInsert: { p50: number; p99: number };
  /** The same delays counted from the publisher's receipt of the updateAlert answer, which comes after the commit. */
  afterAnswer: { p50: number; p99: number };
  /** The same delays counted from when the publisher sent the updateAlert request: publishing to receipt, end to end. */
  afterRequest: { p50: number; p99: number };
  /** Median over events of the delay until the last subscriber had it. */
  lastMedian: number;
  /** Per event, in publishing order, the delay until the last subscriber had it. */
  lastPerEvent: number[];
  /** Median updateAlert round trip as the publisher saw it. */
  publishMedian: number;
  /**
   * CPU use over the phase, in % of one core: `interrupts` is the kernel's irq and softirq time
   * (loopback TCP), `others` every other process on the machine.
   */
  cpu: { hub: number; hubSystem: number; database: number; clients: number; interrupts: number; others: number };
  seconds: number;
  profile?: ProfileSummary;
}

/** One hub process's memory readings (with --hubs > 1). */
interface HubMemory {
  rssBeforeKb: number;
  rssAfterKb: number;
  rssEndKb: number;
  hwmKb: number;
}

interface RunResult {
  n: number;
  /** Hub processes; the memory and heap figures below are sums over them. */
  hubCount: number;
  /** Each hub's own memory readings, in start order. */
  hubMemory: HubMemory[];
  subjects: number;
  opened: number;
  failed: number;
  failures: string[];
  connectSeconds: number;
  warmups: number;
  /** The warm-up bursts' figures (see --warmup-bursts); undefined when there were none. */
  warmupBursts?: ReturnType<typeof phaseFigures>;
  live: boolean;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssEndKb: number;
  hwmKb: number;
  heapBefore: HeapUsage;
  heapAfter: HeapUsage;
  phases: PhaseResult[];
  /** With --heap: what the V8 heap gained per subscriber, by constructor. */
  heapGrowth?: { name: string; count: number; bytes: number }[];
  hubLogLines: number;
  closes: Record<string, number>;
  errors: number;
  errorSamples: string[];
  inconsistentCursors: string[];
  clientRssKb: number[];
}

/** Mints the subscribers' tokens: agencies in turn, `perSubject` consecutive subscribers of an agency per subject. */
async function subscriberSpecs(dataDir: string, n: number, perSubject: number, role: Role): Promise<{ specs: SubscriberSpec[]; subjects: number }> {
  const tokens = new Map<string, string>();
  const specs: SubscriberSpec[] = [];
  for (let i = 0; i < n; i++) {
    const agency = AGENCIES[i % AGENCIES.length];
    const subject = `fanout-${agency.toLowerCase()}-${Math.floor(Math.floor(i / AGENCIES.length) / perSubject)}@bench`;
    let token = tokens.get(subject);
    if (!token) {
      token = await mintDevToken(dataDir, { agency, roles: [role], ttlSeconds: TOKEN_TTL_SECONDS, subject });
      tokens.set(subject, token);
    }
    specs.push({ token });
  }
  return { specs, subjects: tokens.size };
}

/**
 * Folds the clients' receipts for a phase's titles into its figures. The clients time each
 * receipt from the event's occurredAt (the event insert, inside the publishing transaction);
 * the figures are shifted to count from the commit itself when `commitAt` has it (see
 * commitTimes), and are also given from occurredAt (before the commit) and from `answeredAt`,
 * the publisher's receipt of the mutation's answer (after the commit).
 */
function phaseFigures(
  reports: ReportMessage[],
  titles: string[],
  subscribers: number,
  answeredAt: ReadonlyMap<string, number>,
  sentAt: ReadonlyMap<string, number>,
  commitAt: ReadonlyMap<string, number> | null,
): Pick<PhaseResult, 'expected' | 'received' | 'lost' | 'duplicates' | 'fromCommit' | 'p50' | 'p99' | 'max' | 'afterInsert' | 'afterAnswer' | 'afterRequest' | 'lastMedian' | 'lastPerEvent'> {
  const fromCommit = commitAt !== null && titles.every((t) => commitAt.has(t));
  const all: number[] = [];
  const afterInsert: number[] = [];
  const afterAnswer: number[] = [];
  const afterRequest: number[] = [];
  const lastPerEvent: number[] = [];
  let duplicates = 0;
  for (const title of titles) {
    let last = -Infinity;
    for (const r of reports) {
      const occurredAt = r.occurredAt[title] ?? Number.NaN;
      const toAnswer = occurredAt - (answeredAt.get(title) ?? Number.NaN);
      const toRequest = occurredAt - (sentAt.get(title) ?? Number.NaN);
      const toCommit = fromCommit ? occurredAt - commitAt.get(title)! : 0;
      for (const delay of r.latencies[title] ?? []) {
        all.push(delay + toCommit);
        afterInsert.push(delay);
        afterAnswer.push(delay + toAnswer);
        afterRequest.push(delay + toRequest);
        last = Math.max(last, delay + toCommit);
      }
      duplicates += r.duplicates[title] ?? 0;
    }
    if (Number.isFinite(last)) lastPerEvent.push(last);
  }
  for (const list of [all, afterInsert, afterAnswer, afterRequest]) list.sort((a, b) => a - b);
  const expected = titles.length * subscribers;
  return {
    expected,
    received: all.length,
    lost: expected - all.length,
    duplicates,
    fromCommit,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.length ? all[all.length - 1] : Number.NaN,
    afterInsert: { p50: percentile(afterInsert, 50), p99: percentile(afterInsert, 99) },
    afterAnswer: { p50: percentile(afterAnswer, 50), p99: percentile(afterAnswer, 99) },
    afterRequest: { p50: percentile(afterRequest, 50), p99: percentile(afterRequest, 99) },
    lastMedian: median(lastPerEvent),
    lastPerEvent,
  };
}

/**
 * When each event's transaction committed, by title, in ms since the epoch: PostgreSQL's own
 * commit timestamp of the transaction named by the event's cursor (`tx` is the writing
 * transaction's id, sealed inside it). Null when the database does not keep commit timestamps
 * (track_commit_timestamp is off, as it may be on a DATABASE_URL): the figures then count
 * from occurredAt.
 */
async function commitTimes(databaseUrl: string, reports: ReportMessage[]): Promise<Map<string, number> | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Cursors are sealed: opened with the database's own keys, as the hub opens `since`.
    const cursors = await loadEventCursors(async (text, params) => {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows;
    });
    const txByTitle = new Map<string, string>();
    for (const r of reports) {
      for (const [title, cursor] of Object.entries(r.cursors)) txByTitle.set(title, cursors.decode(cursor).tx.toString());
    }
    const on = (await client.query<{ on: string }>(`select current_setting('track_commit_timestamp') as on`)).rows[0].on;
    if (on !== 'on') return null;
    const { rows } = await client.query<{ tx: string; at: number }>(
      `select t.tx, extract(epoch from pg_xact_commit_timestamp(xid(t.tx::xid8))) * 1000 as at from unnest($1::text[]) as t(tx)`,
      [[...new Set(txByTitle.values())]],
    );
    const at = new Map(rows.filter((r) => r.at !== null).map((r) => [r.tx, Number(r.at)]));
    return new Map([...txByTitle].filter(([, tx]) => at.has(tx)).map(([title, tx]) => [title, at.get(tx)!]));
  } finally {
    await client.end();
  }
}

/** One full run for N subscribers against a fresh hub process. */
async function runOnce(n: number, options: Options): Promise<RunResult> {
  console.log(`\nfanout: N = ${n}: starting the hub …`);
  const inspectPort = await freePort();
  const env: Record<string, string> = {};
  // The embedded database keeps each transaction's commit time: delays count from the commit.
  if (!process.env.DATABASE_URL) env.HUB_EMBEDDED_POSTGRES_SETTINGS = 'track_commit_timestamp=on';
  if (options.queueLimit !== undefined) env.HUB_WS_QUEUE_LIMIT = String(options.queueLimit);
  const hub = await startHubProcess({ env, nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`, ...options.hubNodeArgs] });
  /** Every hub process, the first one first. */
  const hubs: HubProcess[] = [hub];
  let inspector: InspectorSession | undefined;
  /** One inspector per hub, in the order of `hubs`. */
  const inspectors: InspectorSession[] = [];
  let pool: ClientPool | undefined;
  try {
    inspector = await openInspector(inspectPort);
    inspectors.push(inspector);
    for (let k = 1; k < options.hubs; k++) {
      console.log(`fanout: starting hub process ${k + 1} of ${options.hubs} on the first one's database …`);
      const port = await freePort();
      const more = await startHubProcess({
        env: { ...env, DATABASE_URL: hub.databaseUrl(), HUB_DEMO_DATA: 'false' },
        nodeArgs: [`--inspect=127.0.0.1:${port}`, ...options.hubNodeArgs],
        dataDir: hub.dataDir,
      });
      hubs.push(more);
      inspectors.push(await openInspector(port));
    }
    // After the start: the embedded PostgreSQL the first hub launched stays unpinned.
    const plan = options.cpus;
    if (plan) for (const h of hubs) pinProcess(h.pid, plan.hubs, false);
    const publisher = new Publisher(hub.url, await mintDevToken(hub.dataDir, { agency: 'GD', roles: [Role.ANALYST], ttlSeconds: TOKEN_TTL_SECONDS, subject: 'fanout-publisher@bench' }));
    const alerts: BenchAlert[] = [];
    for (let i = 0; i < BURST_SIZE; i++) alerts.push(await publisher.createSharedAlert(i));
    // Phase 3's writers: officers of their own (each within the per-subject rate limit), each
    // with an alert of their own (updateAlert is optimistically locked), made before anyone subscribes.
    const writers: { publisher: Publisher; alert: BenchAlert }[] = [];
    for (let i = 0; i < options.writers; i += 10) {
      const made = await Promise.all(
        Array.from({ length: Math.min(10, options.writers - i) }, async (_, k) => {
          const token = await mintDevToken(hub.dataDir, { agency: 'GD', roles: [Role.ANALYST], ttlSeconds: TOKEN_TTL_SECONDS, subject: `fanout-writer-${i + k}@bench` });
          const writer = new Publisher(hub.url, token, publisher);
          return { publisher: writer, alert: await writer.createSharedAlert(BURST_SIZE + i + k) };
        }),
      );
      writers.push(...made);
    }
    if (writers.length) console.log(`fanout: ${writers.length} writers for phase 3, each with an alert of their own`);
    const { specs, subjects } = await subscriberSpecs(hub.dataDir, n, options.subscribersPerSubject, options.role);
    if (hubs.length > 1) specs.forEach((spec, i) => (spec.url = hubs[i % hubs.length].wsUrl));
    console.log(`fanout: ${BURST_SIZE} ALL_PARTNERS alerts published; ${n} subscribers (${options.role}) under ${subjects} subjects`);

    const heapBefore = sumHeap(await Promise.all(inspectors.map(collectGarbage)));
    await sleep(SETTLE_MS);
    const hubRssBeforeKb = hubs.map((h) => h.rssKb());
    const rssBeforeKb = sum(hubRssBeforeKb);
    // A snapshot costs the hub memory of its own: taken after the RSS reading (and noted in the results).
    const heapSummaryBefore: HeapSummary | undefined = options.heap ? await takeHeapSummary(inspector) : undefined;
    console.log(
      `fanout: hub RSS before subscribers ${(rssBeforeKb / 1024).toFixed(1)} MiB${hubs.length > 1 ? ` (sum over ${hubs.length} hubs)` : ''}; connecting ${n} subscribers from ${options.workers} client processes …`,
    );

    const connectStarted = performance.now();
    const connected = await ClientPool.connect(hub.wsUrl, specs, options.workers, options.concurrency, plan?.clients);
    pool = connected.pool;
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    console.log(`fanout: ${connected.opened} subscribed, ${connected.failed} failed, in ${connectSeconds.toFixed(1)} s${connected.failures.length ? ` (e.g. ${connected.failures[0]})` : ''}`);

    // A subscription is live once the hub has run its subscribe; the protocol does not say when,
    // so publish until one event reaches every subscriber.
    let warmups = 0;
    let live = false;
    while (!live && warmups < WARMUP_TRIES) {
      const title = `fanout warm-up #${++warmups}`;
      await publisher.retitle(alerts[0], title);
      live = await waitForDelivery(pool, [title], connected.opened);
    }
    console.log(live ? `fanout: every subscriber live after ${warmups} warm-up event(s)` : `fanout: not every subscriber got a warm-up event after ${warmups} tries`);

    const heapAfter = sumHeap(await Promise.all(inspectors.map(collectGarbage)));
    await sleep(SETTLE_MS);
    const hubRssAfterKb = hubs.map((h) => h.rssKb());
    const rssAfterKb = sum(hubRssAfterKb);
    console.log(
      `fanout: hub RSS with ${connected.opened} subscribers ${(rssAfterKb / 1024).toFixed(1)} MiB${hubs.length > 1 ? ` (sum over ${hubs.length} hubs)` : ''} (${((rssAfterKb - rssBeforeKb) / n).toFixed(1)} KiB each)`,
    );
    const growth = heapSummaryBefore ? heapGrowth(heapSummaryBefore, await takeHeapSummary(inspector), connected.opened) : undefined;

    const phases: { name: string; titles: string[]; roundTrips: number[]; start: Usage; end: Usage; profile?: ProfileSummary }[] = [];
    const runPhase = async (name: string, publish: (titles: string[], roundTrips: number[]) => Promise<void>) => {
      console.log(`fanout: ${name} …`);
      const titles: string[] = [];
      const roundTrips: number[] = [];
      if (options.profile) await startProfiler(inspector!);
      const start = await usage(hubs, pool!);
      await publish(titles, roundTrips);
      await waitForDelivery(pool!, titles, connected.opened);
      const end = await usage(hubs, pool!);
      const raw = options.profile ? await stopProfiler(inspector!) : undefined;
      if (raw && process.env.FANOUT_PROFILE_DIR) {
        const file = join(process.env.FANOUT_PROFILE_DIR, `${name.replace(/\W+/g, '-')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(raw));
        console.log(`fanout: raw CPU profile written to ${file}`);
      }
      const profile = raw ? summarizeProfile(raw) : undefined;
      phases.push({ name, titles, roundTrips, start, end, profile });
    };

    await runPhase(`phase 1: one publish a second for ${options.seconds} s`, async (titles, roundTrips) => {
      const started = performance.now();
      for (let i = 0; i < options.seconds; i++) {
        const wait = started + i * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        const title = `fanout p1 #${i}`;
        titles.push(title);
        roundTrips.push(await publisher.retitle(alerts[0], title));
      }
    });
    // The first burst after a start is slower than the rest (bench/FANOUT-RESULTS.md, session
    // 6): a hub serving officers has long been past it. Warm-up bursts go first and are
    // reported on a line of their own, not in phase 2.
    const warmupTitles: string[] = [];
    for (let b = 0; b < options.warmupBursts && options.bursts > 0; b++) {
      console.log(`fanout: warm-up burst ${b + 1} of ${options.warmupBursts} (not counted in phase 2) …`);
      const burst = alerts.map((_, k) => `fanout warm-up burst ${b} #${k}`);
      warmupTitles.push(...burst);
      await Promise.all(alerts.map((a, k) => publisher.retitle(a, burst[k])));
      await waitForDelivery(pool!, burst, connected.opened);
      await sleep(1000);
    }
    if (options.bursts > 0) {
      await runPhase(`phase 2: ${options.bursts} burst(s) of ${BURST_SIZE} concurrent publishes`, async (titles, roundTrips) => {
        for (let b = 0; b < options.bursts; b++) {
          const burst = alerts.map((_, k) => `fanout p2 burst ${b} #${k}`);
          titles.push(...burst);
          roundTrips.push(...(await Promise.all(alerts.map((a, k) => publisher.retitle(a, burst[k])))));
          await waitForDelivery(pool!, burst, connected.opened);
          await sleep(1000);
        }
      });
    }
    if (writers.length) {
      await sleep(1000);
      await runPhase(`phase 3: ${writers.length} concurrent writers, ${options.writerUpdates} updates each`, async (titles, roundTrips) => {
        await Promise.all(
          writers.map(async (w, i) => {
            for (let u = 0; u < options.writerUpdates; u++) {
              const title = `fanout p3 writer ${i} #${u}`;
              titles.push(title);
              roundTrips.push(await w.publisher.retitle(w.alert, title));
            }
          }),
        );
      });
    }

    const reports = await pool.reports();
    const commitAt = await commitTimes(hub.databaseUrl(), reports);
    if (!commitAt) console.log('fanout: the database keeps no commit timestamps (track_commit_timestamp off): delays count from each event\'s occurredAt');
    const hubRssEndKb = hubs.map((h) => h.rssKb());
    const hubHwmKb = hubs.map((h) => procStatusKb(h.pid, 'VmHWM'));
    const rssEndKb = sum(hubRssEndKb);
    const hwmKb = sum(hubHwmKb);
    const closes: Record<string, number> = {};
    for (const r of reports) for (const [code, count] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + count;
    return {
      n,
      hubCount: hubs.length,
      hubMemory: hubs.map((_, k) => ({ rssBeforeKb: hubRssBeforeKb[k], rssAfterKb: hubRssAfterKb[k], rssEndKb: hubRssEndKb[k], hwmKb: hubHwmKb[k] })),
      subjects,
      opened: connected.opened,
      failed: connected.failed,
      failures: connected.failures,
      connectSeconds,
      warmups,
      warmupBursts: warmupTitles.length ? phaseFigures(reports, warmupTitles, n, publisher.answeredAt, publisher.sentAt, commitAt) : undefined,
      live,
      rssBeforeKb,
      rssAfterKb,
      rssEndKb,
      hwmKb,
      heapBefore,
      heapAfter,
      heapGrowth: growth,
      phases: phases.map((p) => {
        const seconds = (p.end.at - p.start.at) / 1000;
        const share = (cpuSeconds: number) => (100 * cpuSeconds) / seconds;
        const machineTicks = p.end.machine.total - p.start.machine.total;
        const hubCpu = share(p.end.hub - p.start.hub);
        const databaseCpu = share(p.end.database - p.start.database);
        const clientsCpu = share(p.end.clients - p.start.clients);
        const machineShare = (ticks: number) => (machineTicks ? (100 * availableParallelism() * ticks) / machineTicks : 0);
        const machineCpu = machineShare(p.end.machine.busy - p.start.machine.busy);
        const interruptsCpu = machineShare(p.end.machine.interrupts - p.start.machine.interrupts);
        // Expected of all N: a subscriber that could not connect loses its events.
        const figures = phaseFigures(reports, p.titles, n, publisher.answeredAt, publisher.sentAt, commitAt);
        console.log(`fanout: ${p.name}: last subscriber per event, in order (ms): ${figures.lastPerEvent.map((v) => Math.round(v)).join(' ')}`);
        return {
          name: p.name,
          publishes: p.titles.length,
          ...figures,
          publishMedian: median(p.roundTrips),
          cpu: {
            hub: hubCpu,
            hubSystem: share(p.end.hubSystem - p.start.hubSystem),
            database: databaseCpu,
            clients: clientsCpu,
            interrupts: interruptsCpu,
            others: Math.max(0, machineCpu - hubCpu - databaseCpu - clientsCpu - interruptsCpu),
          },
          seconds,
          profile: p.profile,
        };
      }),
      hubLogLines: sum(hubs.map((h) => h.logLines)),
      closes,
      errors: reports.reduce((a, r) => a + r.errors, 0),
      errorSamples: reports.flatMap((r) => r.errorSamples),
      inconsistentCursors: [...new Set(reports.flatMap((r) => r.inconsistentCursors))],
      clientRssKb: reports.map((r) => r.rssKb),
    };
  } finally {
    console.log(`fanout: closing subscribers and stopping the ${hubs.length > 1 ? `${hubs.length} hubs` : 'hub'} …`);
    await pool?.close();
    for (const i of inspectors) i.close();
    // The further hubs first: they use the first one's database (and data folder, which it removes).
    for (const h of hubs.slice(1).reverse()) await h.stop();
    await hub.stop();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const sumHeap = (usages: HeapUsage[]): HeapUsage => ({ usedSize: sum(usages.map((u) => u.usedSize)), totalSize: sum(usages.map((u) => u.totalSize)) });

const ms = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v)} ms`);
const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;
const pct = (v: number) => `${Math.round(v)} %`;
const count = (v: number) => v.toLocaleString('en-US');

/** The run's figures as markdown tables (also printed). */
function describe(run: RunResult): string {
  const lines: string[] = [];
  const perSubscriberKb = (run.rssAfterKb - run.rssBeforeKb) / run.n;
  const heapPerSubscriberKb = (run.heapAfter.usedSize - run.heapBefore.usedSize) / 1024 / run.n;
  const many = run.hubCount > 1;
  lines.push(`### N = ${count(run.n)}${many ? `, ${run.hubCount} hub processes` : ''}`, '');
  lines.push(
    `${count(run.opened)} subscribed (${run.failed} failed${run.failures.length ? `: ${run.failures.join('; ')}` : ''}) in ${run.connectSeconds.toFixed(1)} s; ` +
      `${count(run.subjects)} distinct subjects; ${run.live ? `all live after ${run.warmups} warm-up event(s)` : `**not all live after ${run.warmups} warm-up events**`}.`,
    '',
  );
  lines.push(
    many
      ? `| hub RSS before (sum of ${run.hubCount} hubs) | with subscribers (sum) | per subscriber | V8 heap used before → with (after a forced GC, sum) | heap per subscriber | RSS at end (sum) | peak RSS (sum of each hub's peak) |`
      : '| hub RSS before | with subscribers | per subscriber | V8 heap used before → with (after a forced GC) | heap per subscriber | RSS at end | peak RSS |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  lines.push(
    `| ${mib(run.rssBeforeKb)} | ${mib(run.rssAfterKb)} | ${perSubscriberKb.toFixed(1)} KiB | ${mib(run.heapBefore.usedSize / 1024)} → ${mib(run.heapAfter.usedSize / 1024)} | ${heapPerSubscriberKb.toFixed(1)} KiB | ${mib(run.rssEndKb)} | ${mib(run.hwmKb)} |`,
    '',
  );
  if (many) {
    lines.push(
      `Per hub (subscribers ${run.hubMemory.map((_, k) => count(Math.floor(run.n / run.hubCount) + (k < run.n % run.hubCount ? 1 : 0))).join(' / ')}): ` +
        run.hubMemory
          .map((m, k) => `hub ${k + 1} RSS ${mib(m.rssBeforeKb)} → ${mib(m.rssAfterKb)}, at end ${mib(m.rssEndKb)}, peak ${mib(m.hwmKb)}`)
          .join('; ') +
        '. CPU "hub" below is the sum over the hub processes.',
      '',
    );
  }
  lines.push(
    `| phase | publishes | expected | received | lost | duplicates | p50 | p99 | max (from ${run.phases.every((p) => p.fromCommit) ? 'the commit' : 'occurredAt'}) | last subscriber, per event: median / slowest | p50 / p99 from occurredAt (the event insert) | p50 / p99 from the updateAlert answer | p50 / p99 from the updateAlert request | updateAlert round trip (median) | CPU hub (in kernel) / PostgreSQL / clients / interrupts / others (% of a core) |`,
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const p of run.phases) {
    lines.push(
      `| ${p.name} | ${p.publishes} | ${count(p.expected)} | ${count(p.received)} | ${count(p.lost)} | ${p.duplicates} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} | ${ms(p.lastMedian)} / ${ms(Math.max(...p.lastPerEvent))} | ${ms(p.afterInsert.p50)} / ${ms(p.afterInsert.p99)} | ${ms(p.afterAnswer.p50)} / ${ms(p.afterAnswer.p99)} | ${ms(p.afterRequest.p50)} / ${ms(p.afterRequest.p99)} | ${ms(p.publishMedian)} | ` +
        `${pct(p.cpu.hub)} (${pct(p.cpu.hubSystem)}) / ${pct(p.cpu.database)} / ${pct(p.cpu.clients)} / ${pct(p.cpu.interrupts)} / ${pct(p.cpu.others)} |`,
    );
  }
  lines.push('');
  const w = run.warmupBursts;
  if (w) {
    lines.push(
      `Warm-up (${w.lastPerEvent.length / BURST_SIZE} burst(s) of ${BURST_SIZE} before phase 2, not counted in it): p50 ${ms(w.p50)}, p99 ${ms(w.p99)}, max ${ms(w.max)}; ` +
        `last subscriber per event ${w.lastPerEvent.map((v) => Math.round(v)).join(' ')} ms; lost ${count(w.lost)}, duplicates ${w.duplicates}.`,
      '',
    );
  }
  const closes = Object.entries(run.closes).map(([code, c]) => `${c} × ${code}`);
  lines.push(
    `Hub warnings/errors logged: ${run.hubLogLines}; sockets closed by the hub: ${closes.length ? closes.join(', ') : 'none'}; ` +
      `error messages to clients: ${run.errors}${run.errorSamples.length ? ` (e.g. ${run.errorSamples[0]})` : ''}; ` +
      `events with differing cursors: ${run.inconsistentCursors.length}; client processes' RSS: ${run.clientRssKb.map(mib).join(', ')}.`,
    '',
  );
  if (run.heapGrowth) {
    lines.push('V8 heap gained per subscriber, by constructor (shallow sizes, from heap snapshots over the inspector; the RSS figures of this run include the snapshots\' own memory):', '');
    lines.push('| constructor or kind | objects per subscriber | bytes per subscriber |', '| --- | --- | --- |');
    for (const g of run.heapGrowth) lines.push(`| ${g.name.replace(/\|/g, '\\|') || '(empty name)'} | ${g.count.toFixed(1)} | ${Math.round(g.bytes)} |`);
    lines.push('');
  }
  for (const p of run.phases) {
    if (!p.profile) continue;
    lines.push(`Hub CPU profile, ${p.name} (${(p.profile.totalMs / 1000).toFixed(1)} s sampled), self time by area:`, '');
    lines.push('| area | self time | share |', '| --- | --- | --- |');
    for (const a of p.profile.byArea) lines.push(`| ${a.name} | ${Math.round(a.ms)} ms | ${(100 * a.share).toFixed(1)} % |`);
    lines.push('', 'Heaviest functions (self time; lines of the compiled JS):', '', '| function | self time | share |', '| --- | --- | --- |');
    for (const f of p.profile.byFunction) lines.push(`| ${f.name.replace(/\|/g, '\\|')} | ${Math.round(f.ms)} ms | ${(100 * f.share).toFixed(1)} % |`);
    lines.push('');
  }
  return lines.join('\n');
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown commit';
  }
}

const RESULTS_HEADER = `# Fan-out benchmark results

Appended by \`npm run bench:fanout\` (bench/fanout.ts), one section per run. Method: the hub runs
in its own process (\`node --inspect=127.0.0.1:<port> dist/src/main.js\`, development identity,
demo data, LOG_LEVEL=warn; the inspector serves only this benchmark's forced garbage collections,
heap readings and optional profiles);
the subscribers run in separate client processes, one WebSocket and one \`alertEvents\`
subscription each, agencies GD, HK and MO in turn. A GD analyst publishes with \`updateAlert\` on
alerts distributed to ALL_PARTNERS, so each publish is one event for every subscriber. Latency
(p50, p99, max, last subscriber) is from the commit of the publishing transaction, as
PostgreSQL recorded it (track_commit_timestamp, on in the embedded database the benchmark
starts; with a DATABASE_URL that does not keep them, from occurredAt instead, as the header
says), to the client's receipt; both clocks are this machine's. The same delays are also given
from the event's \`occurredAt\` (clock_timestamp() at the event insert, inside the transaction:
before the commit by as long as the publishing hub takes to send the commit, which grows when
it is busy), from the publisher's receipt of the mutation's answer (after the commit and the
answer's own reads), and from the moment the publisher sent the mutation (end to end: what
an officer waits from pressing publish to a partner's screen, including the write itself and
any wait for its turn). "Last subscriber" is, per event, the delay until the last of
the N had it (median over the phase's events). Lost = expected − received, where expected =
publishes × N; a duplicate is an event (cursor) a subscriber received twice. Memory per
subscriber = (hub RSS with N subscribers − hub RSS before) / N, each read from /proc/<pid>/status
after a forced garbage collection (over the inspector) and ${SETTLE_MS / 1000} s of settling. CPU shares are in
% of one core over the phase: "clients" includes the benchmark's own process, "interrupts" is
the kernel's irq and softirq time (on loopback, much of TCP's receive work, counted in no
process), "others" is everything else on the machine (other work running at the same time
takes CPU from the hub on this 2-core machine).
`;

async function main(): Promise<void> {
  const options = readOptions();
  console.log(options.cpus ? `fanout: pinned: hub main threads on core(s) ${options.cpus.hubs.join(', ')}, client processes on core(s) ${options.cpus.clients.join(', ')}` : 'fanout: not pinned');
  const runs: RunResult[] = [];
  const load = loadavg()[0];
  for (const n of options.counts) {
    const run = await runOnce(n, options);
    runs.push(run);
    console.log(`\n${describe(run)}`);
  }
  if (options.write) writeResults(runs, options, load);
  const failed = runs.filter((r) => r.failed > 0 || r.phases.some((p) => p.lost !== 0 || p.duplicates !== 0) || (r.warmupBursts && (r.warmupBursts.lost !== 0 || r.warmupBursts.duplicates !== 0)));
  if (failed.length) {
    console.error(`fanout: events lost or duplicated, or subscribers not connected, with N = ${failed.map((r) => r.n).join(', ')}`);
    process.exitCode = 1;
  }
}

/** Appends the runs to bench/FANOUT-RESULTS.md, which starts with the method when new. */
function writeResults(runs: RunResult[], options: Options, loadBefore: number): void {
  const section = [
    `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${gitCommit()}${options.hubs > 1 ? `, ${options.hubs} hub processes` : ''}`,
    '',
    `Machine: ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
      `${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL (a new cluster per N)'}; 1-minute load average before the run ${loadBefore.toFixed(2)}. ` +
      `Subscribers: role ${options.role}, one subject per ${options.subscribersPerSubject} subscribers of an agency, ${options.workers} client processes ` +
      `(raw graphql-transport-ws over the lean WebSocket client of bench/lean-websocket.ts, ${options.concurrency} handshakes in flight each); HUB_WS_QUEUE_LIMIT ${options.queueLimit ?? 'default (500)'}; ` +
      `phase 1 ${options.seconds} s, phase 2 ${options.bursts} burst(s) of ${BURST_SIZE} after ${options.warmupBursts} warm-up burst(s)` +
      (options.writers ? `, phase 3 ${options.writers} concurrent writers × ${options.writerUpdates} updates (HUB_DB_POOL_SIZE and HUB_DB_EVENT_POOL_SIZE at their defaults, 10 and 3). ` : '. ') +
      (options.cpus
        ? `**Pinned** (taskset): the hub processes' main threads on core(s) ${options.cpus.hubs.join(', ')}, the client processes on core(s) ${options.cpus.clients.join(', ')}; the hubs' other threads, PostgreSQL and the benchmark's own process unpinned.`
        : 'Not pinned: hub, clients and PostgreSQL share every core as the scheduler decides.') +
      (options.hubs > 1
        ? ` **${options.hubs} hub processes** on the one database (each with its own LISTEN connection on the event log), subscriber i on hub i mod ${options.hubs}, ` +
          `publishing through the first; memory, heap and hub CPU summed over the hubs${options.profile || options.heap ? ', profile and heap snapshots of the first hub only' : ''}.`
        : '') +
      (options.hubNodeArgs.length ? ` Hub started with \`${options.hubNodeArgs.join(' ')}\`.` : '') +
      (options.profile ? ' **Hub CPU profiler on** (--profile): its sampling costs the hub CPU, so delays are higher than without it.' : '') +
      (options.heap ? ' **Heap snapshots taken** (--heap): the RSS figures include their memory.' : ''),
    '',
    ...runs.map(describe),
  ].join('\n');
  if (!existsSync(RESULTS_FILE)) writeFileSync(RESULTS_FILE, RESULTS_HEADER);
  appendFileSync(RESULTS_FILE, `\n${section}\n`);
  console.log(`fanout: figures appended to ${RESULTS_FILE}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
