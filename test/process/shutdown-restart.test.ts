import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { spawnHub, type HubProcess } from '../support/process';
import { until } from '../support/events';

/*
 * The hub as a process on its embedded PostgreSQL, at the edges of its life: a shutdown that a
 * client tries to hold up, the hub killed outright, its database killed under it. One data
 * directory for the file: the first start initialises it, the others reuse it.
 */

const COUNT = '{ alerts(first: 1) { totalCount } }';

/** The process runs (a zombie, exited and not yet reaped by its new parent, does not). */
function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 12 s; resolves when the process has ended. */
async function stopProcess(p: HubProcess): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  p.proc.kill('SIGTERM');
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), 12_000);
  await p.exited;
  clearTimeout(timer);
}

describe('the hub on its embedded PostgreSQL, stopped and killed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-life-'));
  const env = { HUB_DATA_DIR: dataDir, PORT: '0', HUB_DEMO_DATA: 'false' };
  const spawned: HubProcess[] = [];
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

  async function start(): Promise<{ hub: HubProcess; url: string; token: string; dbPort: number }> {
    const hub = spawnHub(env);
    spawned.push(hub);
    const [, url] = await hub.waitFor(/GraphQL over HTTP and WebSocket: (\S+)/, 90_000);
    await hub.waitFor(/ready in/);
    const [, token] = hub.output().match(/^ {2}GD {2}(\S+)$/m)!;
    const [, dbPort] = hub.output().match(/embedded PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//)!;
    return { hub, url, token, dbPort: Number(dbPort) };
  }

  const post = (url: string, token: string, query: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });

  afterEach(async () => {
    await Promise.all(spawned.splice(0).map((p) => stopProcess(p)));
  });
  afterAll(async () => {
    // Nothing of ours may stay behind: a postmaster a failed test left gets a fast shutdown.
    try {
      const pid = postmasterPid();
      if (alive(pid)) process.kill(pid, 'SIGINT');
      await until(() => !alive(pid), 'the postmaster to stop', 15_000);
    } catch {
      // no postmaster.pid: nothing runs
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM: a client that stopped reading is cut off, a request in flight is answered, new ones get 503, the database stops, exit 0', async () => {
    const { hub, url, token, dbPort } = await start();
    const postmaster = postmasterPid();

    // A subscriber whose client then stops reading: the close handshake can never complete.
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const acked = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') resolve();
      });
      socket.on('error', reject);
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await acked;
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { alertEvents { kind } }' } }));
    await new Promise((r) => setTimeout(r, 300));
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();

    // A request made slow by a lock this test holds: read by the hub before the stop begins.
    const sql = new Client({ host: '127.0.0.1', port: dbPort, user: 'postgres', database: 'gba_hub', password: readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim() });
    // Its session ends when the hub stops the database.
    sql.on('error', () => undefined);
    await sql.connect();
    let slow: Promise<Response>;
    try {
      await sql.query('begin');
      await sql.query('lock table alert in access exclusive mode');
      slow = post(url, token, COUNT);
      await until(async () => (await sql.query(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = 'gba_hub'`)).rowCount! > 0, 'the request to wait on the lock');

      const started = Date.now();
      hub.proc.kill('SIGTERM');
      await hub.waitFor(/SIGTERM: stopping/);
      const refused = await post(url, token, COUNT);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect((await fetch(url.replace('/graphql', '/readyz'))).status).toBe(503);

      await sql.query('commit');
      await sql.end();
      const answered = await slow;
      expect(answered.status).toBe(200);
      expect(((await answered.json()) as any).data.alerts.totalCount).toEqual(expect.any(Number));

      expect(await hub.exited).toBe(0);
      // Two seconds' grace for the socket; well under the 9.5 s limit past which the hub gives up.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await sql.end().catch(() => undefined);
      socket.terminate();
    }
    expect(hub.output()).toMatch(/stopped/);
    await until(() => !alive(postmaster), 'the embedded PostgreSQL to be gone', 5_000);
  }, 150_000);

  test('after the hub is killed outright, the next start stops the PostgreSQL it left behind and comes up', async () => {
    const first = await start();
    const orphan = postmasterPid();
    first.hub.proc.kill('SIGKILL');
    await first.hub.exited;
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(orphan)).toBe(true);

    const second = await start();
    expect(second.hub.output()).toContain(`stopping the embedded PostgreSQL (process ${orphan}) an earlier run of the hub left running`);
    expect(alive(orphan)).toBe(false);
    const res = await post(second.url, second.token, COUNT);
    expect(res.status).toBe(200);
  }, 150_000);

  test('a data directory in use by a running hub stops a second hub with one line saying what to do', async () => {
    const first = await start();
    const second = spawnHub(env);
    spawned.push(second);
    expect(await second.exited).toBe(1);
    const lines = second.output().trim().split('\n').filter((l) => l.startsWith('gba-hub:') && !/starting embedded/.test(l));
    expect(lines).toEqual([expect.stringMatching(/^gba-hub: .* is in use by another hub \(process \d+\) running on the same data directory: stop it, or give this hub another HUB_DATA_DIR$/)]);
    // The first one is untouched.
    expect((await post(first.url, first.token, COUNT)).status).toBe(200);
  }, 150_000);

  test('the embedded PostgreSQL killed under a running hub is restarted, and readiness recovers by itself', async () => {
    const { hub, url, token } = await start();
    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');
    await until(async () => (await fetch(url.replace('/graphql', '/readyz'))).status === 503, 'readiness to drop', 15_000);
    await until(async () => (await fetch(url.replace('/graphql', '/readyz'))).status === 200, 'readiness to come back', 45_000);
    expect(postmasterPid()).not.toBe(killed);
    expect(hub.output()).toMatch(/embedded PostgreSQL restarted/);
    const res = await post(url, token, COUNT);
    expect(res.status).toBe(200);
    const restarted = postmasterPid();
    hub.proc.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    await until(() => !alive(restarted), 'the restarted PostgreSQL to be gone', 5_000);
  }, 150_000);
});
