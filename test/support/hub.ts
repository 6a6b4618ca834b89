import { createClient, type Client } from 'graphql-ws';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/common/logger';
import { startHub, type Hub } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';
import { TestTrust } from './identity';

export interface GqlResponse<T = any> {
  status: number;
  /** As the server sent it; typed loosely on purpose: tests assert what is (or is not) there. */
  body: { data: T; errors: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[] };
  headers: Headers;
}

export interface TestHub {
  hub: Hub;
  url: string;
  wsUrl: string;
  trust: TestTrust;
  db: TestDatabase;
  /** Statements run since the counter was last reset (see onQuery). */
  statements: string[];
  /** A token for an agency with roles (default ANALYST). */
  token(agency: string, roles?: string[]): Promise<string>;
  /** POSTs a GraphQL operation as a client would. */
  gql<T = any>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  /**
   * Waits until the hub's event feed has handed on every event in the log. An event whose
   * transaction committed while another (anywhere on the server: other test files) was open
   * is delivered a moment later, to whoever subscribes meanwhile: tests that count events
   * from a subscription on wait for the feed first.
   */
  quiesce(): Promise<void>;
  /** A graphql-ws client; closed by stop(). */
  ws(token: string | null, opts?: Partial<Parameters<typeof createClient>[0]>): Client;
  stop(): Promise<void>;
}

/**
 * The real hub on port 0, on a database of its own cloned from the migrated template,
 * trusting freshly made test agencies.
 */
export async function startTestHub(
  opts: {
    demoData?: boolean;
    trust?: TestTrust;
    env?: Record<string, string>;
    /** Another hub's database (several instances on one PostgreSQL); that hub drops it. */
    shareDatabaseOf?: TestHub;
    /** A database the test manages itself (not dropped). */
    databaseUrl?: string;
    /** Collects the hub's JSON log lines (at info level) here. */
    logLines?: string[];
    /** Collects the start-up's progress lines (what the CLI prints) here. */
    progressLines?: string[];
    /**
     * Development identity (no HUB_TRUST_CONFIG; keys made under a temporary HUB_DATA_DIR), as
     * `npm start` runs: the console's development sign-in works. `token()` does not (the test
     * agencies are not trusted): sign in through POST /auth/dev-token.
     */
    devIdentity?: boolean;
  } = {},
): Promise<TestHub> {
  const db: TestDatabase = opts.shareDatabaseOf
    ? { ...opts.shareDatabaseOf.db, drop: async () => undefined }
    : opts.databaseUrl
      ? { url: opts.databaseUrl, name: new URL(opts.databaseUrl).pathname.slice(1), drop: async () => undefined }
      : await createTestDatabase();
  const trust = opts.trust ?? (await TestTrust.create());
  const statements: string[] = [];
  const devDataDir = opts.devIdentity ? mkdtempSync(join(tmpdir(), 'gba-hub-dev-')) : undefined;
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ...(devDataDir ? { HUB_DATA_DIR: devDataDir } : { HUB_TRUST_CONFIG: trust.path }),
    HUB_DEMO_DATA: String(opts.demoData ?? false),
    LOG_LEVEL: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    // Suites fire hundreds of requests a second with one subject; the rate-limit test sets its own.
    HUB_RATE_LIMIT_PER_MINUTE: '1000000',
    HUB_RATE_LIMIT_BURST: '100000',
    // Test files run side by side, some with several hubs, on one server of 100 connections:
    // their pools open connections as asked rather than ten each at start.
    HUB_DB_POOL_KEEP: '0',
    // A small pool, so that anything that holds connections while waiting for more (see the
    // pool guard in src/db/orm.ts) stalls a test at once rather than a busy hub in the field.
    HUB_DB_POOL_SIZE: '3',
    ...opts.env,
  });
  const hub = await startHub(config, {
    log: opts.logLines ? createLogger('info', { write: (line: string) => void opts.logLines!.push(line) }) : createLogger(config.logLevel),
    progress: (line) => void opts.progressLines?.push(line),
    onQuery: (sql) => statements.push(sql),
  });
  const clients: Client[] = [];
  const url = hub.url;
  return {
    hub,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    trust,
    db,
    statements,
    token: (agency, roles = ['ANALYST']) => trust.token(agency, roles),
    async gql(token, query, variables) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse<any>["body"], headers: res.headers };
    },
    ws(token, o = {}) {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        ...o,
      });
      clients.push(client);
      return client;
    },
    async quiesce() {
      const sql = new PgClient({ connectionString: db.url });
      await sql.connect();
      try {
        const rows = (await sql.query(`select e.tx::text as tx, e.id::text as id from hub_event e order by e.tx desc, e.id desc limit 1`)).rows;
        if (rows.length === 0) return;
        const last = { tx: BigInt(rows[0].tx), id: BigInt(rows[0].id) };
        const deadline = Date.now() + 15_000;
        for (;;) {
          const head = hub.stats().feedHead;
          if (head.tx > last.tx || (head.tx === last.tx && head.id >= last.id)) return;
          if (Date.now() > deadline) throw new Error('the event feed did not catch up with the log');
          await new Promise((r) => setTimeout(r, 10));
        }
      } finally {
        await sql.end();
      }
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await hub.stop();
      await db.drop();
      // Keys this hub made for itself go with it (a trust passed in belongs to the test).
      if (!opts.trust) rmSync(trust.dir, { recursive: true, force: true });
      if (devDataDir) rmSync(devDataDir, { recursive: true, force: true });
    },
  };
}
