/**
 * `npm run bench:compare`: the hub beside a floor server and PostGraphile 5, on the same
 * database of N generated alerts, as an HK analyst reading GD's alerts.
 *
 *   npm run bench:compare -- [--alerts 20000,100000] [--rounds 3] [--seconds 10]
 *                            [--connections 8] [--only hub,floor,postgraphile] [--no-write]
 *
 * - the hub: its own process (bench/hub-process.ts) run as production runs it (NODE_ENV=production,
 *   a trust file naming each agency's signing key: bench/bench-trust.ts; the verified-token cache
 *   on, at its default) with its embedded PostgreSQL, an HK ANALYST token signed with HK's key;
 * - the floor (bench/compare-floor.ts): node:http and pg replaying the SQL the hub sent for each
 *   query, captured with the hub's statement listener, printing JSON; no GraphQL, no token;
 * - PostGraphile 5 (amber preset + connection-filter, no access rules), installed on demand
 *   with a Node 22 from the npm registry in $TMPDIR/gba-hub-postgraphile, given the index
 *   `alert (published_at, id)` its ORDER BY needs, and a search function (see SEARCH_FUNCTION).
 *
 * The three answers are checked equal (ids, titles, statuses, publication times, goods
 * counts) before anything is measured. Rounds are interleaved (hub, floor, PostGraphile, hub, …)
 * with a fixed number of keep-alive connections; each figure is the median of the rounds.
 * Results are appended to bench/COMPARE-RESULTS.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/common/logger';
import { Role } from '../src/common/enums';
import { openOrm } from '../src/db/orm';
import { generateAlerts } from '../src/demo/generator';
import { toTsQuery } from '../src/alerts/alert-search';
import { startHub } from '../src/server';
import { createBenchTrust, type BenchTrust } from './bench-trust';
import { freePort, procStatusKb, startHubProcess, type HubProcess } from './hub-process';
import { startWireCounter } from './pg-wire-count';
import { percentile } from './stats';

const TICKS_PER_SECOND = 100;
const SERVERS = ['hub', 'floor', 'postgraphile'] as const;
type ServerName = (typeof SERVERS)[number];
const PG_DIR = join(process.env.BENCH_POSTGRAPHILE_DIR ?? tmpdir(), process.env.BENCH_POSTGRAPHILE_DIR ? '' : 'gba-hub-postgraphile');
const RESULTS = join(__dirname, '..', '..', 'bench', 'COMPARE-RESULTS.md');
/** The word searched: frequent in the generated titles and goods (checked to match rows). */
const SEARCH_TEXT = 'watch';

const HUB_FIELDS = 'id title status publishedAt goods { category description quantity }';
const PG_FIELDS = 'id: rowId title status publishedAt alertGoodsLinesByAlertId { nodes { category description quantity } }';

/**
 * What HK may see of GD's alerts, as a connection-filter condition. The hub's rule
 * (src/access/alert-access.ts visibleAlertSql) for another agency's alert: not a draft, and
 * shared with all partners (after HK joined: generated alerts are shared at generation time,
 * after the agencies joined), or with selected agencies including HK, or with an operation HK
 * takes part in (the generator makes no operation-scoped alerts). Published alerts of the hub's
 * order key are never null here, as drafts are excluded.
 */
const PG_VISIBLE = {
  originAgencyCode: { equalTo: 'GD' },
  status: { notEqualTo: 'DRAFT' },
  or: [
    { distributionScope: { equalTo: 'ALL_PARTNERS' } },
    { distributionScope: { equalTo: 'SELECTED_AGENCIES' }, alertDistributionAgenciesByAlertId: { some: { agencyCode: { equalTo: 'HK' } } } },
  ],
};

/**
 * PostGraphile has no full-text filter for tsvector columns: the generic way is a setof function
 * (in the hub's order, as PostGraphile offers no orderBy on function connections here), and
 * connection-filter's condition on its rows.
 */
const SEARCH_FUNCTION = `create or replace function bench_search_alerts(q text) returns setof alert language sql stable as
  $$ select * from alert where search_vector @@ to_tsquery('simple', q) order by published_at desc, id desc $$;
  comment on function bench_search_alerts(text) is E'@filterable';`;

interface QueryCase {
  name: string;
  hub: { query: string; variables: Record<string, unknown> };
  pg: { query: string; variables: Record<string, unknown> };
  /** The alert nodes of each answer, for the equality check. */
  hubRows(data: any): any[];
  pgRows(data: any): any[];
}

function cases(alertId: string): QueryCase[] {
  const page = (n: number): QueryCase => ({
    name: `page ${n}`,
    hub: { query: `query ($n: Int) { alerts(first: $n, filter: { originAgency: ["GD"] }) { edges { node { ${HUB_FIELDS} } } } }`, variables: { n } },
    pg: { query: `query ($n: Int, $f: AlertFilter) { allAlerts(first: $n, filter: $f, orderBy: [PUBLISHED_AT_DESC, ROW_ID_DESC]) { nodes { ${PG_FIELDS} } } }`, variables: { n, f: PG_VISIBLE } },
    hubRows: (d) => d.alerts.edges.map((e: any) => e.node),
    pgRows: (d) => d.allAlerts.nodes,
  });
  return [
    page(10),
    page(50),
    page(100),
    {
      name: 'alert by id',
      hub: { query: `query ($id: ID!) { alert(id: $id) { ${HUB_FIELDS} } }`, variables: { id: alertId } },
      // No access rules: the by-id read carries HK's visibility as a filter on the same row.
      pg: { query: `query ($f: AlertFilter) { allAlerts(first: 1, filter: $f) { nodes { ${PG_FIELDS} } } }`, variables: { f: { and: [{ rowId: { equalTo: alertId } }, PG_VISIBLE] } } },
      hubRows: (d) => [d.alert],
      pgRows: (d) => d.allAlerts.nodes,
    },
    {
      name: 'filtered page 50',
      hub: { query: `query { alerts(first: 50, filter: { originAgency: ["GD"], status: [SEIZED], riskLevelAtLeast: HIGH }) { edges { node { ${HUB_FIELDS} } } } }`, variables: {} },
      pg: {
        query: `query ($f: AlertFilter) { allAlerts(first: 50, filter: $f, orderBy: [PUBLISHED_AT_DESC, ROW_ID_DESC]) { nodes { ${PG_FIELDS} } } }`,
        variables: { f: { and: [PG_VISIBLE, { status: { equalTo: 'SEIZED' } }, { riskLevel: { in: ['HIGH', 'CRITICAL'] } }] } },
      },
      hubRows: (d) => d.alerts.edges.map((e: any) => e.node),
      pgRows: (d) => d.allAlerts.nodes,
    },
    {
      name: 'search page 50',
      hub: { query: `query ($t: String) { alerts(first: 50, filter: { originAgency: ["GD"], text: $t }) { edges { node { ${HUB_FIELDS} } } } }`, variables: { t: SEARCH_TEXT } },
      pg: {
        query: `query ($q: String, $f: AlertFilter) { benchSearchAlerts(q: $q, first: 50, filter: $f) { nodes { ${PG_FIELDS} } } }`,
        variables: { q: toTsQuery(SEARCH_TEXT), f: PG_VISIBLE },
      },
      hubRows: (d) => d.alerts.edges.map((e: any) => e.node),
      pgRows: (d) => d.benchSearchAlerts.nodes,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Processes and their CPU

/** Parsed /proc/<pid>/stat: parent and user+system ticks; undefined when gone. */
function procStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function processCpu(pid: number): number {
  return (procStat(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
}

/**
 * CPU seconds of the postmaster's children alive now, by pid. Backends that exit during a
 * measurement are lost; the servers keep pooled connections, so theirs live throughout.
 */
function postgresCpu(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s && s.ppid === postmaster) out.set(Number(name), s.ticks / TICKS_PER_SECOND);
  }
  return out;
}

function postgresCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, t] of after) sum += t - (before.get(pid) ?? 0);
  return sum;
}

function postmasterPid(hubPid: number): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s?.ppid !== hubPid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('postgres')) return Number(name);
    } catch {
      // gone
    }
  }
  throw new Error('no embedded postmaster found under the hub process');
}

async function waitReady(url: string, child: ChildProcess, label: string, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode})`);
    try {
      const res = await fetch(url, { method: 'GET' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${label} not ready in ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------
// PostGraphile, on demand

function ensurePostGraphile(say: (l: string) => void): string {
  const node = join(PG_DIR, 'node_modules', '.bin', 'node');
  if (existsSync(join(PG_DIR, 'node_modules', 'postgraphile-plugin-connection-filter')) && existsSync(node)) return node;
  mkdirSync(PG_DIR, { recursive: true });
  // npm runs the node package's install step (it links the platform's binary) only when allowed.
  writeFileSync(join(PG_DIR, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }));
  say(`installing PostGraphile 5 and Node 22 into ${PG_DIR} (once; about a minute)`);
  execFileSync('npm', ['install', '--prefix', PG_DIR, '--no-audit', '--no-fund', 'node@22', 'postgraphile@^5', 'postgraphile-plugin-connection-filter@^4'], { stdio: 'inherit' });
  return node;
}

const POSTGRAPHILE_SERVER = `import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { makeJSONPgSmartTagsPlugin } from 'postgraphile/utils';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
const [connectionString, port] = process.argv.slice(2);
// hub_event_horizon has both id and row_id, which PostGraphile names alike; the clash leaves the
// types that reach it (agency, and through it alert) without fields. The benchmark reads neither.
// operation_result's self-reference (corrects_id) makes a relation-name clash with the same effect.
const omitHorizon = makeJSONPgSmartTagsPlugin({ version: 1, config: { class: { hub_event_horizon: { tags: { behavior: '-*' } }, operation_result: { tags: { behavior: '-*' } } } } });
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  plugins: [omitHorizon],
  // Relay's global ids would rename the tables' own id columns to rowId; the hub's answers carry the plain ids.
  // Amber offers filters and orders only on indexed columns; the HK visibility filter needs
  // distribution_scope, which the hub does not index (it reads it through its own predicate).
  disablePlugins: ['NodePlugin', 'PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public'] })],
  schema: { connectionFilterRelations: true, connectionFilterSetofFunctions: true },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 60000;
await serv.addTo(server);
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => { server.close(); pgl.release().then(() => process.exit(0)); });
`;

// ---------------------------------------------------------------------------------------------
// Load

interface Target {
  name: ServerName;
  pid: number;
  port: number;
  /** The request for one query case. */
  req(c: QueryCase): { path: string; method: string; body?: string; headers: Record<string, string> };
  parse(c: QueryCase, body: string): any[];
}

function send(agent: Agent, port: number, r: ReturnType<Target['req']>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const q = request({ host: '127.0.0.1', port, path: r.path, method: r.method, headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    q.on('error', reject);
    q.end(r.body);
  });
}

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  pgCpuMs: number;
  errors: number;
  rssKb: number;
}

async function measure(t: Target, c: QueryCase, seconds: number, connections: number, postmaster: number): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const r = t.req(c);
  // A short warm-up on the same connections, not counted.
  const warmUntil = Date.now() + 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < warmUntil) await send(agent, t.port, r);
  }));
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = processCpu(t.pid);
  const pg0 = postgresCpu(postmaster);
  const t0 = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      const s = process.hrtime.bigint();
      const res = await send(agent, t.port, r);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.status !== 200 || res.body.startsWith('{"errors"')) errors++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const serverCpu = processCpu(t.pid) - cpu0;
  const pgCpu = postgresCpuDelta(pg0, postgresCpu(postmaster));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  return { rps: n / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), serverCpuMs: (serverCpu * 1000) / n, pgCpuMs: (pgCpu * 1000) / n, errors, rssKb: procStatusKb(t.pid, 'VmRSS') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ---------------------------------------------------------------------------------------------

function key(row: any, goods: any[]): string {
  // Goods compared as a set: PostGraphile's goods lines come in its own order.
  const lines = goods.map((g: any) => JSON.stringify([g.category, g.description, g.quantity])).sort();
  return JSON.stringify([row.id, row.title, row.status, new Date(row.publishedAt).toISOString(), lines]);
}

async function runSize(alerts: number, opts: { rounds: number; seconds: number; connections: number; only: ServerName[] }, say: (l: string) => void): Promise<string> {
  const log = createLogger('warn');
  const loadBefore = loadavg();
  say(`${alerts} alerts: starting the hub (NODE_ENV=production) and its embedded PostgreSQL`);
  const trust: BenchTrust = await createBenchTrust();
  // As production runs it: production mode, which refuses development identity, with a trust
  // file; /metrics on a listener of its own (any free port, not 9464: hubs may run side by side).
  // A match-key secret of this run's own: production refuses to start without one (docs/deployment.md, Keys).
  const production = { NODE_ENV: 'production', HUB_TRUST_CONFIG: trust.path, HUB_METRICS_PORT: '0', HUB_DEMO_DATA: 'false', HUB_MATCH_KEY_SECRET: randomBytes(32).toString('base64') };
  const hubP: HubProcess = await startHubProcess({
    env: { ...production, HUB_RATE_LIMIT_PER_MINUTE: '10000000', HUB_RATE_LIMIT_BURST: '10000000' },
  });
  const children: ChildProcess[] = [];
  const db = new Client({ connectionString: hubP.databaseUrl() });
  try {
    const databaseUrl = hubP.databaseUrl();
    const orm = await openOrm(databaseUrl, { log });
    const started = Date.now();
    await generateAlerts(orm.em.fork(), {
      alerts,
      seed: 20200215,
      until: new Date(),
      onProgress: (n, total) => {
        if (n === total || n % 10_000 === 0) say(`${alerts} alerts: ${n} of ${total} written`);
      },
    });
    await orm.close(true);
    say(`${alerts} alerts: written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await db.connect();
    // PostGraphile's ORDER BY published_at desc, id desc: the one plain index it is given.
    await db.query('create index if not exists alert_published_at_id on alert (published_at, id)');
    await db.query(SEARCH_FUNCTION);
    await db.query('vacuum analyze');
    const postmaster = postmasterPid(hubP.pid);

    const token = await trust.token('HK', [Role.ANALYST], 6 * 3600);
    const hubHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const hubPost = async (q: { query: string; variables: Record<string, unknown> }) => {
      const res = await fetch(hubP.url, { method: 'POST', headers: hubHeaders, body: JSON.stringify(q) });
      const body = (await res.json()) as any;
      if (body.errors) throw new Error(`hub: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const first = await hubPost({ query: '{ alerts(first: 1, filter: { originAgency: ["GD"] }) { totalCount edges { node { id } } } }', variables: {} });
    const visible = first.alerts.totalCount as number;
    say(`${alerts} alerts: HK sees ${visible} of GD's alerts`);
    // One from the middle of the list, not the newest (which every cache would hold).
    const mid = await hubPost({ query: '{ alerts(first: 100, filter: { originAgency: ["GD"] }) { edges { node { id } } } }', variables: {} });
    const qs = cases(mid.alerts.edges[57].node.id);

    // Capture: the same queries once through an in-process hub on the same database, with its
    // statement listener (see compare-floor.ts).
    say('capturing the hub\'s SQL with its statement listener');
    const statements: string[] = [];
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      HUB_DATA_DIR: hubP.dataDir,
      ...production,
      LOG_LEVEL: 'warn',
    });
    const sent: { name?: string; text: string; values: unknown[] }[] = [];
    const restore = recordPgQueries(sent);
    // The capture's hub reaches PostgreSQL through a wire counter: a third count of its statements,
    // by the same method that counts PostGraphile's below.
    const hubWire = await startWireCounter(pgAddress(databaseUrl));
    config.databaseUrl = throughRelay(databaseUrl, hubWire.port);
    const capturer = await startHub(config, { log, progress: () => undefined, onQuery: (s) => statements.push(s) });
    const captured: Record<string, { name?: string; text: string; values: unknown[] }[]> = {};
    const statementsPerRequest: Record<string, number> = {};
    try {
      for (const c of qs) {
        // Twice at least: the first may load caches (agency rows, grants) that a warm hub no
        // longer reads; again while the hub's background work (if any) slipped a statement in.
        for (let i = 0; i < 2 || (sent.length !== statements.length && i < 6); i++) {
          statements.length = 0;
          sent.length = 0;
          hubWire.reset();
          const res = await fetch(capturer.url, { method: 'POST', headers: hubHeaders, body: JSON.stringify(c.hub) });
          const body = (await res.json()) as any;
          if (body.errors) throw new Error(`capture ${c.name}: ${JSON.stringify(body.errors)}`);
          await settle();
        }
        if (hubWire.statements() !== sent.length) throw new Error(`capture ${c.name}: the driver sent ${sent.length} statements, the wire carried ${hubWire.statements()}`);
        // The listener names the statements the hub sent; the driver-level record has their
        // parameters. Both must agree, or the floor would not replay what the hub ran.
        if (sent.length !== statements.length) throw new Error(`capture ${c.name}: the listener saw ${statements.length} statements, the driver ${sent.length}`);
        captured[c.name] = JSON.parse(JSON.stringify(sent)) as { name?: string; text: string; values: unknown[] }[];
        statementsPerRequest[c.name] = sent.length;
      }
    } finally {
      await capturer.stop();
      await hubWire.close();
      restore();
    }
    const captureFile = join(mkdtempSync(join(tmpdir(), 'gba-hub-compare-')), 'capture.json');
    writeFileSync(captureFile, JSON.stringify(captured, null, 1));
    say(`captured ${Object.values(statementsPerRequest).join(', ')} statements per query (${captureFile})`);

    const targets: Target[] = [];
    const hubPort = Number(new URL(hubP.url).port);
    targets.push({
      name: 'hub',
      pid: hubP.pid,
      port: hubPort,
      req: (c) => ({ path: new URL(hubP.url).pathname, method: 'POST', headers: hubHeaders, body: JSON.stringify(c.hub) }),
      parse: (c, body) => c.hubRows(JSON.parse(body).data).map((r) => key(r, r.goods)),
    });
    if (opts.only.includes('floor')) {
      const port = await freePort();
      const floor = spawn(process.execPath, [join(__dirname, 'compare-floor.js'), captureFile, String(port), databaseUrl, '10'], { stdio: 'inherit' });
      children.push(floor);
      await waitReady(`http://127.0.0.1:${port}/readyz`, floor, 'floor');
      targets.push({
        name: 'floor',
        pid: floor.pid!,
        port,
        req: (c) => ({ path: `/q/${encodeURIComponent(c.name)}`, method: 'GET', headers: {} }),
        // The floor prints rows, not the GraphQL shape: the check compares the alert ids it returns.
        parse: (_c, body) => floorIds(JSON.parse(body)),
      });
    }
    if (opts.only.includes('postgraphile')) {
      const node = ensurePostGraphile(say);
      writeFileSync(join(PG_DIR, 'server.mjs'), POSTGRAPHILE_SERVER);
      const port = await freePort();
      const pg = spawn(node, [join(PG_DIR, 'server.mjs'), databaseUrl, String(port)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      children.push(pg);
      await waitReady(`http://127.0.0.1:${port}/graphql`, pg, 'PostGraphile');
      say(`PostGraphile 5 on ${execFileSync(node, ['--version']).toString().trim()}`);
      targets.push({
        name: 'postgraphile',
        pid: pg.pid!,
        port,
        req: (c) => ({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.pg) }),
        parse: (c, body) => {
          const parsed = JSON.parse(body);
          if (parsed.errors) throw new Error(`PostGraphile ${c.name}: ${JSON.stringify(parsed.errors)}`);
          return c.pgRows(parsed.data).map((r) => key(r, r.alertGoodsLinesByAlertId.nodes));
        },
      });
    }
    const active = targets.filter((t) => opts.only.includes(t.name));
    const pgStatements: Record<string, number> = {};
    if (opts.only.includes('postgraphile')) {
      // A second PostGraphile, reaching PostgreSQL through the wire counter: it counts what one
      // request executes without putting a relay in the way of the measured instance.
      const node = ensurePostGraphile(say);
      const wire = await startWireCounter(pgAddress(databaseUrl));
      const port = await freePort();
      const counted = spawn(node, [join(PG_DIR, 'server.mjs'), throughRelay(databaseUrl, wire.port), String(port)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      try {
        await waitReady(`http://127.0.0.1:${port}/graphql`, counted, 'PostGraphile (counted)');
        const pgTarget = targets.find((t) => t.name === 'postgraphile')!;
        for (const c of qs) {
          const counts: number[] = [];
          for (let i = 0; i < 3; i++) {
            wire.reset();
            const res = await send(new Agent(), port, pgTarget.req(c));
            if (res.status !== 200) throw new Error(`PostGraphile (counted) ${c.name}: HTTP ${res.status}`);
            await settle();
            counts.push(wire.statements());
          }
          // The first request may prepare or introspect; the later ones are the steady state.
          pgStatements[c.name] = Math.min(...counts.slice(1));
        }
        say(`PostGraphile: ${qs.map((c) => `${c.name} ${pgStatements[c.name]}`).join(', ')} statements per request`);
      } finally {
        await stopChild(counted);
        await wire.close();
      }
    }

    // Same rows from all three before anything is measured.
    for (const c of qs) {
      const hubKeys = targets[0].parse(c, (await send(new Agent(), hubPort, targets[0].req(c))).body);
      if (hubKeys.length === 0) throw new Error(`${c.name}: the hub returned no rows`);
      for (const t of active) {
        const keys = t.parse(c, (await send(new Agent(), t.port, t.req(c))).body);
        // The floor's rows come as the hub's page statement returns them, in the page's order,
        // with the one row more that tells the hub there is a next page: its ids, that row apart.
        const hubIds = hubKeys.map((k) => JSON.parse(k)[0] as string);
        const same =
          t.name === 'floor'
            ? JSON.stringify(keys.slice(0, hubIds.length)) === JSON.stringify(hubIds) && keys.length - hubIds.length <= 1
            : JSON.stringify(keys) === JSON.stringify(hubKeys);
        if (!same) throw new Error(`${c.name}: ${t.name} does not return the hub's rows\n hub: ${hubKeys.slice(0, 3).join('\n      ')}\n ${t.name}: ${keys.slice(0, 3).join('\n      ')}`);
      }
      say(`${c.name}: ${hubKeys.length} rows, the same from ${active.map((t) => t.name).join(', ')}`);
    }

    const results = new Map<string, Measurement[]>();
    for (let round = 1; round <= opts.rounds; round++) {
      for (const c of qs) {
        for (const t of active) {
          const m = await measure(t, c, opts.seconds, opts.connections, postmaster);
          const k = `${t.name}/${c.name}`;
          results.set(k, [...(results.get(k) ?? []), m]);
          say(`round ${round}/${opts.rounds} ${c.name} ${t.name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms${m.errors ? `, ${m.errors} errors` : ''}`);
        }
      }
    }
    const loadAfter = loadavg();
    return report(alerts, visible, qs, active.map((t) => t.name), results, { ...statementsPerRequest }, pgStatements, opts, loadBefore, loadAfter);
  } finally {
    await db.end().catch(() => undefined);
    for (const c of children) await stopChild(c);
    await hubP.stop();
    trust.remove();
  }
}

/**
 * Records every statement and its parameters sent through node-postgres in this process (the
 * in-process hub's MikroORM/knex sends through pg.Client#query), until the returned function
 * is called. The hub's statement listener gives MikroORM's log line, whose parameters stay
 * placeholders ($1, …) for raw statements; this gives the values bound to them.
 */
function recordPgQueries(into: { name?: string; text: string; values: unknown[] }[]): () => void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args as [unknown, unknown];
    const config = typeof first === 'string' ? { text: first, values: second } : (first as { name?: string; text?: string; values?: unknown });
    if (config && typeof config.text === 'string') {
      // A named statement (src/db/sql.ts preparedQuery) is replayed under its name: prepared once per connection, as the hub does.
      const name = 'name' in config && typeof config.name === 'string' ? { name: config.name } : {};
      into.push({ ...name, text: config.text, values: Array.isArray(config.values) ? config.values : [] });
    }
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
  };
}

/** Host and port of a PostgreSQL connection string. */
function pgAddress(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432) };
}

/** The same connection string, through a relay on 127.0.0.1:port. */
function throughRelay(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

/** Lets a request's last statements reach the wire counter after its answer was read. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 25));
}

/** The alert ids in the floor's answer: the rows of its statements that carry an alert's id and title. */
function floorIds(results: any[][]): string[] {
  const main = results.find((rows) => rows.length > 0 && 'title' in rows[0] && 'id' in rows[0]);
  return main ? main.map((r) => r.id) : [];
}

function report(
  alerts: number,
  visible: number,
  qs: QueryCase[],
  names: ServerName[],
  results: Map<string, Measurement[]>,
  statements: Record<string, number>,
  pgStatements: Record<string, number>,
  opts: { rounds: number; seconds: number; connections: number },
  loadBefore: number[],
  loadAfter: number[],
): string {
  const med = (k: string, f: (m: Measurement) => number) => median((results.get(k) ?? []).map(f));
  const has = (n: ServerName) => names.includes(n);
  const lines: string[] = [];
  lines.push(`### ${alerts.toLocaleString('en')} alerts (HK sees ${visible.toLocaleString('en')} of GD's)`, '');
  lines.push(`Load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}.`, '');
  const head = ['query', ...names.map((n) => `${n} req/s`)];
  if (has('postgraphile')) head.push('hub/PG5');
  if (has('floor')) head.push('hub/floor');
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const c of qs) {
    const rps = (n: ServerName) => med(`${n}/${c.name}`, (m) => m.rps);
    const row = [c.name, ...names.map((n) => rps(n).toFixed(0))];
    if (has('postgraphile')) row.push(`${(rps('hub') / rps('postgraphile')).toFixed(2)}×`);
    if (has('floor')) row.push(`${(rps('hub') / rps('floor')).toFixed(2)}×`);
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', `| query | server | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | SQL statements/req | RSS MiB | errors |`, '|---|---|---|---|---|---|---|---|---|');
  for (const c of qs) {
    for (const n of names) {
      const k = `${n}/${c.name}`;
      const st = n === 'postgraphile' ? String(pgStatements[c.name] ?? '–') : String(statements[c.name]);
      lines.push(
        `| ${c.name} | ${n} | ${med(k, (m) => m.p50).toFixed(1)} | ${med(k, (m) => m.p99).toFixed(1)} | ${med(k, (m) => m.serverCpuMs).toFixed(2)} | ${med(k, (m) => m.pgCpuMs).toFixed(2)} | ${st} | ${(med(k, (m) => m.rssKb) / 1024).toFixed(0)} | ${(results.get(k) ?? []).reduce((a, m) => a + m.errors, 0)} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      alerts: { type: 'string', default: '20000,100000' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '8' },
      only: { type: 'string', default: SERVERS.join(',') },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const sizes = values.alerts.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--alerts: whole numbers of at least 1,000, comma-separated');
  const only = values.only.split(',') as ServerName[];
  if (only.some((n) => !SERVERS.includes(n))) throw new Error(`--only: some of ${SERVERS.join(',')}`);
  if (!only.includes('hub')) only.unshift('hub');
  const opts = { rounds: Number(values.rounds), seconds: Number(values.seconds), connections: Number(values.connections), only };
  const say = (l: string) => console.log(`compare: ${l}`);
  const started = Date.now();
  const sections: string[] = [];
  for (const n of sizes) sections.push(await runSize(n, opts, say));
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    // not a clone
  }
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const text = [
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`,
    '',
    `${cpus().length} cores (${model}), Node ${process.version} for the hub and the floor, the hub with NODE_ENV=production, a trust file and its token cache; ${opts.rounds} interleaved rounds of ${opts.seconds} s per query and server, ${opts.connections} keep-alive connections; medians of the rounds. PostGraphile was given the index \`alert (published_at, id)\` and the function \`bench_search_alerts\` made by the benchmark. Took ${((Date.now() - started) / 60000).toFixed(0)} min.`,
    '',
    ...sections,
  ].join('\n');
  console.log(`\n${text}`);
  if (!values['no-write']) {
    if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# bench:compare results\n\nWritten by `npm run bench:compare` (bench/compare.ts); the newest run last. See bench/README.md for what is measured.\n\n');
    appendFileSync(RESULTS, `${text}\n`);
    say(`appended to ${RESULTS}`);
  }
}

main().catch((e) => {
  console.error(`compare: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
