/**
 * Benchmark: shipmentClusters against planted split-shipment rings (issue 20).
 *
 * `npm run bench:clusters -- --ordinary 20000,100000 --rings 40 --runs 30`
 * (those are the defaults). For each size M: a hub of its own on a throw-away embedded
 * PostgreSQL (or DATABASE_URL, an empty database), no demo data; generateRings plants N rings
 * with the spellings real records have (src/demo/ring-generator.ts: scripts, full-width
 * digits, phone formats, abbreviations, a region added or left off, mules) and their
 * look-alikes among M ordinary alerts, all written with their match keys (writeAlerts with
 * matchKeys, so ordinary alerts have keys as the hub would give them). Then, as an ANALYST of
 * each of GD, HK and MO, `shipmentClusters` over the rings' 90 days (first: 100) is scored
 * against the planted answer and timed. Then the probe (`matchIdentifiers`) is timed on the same
 * hub, in calls of 1 and of 50 values, hits on the rings' identifiers in other spellings and
 * no-hits (bench/probe-latency.ts). Figures are appended to bench/CLUSTERS-RESULTS.md.
 *
 * `--probes 600,120` sets the probe's calls of one value and of 50 (each phase is run one call
 * after another, then again from `--concurrency 8` clients). Every probed value counts against
 * the prober's daily quota (HUB_PROBE_DAILY_LIMIT, 200 by default): the hub here runs with
 * HUB_PROBE_DAILY_LIMIT=1000000 unless the environment sets it, as it lifts the rate limit.
 *
 * How a found cluster is matched to a planted ring (the viewer sees its visible members'
 * ids only; hidden members are counts):
 *   - a cluster's ring is the ring holding most of its visible members, when that is more
 *     than half of them; otherwise the cluster matches no ring (a false cluster);
 *   - each ring is matched by at most one cluster, the one holding most of its parcels
 *     (ties: the higher-ranked); a second cluster of the same ring (a ring split in two)
 *     is a false cluster;
 *   - precision = matched clusters / clusters returned; recall = rings matched / rings planted.
 * Each of the three agencies sees parcels of every ring (the generator gives each at least
 * two), so every ring can be found by every viewer; figures are per viewer and pooled.
 */
import { mkdtempSync, rmSync, appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/common/logger';
import { Role } from '../src/common/enums';
import { mintDevToken } from '../src/identity/dev-identity';
import { startHub } from '../src/server';
import { generateRings } from '../src/demo/ring-generator';
import { writeAlerts } from '../src/demo/generator';
import { percentile } from './stats';
import { probeLatency, probeRow, probeTableHead } from './probe-latency';

const RESULTS = join(__dirname, '..', '..', 'bench', 'CLUSTERS-RESULTS.md');
const DAY = 86_400_000;
const UNTIL = new Date(Date.UTC(2026, 10, 1));
const FROM = new Date(UNTIL.getTime() - 90 * DAY);
const AGENCIES = ['GD', 'HK', 'MO'];

const QUERY = `query ($from: DateTime, $to: DateTime, $alertId: ID, $first: Int) {
  shipmentClusters(from: $from, to: $to, alertId: $alertId, first: $first) {
    id score visibleQuantity members { alert { id } } hidden { agency { code } count }
  } }`;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const say = (l: string) => console.log(`clusters: ${l}`);

interface Score {
  found: number;
  matched: number;
  rings: number;
  decoysMerged: number;
  purity: number[];
  sizeRatio: number[];
}

interface Cluster {
  id: string;
  members: { alert: { id: string } }[];
  hidden: { agency: { code: string }; count: number }[];
}

/** Scores the clusters against the rings, as the header says. */
function score(clusters: Cluster[], ringOfId: Map<string, number>, ringSize: number[], decoys: Set<string>): Score {
  const best = new Map<number, { cluster: number; overlap: number }>();
  const candidate: { ring: number; overlap: number }[] = clusters.map((c, i) => {
    const counts = new Map<number, number>();
    for (const m of c.members) {
      const r = ringOfId.get(m.alert.id);
      if (r !== undefined) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    let ring = -1;
    let overlap = 0;
    for (const [r, n] of counts) if (n > overlap) [ring, overlap] = [r, n];
    if (ring < 0 || overlap * 2 <= c.members.length) return { ring: -1, overlap: 0 };
    const held = best.get(ring);
    if (!held || overlap > held.overlap) best.set(ring, { cluster: i, overlap });
    return { ring, overlap };
  });
  const purity: number[] = [];
  const sizeRatio: number[] = [];
  for (const [ring, { cluster }] of best) {
    const c = clusters[cluster];
    purity.push(candidate[cluster].overlap / c.members.length);
    sizeRatio.push((c.members.length + c.hidden.reduce((s, h) => s + h.count, 0)) / ringSize[ring]);
  }
  const decoysMerged = clusters.reduce((s, c) => s + c.members.filter((m) => decoys.has(m.alert.id)).length, 0);
  return { found: clusters.length, matched: best.size, rings: ringSize.length, decoysMerged, purity, sizeRatio };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);

interface ProbeSettings {
  singles: number;
  batches: number;
  concurrency: number;
}

async function runSize(ordinary: number, rings: number, runs: number, probes: ProbeSettings): Promise<{ clusters: string[]; probes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-bench-clusters-'));
  const config = loadConfig({
    HUB_RATE_LIMIT_PER_MINUTE: '10000000',
    HUB_RATE_LIMIT_BURST: '10000000',
    HUB_PROBE_DAILY_LIMIT: '1000000',
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    HUB_TRUST_CONFIG: '',
    HUB_MATCH_KEY_SECRET: randomBytes(32).toString('base64'),
  });
  say(`M = ${ordinary}: starting a hub on ${config.databaseUrl ? 'DATABASE_URL' : 'an embedded PostgreSQL'}`);
  const hub = await startHub(config, { log: createLogger('warn'), progress: (l) => say(l) });
  const lines: string[] = [];
  const probeLines: string[] = [];
  try {
    const t0 = Date.now();
    const ds = generateRings({ rings, ordinary, until: UNTIL });
    say(`M = ${ordinary}: generated ${ds.alerts.length} alerts (${rings} rings, ${ds.decoys.length} look-alikes) in ${((Date.now() - t0) / 1000).toFixed(1)} s; writing`);
    const t1 = Date.now();
    let told = 0;
    const ids = await writeAlerts(hub.orm.em.fork(), ds.alerts, {
      matchKeys: hub.matchKeys,
      total: ds.alerts.length,
      onProgress: (n, total) => {
        if (n - told >= 10_000 || n === total) {
          told = n;
          say(`  written ${n} / ${total}`);
        }
      },
    });
    say(`M = ${ordinary}: written in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    await hub.orm.em.getConnection().execute('analyze');
    const [{ n: keys }] = await hub.orm.em.getConnection().execute(`select count(*)::int as n from match_key`);

    const ringOfId = new Map<string, number>();
    ds.ringOf.forEach((r, i) => {
      if (r >= 0) ringOfId.set(ids[i], r);
    });
    const ringSize = ds.rings.map((r) => r.members.length);
    const decoys = new Set(ds.decoys.map((d) => ids[d.alert]));

    const tokens = new Map<string, string>();
    for (const a of AGENCIES) tokens.set(a, await mintDevToken(dataDir, { agency: a, roles: [Role.ANALYST], ttlSeconds: 3600 }));
    const call = async (agency: string, variables: Record<string, unknown>): Promise<Cluster[]> => {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(agency)}` },
        body: JSON.stringify({ query: QUERY, variables }),
      });
      const body = (await res.json()) as { data?: { shipmentClusters: Cluster[] }; errors?: unknown };
      if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data.shipmentClusters;
    };
    const window = { from: FROM.toISOString(), to: UNTIL.toISOString(), first: 100 };

    const pooled: Score[] = [];
    const rows: string[] = [];
    for (const agency of AGENCIES) {
      const found = await call(agency, window);
      const s = score(found, ringOfId, ringSize, decoys);
      pooled.push(s);
      const times: number[] = [];
      // From one parcel: the agency's own parcel of each ring in turn.
      const starts = ds.rings.map((r) => ids[r.members.find((m) => ds.alerts[m].agency === agency)!]);
      const fromOne: number[] = [];
      for (let i = 0; i < 3; i++) await call(agency, window);
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        await call(agency, window);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        const u = process.hrtime.bigint();
        await call(agency, { ...window, alertId: starts[i % starts.length] });
        fromOne.push(Number(process.hrtime.bigint() - u) / 1e6);
      }
      times.sort((a, b) => a - b);
      fromOne.sort((a, b) => a - b);
      const row =
        `| ${ordinary.toLocaleString('en')} | ${agency} | ${s.found} | ${s.matched} / ${s.rings} | ${(s.matched / s.found).toFixed(3)} | ${(s.matched / s.rings).toFixed(3)} | ` +
        `${mean(s.purity).toFixed(3)} | ${mean(s.sizeRatio).toFixed(3)} | ${s.decoysMerged} | ` +
        `${percentile(times, 50).toFixed(0)} / ${percentile(times, 99).toFixed(0)} | ${percentile(fromOne, 50).toFixed(0)} / ${percentile(fromOne, 99).toFixed(0)} |`;
      say(row);
      rows.push(row);
    }
    const found = pooled.reduce((s, x) => s + x.found, 0);
    const matched = pooled.reduce((s, x) => s + x.matched, 0);
    const planted = pooled.reduce((s, x) => s + x.rings, 0);
    const pooledRow = `| ${ordinary.toLocaleString('en')} | all three | ${found} | ${matched} / ${planted} | ${(matched / found).toFixed(3)} | ${(matched / planted).toFixed(3)} | ${mean(pooled.flatMap((p) => p.purity)).toFixed(3)} | ${mean(pooled.flatMap((p) => p.sizeRatio)).toFixed(3)} | ${pooled.reduce((s, p) => s + p.decoysMerged, 0)} | | |`;
    say(pooledRow);
    lines.push(`M = ${ordinary.toLocaleString('en')} ordinary alerts, ${rings} rings (${ringSize.reduce((s, n) => s + n, 0)} parcels), ${ds.decoys.length} look-alikes; ${keys.toLocaleString('en')} match keys; ${runs} timed runs per viewer.`, '', ...rows, pooledRow);

    say(`M = ${ordinary}: timing the probe (matchIdentifiers)`);
    const probeCall = async (agency: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(agency)}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: { matchIdentifiers: { hits: unknown[] }[] }; errors?: unknown };
      if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    for (const p of await probeLatency(probeCall, ds, { ...probes, say })) {
      const row = probeRow(ordinary, p);
      say(row);
      probeLines.push(row);
    }
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { clusters: lines, probes: probeLines };
}

async function run(): Promise<void> {
  const sizes = arg('ordinary', '20000,100000').split(',').map(Number);
  const rings = Number(arg('rings', '40'));
  const runs = Number(arg('runs', '30'));
  const [singles, batches] = arg('probes', '600,120').split(',').map(Number);
  const concurrency = Number(arg('concurrency', '8'));
  const loadBefore = loadavg();
  const started = new Date();
  const out: string[] = [];
  const probeRows: string[] = [];
  for (const m of sizes) {
    const { clusters, probes } = await runSize(m, rings, runs, { singles, batches, concurrency });
    const [summary, , ...rows] = clusters;
    probeRows.push(...probes);
    out.push(
      '',
      summary,
      '',
      '| M | viewer | clusters | rings matched | precision | recall | purity | size ratio | look-alikes merged | window p50 / p99 ms | from one parcel p50 / p99 ms |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    );
  }
  const loadAfter = loadavg();
  const text = [
    `## ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(2)).join(' ')} after (a shared machine).`,
    `\`npm run bench:clusters -- --ordinary ${sizes.join(',')} --rings ${rings} --runs ${runs} --probes ${singles},${batches} --concurrency ${concurrency}\``,
    ...out,
    '',
    `Probe (\`matchIdentifiers\`) over HTTP as ANALYSTs of GD, HK and MO in turn (HUB_PROBE_DAILY_LIMIT ${process.env.HUB_PROBE_DAILY_LIMIT ?? '1000000'}); calls of one value half hits, of 50 values one in five (bench/probe-latency.ts). Latency of the calls one after another:`,
    '',
    ...probeTableHead(concurrency),
    ...probeRows,
    '',
  ].join('\n');
  console.log(`\n${text}`);
  if (!existsSync(RESULTS)) {
    writeFileSync(
      RESULTS,
      '# bench:clusters results\n\nWritten by `npm run bench:clusters` (bench/clusters.ts, whose header defines how a found cluster is matched to a planted ring); the newest run last.\n' +
        'Purity: the share of a matched cluster\'s visible members that are its ring\'s parcels. Size ratio: (visible members + hidden count) / ring size.\n' +
        'Latency: the whole 90-day window (first: 100), and the same restricted to one parcel of each ring in turn (`alertId`), over HTTP as an ANALYST.\n\n',
    );
  }
  appendFileSync(RESULTS, text + '\n');
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
