import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createTestDatabase } from '../support/database';
import { TestTrust } from '../support/identity';
import { spawnHub } from '../support/process';
import { CREATE, alertInput } from '../support/fixtures';

async function post(url: string, token: string, query: string, variables?: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as any;
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has ended. */
async function stopProcess(p: ReturnType<typeof spawnHub>): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  p.proc.kill('SIGTERM');
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), 10_000);
  await p.exited;
  clearTimeout(timer);
}

describe('the hub as a process', () => {
  test('on an embedded PostgreSQL with development identity: prints URL and tokens, loads demo data once, keeps data across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-data-'));
    const spawned: ReturnType<typeof spawnHub>[] = [];
    try {
      const env = { HUB_DATA_DIR: dataDir, PORT: '0' };
      const first = spawnHub(env);
      spawned.push(first);
      const [, url] = await first.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 60_000);
      await first.waitFor(/ready in/);
      expect(first.output()).toMatch(/database: embedded PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/gba_hub/);
      expect(first.output()).toMatch(/demo data loaded: .*6 field-fact alerts.*2000 generated alerts.*4 joint operations/);
      const [, gdToken] = first.output().match(/^ {2}GD {2}(\S+)$/m)!;
      const demo = await post(url, gdToken, '{ alerts(first: 100) { totalCount edges { node { title } } } }');
      expect(demo.data.alerts.totalCount).toBeGreaterThan(1000);
      expect(JSON.stringify(demo)).toContain('Shekou');
      const created = await post(url, gdToken, CREATE, { input: alertInput({ title: 'kept across restarts' }) });
      const id = created.data.createAlert.id;
      first.proc.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      // The second start also gives the embedded server a setting of its own.
      const second = spawnHub({ ...env, HUB_EMBEDDED_POSTGRES_SETTINGS: 'track_commit_timestamp=on' });
      spawned.push(second);
      const [, url2] = await second.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 60_000);
      await second.waitFor(/ready in/);
      expect(second.output()).not.toMatch(/demo data loaded/);
      const [, dbPort] = second.output().match(/embedded PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//)!;
      const pg = new Client({ host: '127.0.0.1', port: Number(dbPort), user: 'postgres', database: 'gba_hub', password: readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim() });
      await pg.connect();
      try {
        expect((await pg.query('show track_commit_timestamp')).rows[0].track_commit_timestamp).toBe('on');
        // The pool's ten connections are open from the start (HUB_DB_POOL_KEEP), beside the event feed's
        // and the event path's own pool (HUB_DB_EVENT_POOL_SIZE).
        const held = await pg.query(`select application_name, count(*)::int as n from pg_stat_activity where datname = 'gba_hub' and pid <> pg_backend_pid() group by 1 order by 1`);
        expect(held.rows).toEqual([{ application_name: '', n: 10 }, { application_name: 'gba-hub event feed', n: 1 }, { application_name: 'gba-hub event path', n: 3 }]);
      } finally {
        await pg.end();
      }
      // The keys made at first start still verify: the old token works.
      const again = await post(url2, gdToken, 'query ($id: ID!) { alert(id: $id) { title } alerts(first: 0) { totalCount } }', { id });
      expect(again.data.alert.title).toBe('kept across restarts');
      expect(again.data.alerts.totalCount).toBe(demo.data.alerts.totalCount + 1);
      second.proc.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      // A failed assertion must not leave a hub (and its embedded PostgreSQL) running behind
      // jest: ask it to stop, which stops its PostgreSQL too, and kill it if it does not.
      await Promise.all(spawned.map((p) => stopProcess(p)));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('the demo feed publishes partner alerts that an HK officer watching alertEvents sees arrive', async () => {
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-feed-'));
    const hub = spawnHub({ DATABASE_URL: db.url, HUB_DATA_DIR: dataDir, PORT: '0', HUB_DEMO_FEED_SECONDS: '1' });
    let client: ReturnType<typeof createClient> | undefined;
    try {
      const [, url] = await hub.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 60_000);
      await hub.waitFor(/ready in/, 60_000);
      expect(hub.output()).toMatch(/demo feed: a partner alert is published every 1 s/);
      const [, hkToken] = hub.output().match(/^ {2}HK {2}(\S+)$/m)!;
      client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${hkToken}` } });
      const seen: { kind: string; alert: { originAgency: { code: string }; status: string; title: string } }[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no partner alert from the demo feed within 20 s; saw ${JSON.stringify(seen)}`)), 20_000);
        client!.subscribe<{ alertEvents: (typeof seen)[number] }>(
          { query: 'subscription { alertEvents { kind alert { originAgency { code } status title } } }' },
          {
            next: ({ data }) => {
              seen.push(data!.alertEvents);
              if (seen.some((e) => e.kind === 'PUBLISHED' && e.alert.originAgency.code !== 'HK')) {
                clearTimeout(timer);
                resolve();
              }
            },
            error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
            complete: () => undefined,
          },
        );
      });
      const partner = seen.find((e) => e.kind === 'PUBLISHED' && e.alert.originAgency.code !== 'HK')!;
      expect(partner.alert.status).toBe('PUBLISHED');
      expect(partner.alert.title).toMatch(/^(Suspected infringing|疑似侵权)/);
    } finally {
      await client?.dispose();
      await stopProcess(hub);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('HUB_DEMO_FEED_SECONDS is refused in production', async () => {
    const hub = spawnHub({ NODE_ENV: 'production', HUB_DEMO_FEED_SECONDS: '5', HUB_DATA_DIR: join(tmpdir(), 'unused'), DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    await hub.exited;
    expect(hub.output().trim()).toMatch(/^gba-hub: HUB_DEMO_FEED_SECONDS: /);
  });

  test('SIGTERM with an open subscription closes the socket with 1001 and exits 0', async () => {
    const db = await createTestDatabase();
    const trust = await TestTrust.create();
    const hub = spawnHub({ DATABASE_URL: db.url, HUB_TRUST_CONFIG: trust.path, HUB_DEMO_DATA: 'false', PORT: '0' });
    try {
      const [, url] = await hub.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/);
      await hub.waitFor(/ready in/);
      const closed = new Promise<number>((resolve) => {
        const client = createClient({
          url: url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          connectionParams: async () => ({ authorization: `Bearer ${await trust.token('HK', ['OBSERVER'])}` }),
          on: { closed: (e) => resolve((e as { code: number }).code) },
        });
        client.subscribe({ query: 'subscription { alertEvents { kind } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      });
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      hub.proc.kill('SIGTERM');
      expect(await closed).toBe(1001);
      expect(await hub.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(hub.output()).toMatch(/stopped/);
    } finally {
      await stopProcess(hub);
      await db.drop();
    }
  });

  test('Ctrl-C in a terminal (SIGINT to the whole process group) lets the hub finish a request in flight, then stops its PostgreSQL, with no warning', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-ctrl-c-'));
    const hub = spawnHub({ HUB_DATA_DIR: dataDir, PORT: '0', HUB_DEMO_DATA: 'false' }, { ownProcessGroup: true });
    let pg: Client | undefined;
    try {
      const [, url] = await hub.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 60_000);
      await hub.waitFor(/ready in/);
      const [, gdToken] = hub.output().match(/^ {2}GD {2}(\S+)$/m)!;
      const [, dbPort] = hub.output().match(/embedded PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//)!;
      const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      // A write held by a lock: in flight when the officer presses Ctrl-C.
      pg = new Client({ host: '127.0.0.1', port: Number(dbPort), user: 'postgres', database: 'gba_hub', password: readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim() });
      await pg.connect();
      await pg.query('begin');
      await pg.query('lock table alert in access exclusive mode');
      const inFlight = post(url, gdToken, CREATE, { input: alertInput({ title: 'written while stopping' }) });
      await new Promise((r) => setTimeout(r, 500));
      // What a terminal does on Ctrl-C: the signal goes to every process of the foreground group.
      process.kill(-hub.proc.pid!, 'SIGINT');
      await hub.waitFor(/SIGINT: stopping/);
      await new Promise((r) => setTimeout(r, 300));
      await pg.query('commit');
      await pg.end();
      pg = undefined;
      // The database was still there for it: the request is answered, not failed.
      expect((await inFlight).data.createAlert.title).toBe('written while stopping');
      expect(await hub.exited).toBe(0);
      expect(hub.output()).toMatch(/stopped/);
      // Shutting down is not a warning: no lost connection, nothing at warn level or above from
      // the signal on (starting without HUB_MATCH_KEY_SECRET is one, in development).
      const stopping = hub.output().slice(hub.output().indexOf('SIGINT: stopping'));
      expect(stopping).toMatch(/stopped/);
      expect(stopping).not.toMatch(/connection lost|"level":(40|50|60)/);
      expect(() => process.kill(postmaster, 0)).toThrow();
    } finally {
      await pg?.end().catch(() => undefined);
      await stopProcess(hub);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  test('npm run demo while the hub runs adds its alerts through the running hub\'s PostgreSQL, and the hub goes on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-demo-beside-'));
    const hub = spawnHub({ HUB_DATA_DIR: dataDir, PORT: '0', HUB_DEMO_DATA: 'false' });
    try {
      const [, url] = await hub.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 60_000);
      await hub.waitFor(/ready in/);
      const [, gdToken] = hub.output().match(/^ {2}GD {2}(\S+)$/m)!;
      const [, dbPort] = hub.output().match(/embedded PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//)!;
      const count = async () => {
        const pg = new Client({ host: '127.0.0.1', port: Number(dbPort), user: 'postgres', database: 'gba_hub', password: readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim() });
        await pg.connect();
        try {
          return (await pg.query('select count(*)::int as n from alert')).rows[0].n as number;
        } finally {
          await pg.end();
        }
      };
      const before = await count();
      const demo = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'scripts', 'demo.js'), '--alerts', '40', '--seed', '7'], {
          env: { ...process.env, DATABASE_URL: undefined, HUB_DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
      expect(demo).toMatchObject({ code: 0 });
      expect(demo.out).toMatch(/the embedded PostgreSQL of the hub running on .* \(process \d+\)/);
      expect(await count()).toBe(before + 40);
      // The hub serves them: GD's own generated alerts are in its list.
      expect((await post(url, gdToken, '{ alerts(first: 0) { totalCount } }')).data.alerts.totalCount).toBeGreaterThan(0);
      expect((await fetch(url.replace('/graphql', '/readyz'))).status).toBe(200);
      hub.proc.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    } finally {
      await stopProcess(hub);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  test('a bad configuration value stops start-up with one line naming the variable', async () => {
    const hub = spawnHub({ PORT: 'eighty', HUB_DATA_DIR: join(tmpdir(), 'unused') });
    expect(await hub.exited).toBe(2);
    expect(hub.output().trim()).toBe('gba-hub: PORT: expected a port number from 0 to 65535, got "eighty"');
  });

  test('a port another program holds stops start-up with one line saying which and what to do', async () => {
    const db = await createTestDatabase();
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      const hub = spawnHub({ DATABASE_URL: db.url, HUB_DEMO_DATA: 'false', PORT: String(port), HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'gba-hub-port-')) });
      expect(await hub.exited).toBe(1);
      const lines = hub.output().trim().split('\n');
      expect(lines.at(-1)).toBe(`gba-hub: port ${port} on 127.0.0.1 is in use by another program: stop it, or start the hub with another PORT`);
      expect(hub.output()).not.toMatch(/EADDRINUSE|\bat .*\(/);
    } finally {
      holder.close();
      await db.drop();
    }
  }, 60_000);

  test('development identity is refused in production', async () => {
    const hub = spawnHub({
      NODE_ENV: 'production',
      HUB_DATA_DIR: join(tmpdir(), 'unused'),
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
      HUB_MATCH_KEY_SECRET: Buffer.alloc(32, 3).toString('base64'),
    });
    expect(await hub.exited).toBe(2);
    expect(hub.output().trim().split('\n')).toHaveLength(1);
    expect(hub.output()).toMatch(/^gba-hub: HUB_TRUST_CONFIG: /);
  });

  test('production refuses to start without HUB_MATCH_KEY_SECRET, or with one too short, in one line that shows no secret', async () => {
    const base = { NODE_ENV: 'production', HUB_DATA_DIR: join(tmpdir(), 'unused'), DATABASE_URL: 'postgres://127.0.0.1:1/none', HUB_TRUST_CONFIG: '/nonexistent/trust.json' };
    const missing = spawnHub(base);
    expect(await missing.exited).toBe(2);
    expect(missing.output().trim().split('\n')).toHaveLength(1);
    expect(missing.output()).toMatch(/^gba-hub: HUB_MATCH_KEY_SECRET: expected base64 of at least 32 random bytes.* in production/);
    const short = Buffer.from('sixteen byte key').toString('base64');
    const tooShort = spawnHub({ ...base, HUB_MATCH_KEY_SECRET: short });
    expect(await tooShort.exited).toBe(2);
    expect(tooShort.output()).toMatch(/^gba-hub: HUB_MATCH_KEY_SECRET: expected .*; this one decodes to 16 bytes\n?$/);
    expect(tooShort.output()).not.toContain(short);
  });
});
