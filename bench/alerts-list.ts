/**
 * Benchmark: `alerts(first: 50)` with every relation selected, as a partner analyst and as the
 * originator, on the demo set (6 field-fact alerts + 2,000 generated), plus SQL statements per
 * request. `npm run bench` (DATABASE_URL: an empty database to use; else a throw-away
 * embedded PostgreSQL). Figures are written down in bench/RESULTS.md by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/common/logger';
import { Role } from '../src/common/enums';
import { mintDevToken } from '../src/identity/dev-identity';
import { startHub } from '../src/server';
import { grantedClassesSql, visibleAlertSql } from '../src/access/alert-access';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;

const QUERY = `query ($first: Int, $after: String) { alerts(first: $first, after: $after) { totalCount edges { cursor node {
  id reference status title summary riskLevel channel direction originAgency { code name jurisdiction }
  goods { category description hsCode quantity unit } infringements modusOperandi
  rightsHolders { id name recordations { type recordationNumber mark validUntil } }
  portOfLoading portOfDischarge originCountry destinationCountry expectedArrival
  distribution { scope agencies { code name } }
  containerNumbers billOfLading conveyanceReference consignor { name country } consignee { name country }
  source { kind reliability credibility } operationalNotes withheld version createdAt updatedAt publishedAt
} } pageInfo { hasNextPage endCursor } } }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-bench-'));
  const statements: string[] = [];
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, HUB_DEMO_DATA: 'true', LOG_LEVEL: 'warn', HUB_TRUST_CONFIG: '' });
  const hub = await startHub(config, { log: createLogger('warn'), progress: (l) => console.log(`bench: ${l}`), onQuery: (s) => statements.push(s) });
  try {
    for (const agency of ['HK', 'GD']) {
      const token = await mintDevToken(dataDir, { agency, roles: [Role.ANALYST], ttlSeconds: 3600 });
      const call = async (first: number) => {
        const res = await fetch(hub.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY, variables: { first } }),
        });
        const body = (await res.json()) as { data: { alerts: { totalCount: number } }; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data.alerts;
      };
      for (let i = 0; i < WARMUP; i++) await call(50);
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        await call(50);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      statements.length = 0;
      const page = await call(50);
      const perRequest = statements.length;
      console.log(
        `bench: alerts(first: 50), all relations, as ${agency} (${page.totalCount} visible): ` +
          `median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, ` +
          `${perRequest} SQL statements per request (${ITERATIONS} runs)`,
      );
    }
    // The access layer's share of it: the page statement with and without the visibility
    // predicate and the granted-classes expression (the rest, the projection and the one-row-
    // per-alert access-log insert, is in the HTTP figures above).
    const conn = hub.orm.em.getConnection();
    const vis = visibleAlertSql('a', 'HK', { operationWindowDays: config.operationWindowDays });
    const granted = grantedClassesSql('a', 'HK');
    const order = "coalesce(a.published_at, '-infinity'::timestamptz)";
    const variants: [string, string, unknown[]][] = [
      ['without access', `select a.id, (${order})::text as k from alert a order by ${order} desc, a.id desc limit 51`, []],
      [
        'with access',
        `select a.id, (${order})::text as k, ${granted.sql} as granted from alert a where ${vis.sql} order by ${order} desc, a.id desc limit 51`,
        [...granted.params, ...vis.params],
      ],
    ];
    for (const [name, sql, params] of variants) {
      for (let i = 0; i < WARMUP; i++) await conn.execute(sql, params);
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        await conn.execute(sql, params);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(`bench: page statement ${name} (HK): median ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`);
    }
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
