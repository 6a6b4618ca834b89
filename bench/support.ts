import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type HubConfig } from '../src/config';
import { createLogger } from '../src/common/logger';
import { Role } from '../src/common/enums';
import { mintDevToken } from '../src/identity/dev-identity';
import { startHub, type Hub } from '../src/server';
import { percentile } from './stats';

export const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
export const WARMUP = 20;

export interface BenchHub {
  hub: Hub;
  config: HubConfig;
  statements: string[];
  /** POSTs a query as an ANALYST of `agency`; throws on GraphQL errors. */
  call(agency: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

/**
 * The real hub with the demo data, on DATABASE_URL (an empty database) or a throw-away
 * embedded PostgreSQL, with development identity in a temporary folder.
 */
export async function startBenchHub(): Promise<BenchHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-bench-'));
  const statements: string[] = [];
  // The benchmark times requests one after another from one subject, hundreds a minute: the
  // per-subject rate limit (600 a minute by default) is lifted unless set in the environment.
  const config = loadConfig({
    HUB_RATE_LIMIT_PER_MINUTE: '10000000',
    HUB_RATE_LIMIT_BURST: '10000000',
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    HUB_DATA_DIR: dataDir,
    HUB_DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    HUB_TRUST_CONFIG: '',
  });
  const hub = await startHub(config, { log: createLogger('warn'), progress: (l) => console.log(`bench: ${l}`), onQuery: (s) => statements.push(s) });
  const tokens = new Map<string, string>();
  return {
    hub,
    config,
    statements,
    async call(agency, query, variables) {
      if (!tokens.has(agency)) tokens.set(agency, await mintDevToken(dataDir, { agency, roles: [Role.ANALYST], ttlSeconds: 3600 }));
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(agency)}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    async stop() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` WARMUP times, then ITERATIONS times timed; returns "median x ms, p95 y ms". */
export async function timeIt(fn: () => Promise<unknown>, digits = 1): Promise<string> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return `median ${percentile(times, 50).toFixed(digits)} ms, p95 ${percentile(times, 95).toFixed(digits)} ms (${ITERATIONS} runs)`;
}
