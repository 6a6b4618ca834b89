import WebSocket from 'ws';
import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { subscribe, until } from '../support/events';

/*
 * The socket's own rules: the same parsing limits, validation and introspection policy as
 * HTTP, a cap on subscriptions per socket, the Origin allow-list at the upgrade, and slow
 * clients cut off (not buffered for ever) with a code that says to resume.
 */

const ALLOWED = 'https://duty.customs.example';

/** A raw graphql-transport-ws socket, for what a library client would not do. */
async function rawSocket(url: string, token: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await until(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack');
  return { socket, messages, closed };
}

/** The status a refused upgrade answers with (or 101 when it opens). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}

describe('socket rules', () => {
  let t: TestHub;
  let hk: string;
  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_ALLOWED_ORIGINS: ALLOWED, HUB_WS_MAX_SUBSCRIPTIONS: '2', HUB_WS_QUEUE_LIMIT: '5', HUB_INTROSPECTION: 'false' } });
    hk = await t.token('HK', ['OBSERVER']);
  });
  afterAll(() => t.stop());

  /** Sends one operation over a fresh raw socket and returns the first answer for it. */
  async function overSocket(query: string) {
    const { socket, messages } = await rawSocket(t.wsUrl, hk);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    await until(() => messages.some((m) => m.id === '1'), 'an answer');
    socket.close();
    return messages.find((m) => m.id === '1');
  }

  test('over-limit documents and introspection are refused over the socket as over HTTP, and a good one passes', async () => {
    const aliases = `subscription { alertEvents { ${Array.from({ length: 101 }, (_, i) => `a${i}: cursor`).join(' ')} } }`;
    const deep = `fragment F on JointOperation { alerts { edges { node { distribution { operation { alerts { edges { node { distribution { operation { id } } } } } } } } } } }
      subscription { operationEvents { operation { ...F } } }`;
    const tokens = `subscription { alertEvents { ${'cursor '.repeat(6000)} } }`;
    for (const [name, query] of [
      ['101 aliases', aliases],
      ['depth beyond the limit, hidden in a fragment', deep],
      ['too many tokens', tokens],
      ['__schema', '{ __schema { types { name } } }'],
      ['__type in a subscription', 'subscription { alertEvents { cursor __type(name: "Alert") { name } } }'],
    ]) {
      const answer = await overSocket(query);
      expect({ name, type: answer.type, code: answer.payload[0]?.extensions?.code }).toEqual({
        name,
        type: 'error',
        code: name === 'too many tokens' ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED',
      });
      const http = await t.gql(hk, query.replace(/^subscription/, 'query').replace('alertEvents', 'alerts(first: 1)'));
      expect({ name, status: http.status, code: http.body.errors?.[0]?.extensions?.code }).toMatchObject({ name, code: expect.stringMatching(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/) });
    }
    const good = await overSocket('{ viewer { agency { code } } }');
    expect(good).toMatchObject({ type: 'next', payload: { data: { viewer: { agency: { code: 'HK' } } } } });
  });

  test('a socket holds at most HUB_WS_MAX_SUBSCRIPTIONS subscriptions; completing one frees a place', async () => {
    const { socket, messages } = await rawSocket(t.wsUrl, hk);
    const sub = (id: string) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { alertEvents { cursor } }' } }));
    sub('a');
    sub('b');
    sub('c');
    await until(() => messages.some((m) => m.id === 'c'), 'an answer to the third');
    expect(messages.find((m) => m.id === 'c')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(messages.filter((m) => m.id === 'a' || m.id === 'b')).toEqual([]);
    socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    await until(() => t.hub.stats().subscriptions === 1, 'one subscription left');
    sub('d');
    await until(() => t.hub.stats().subscriptions === 2, 'the new one held');
    expect(messages.filter((m) => m.id === 'd')).toEqual([]);
    socket.close();
    await until(() => t.hub.stats().subscriptions === 0, 'the socket’s subscriptions to end');
  });

  test('the upgrade checks the Origin allow-list and the path', async () => {
    const token = { authorization: `Bearer ${hk}` };
    expect(await upgradeStatus(t.wsUrl, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(t.wsUrl, { origin: 'null' })).toBe(403);
    expect(await upgradeStatus(t.wsUrl, { origin: `${ALLOWED}.evil.example` })).toBe(403);
    expect(await upgradeStatus(t.wsUrl, { origin: ALLOWED, ...token })).toBe(101);
    // Servers and command-line clients send no Origin.
    expect(await upgradeStatus(t.wsUrl, {})).toBe(101);
    expect(await upgradeStatus(t.wsUrl.replace('/graphql', '/other'), {})).toBe(404);
  });

  test('a client that stops reading is cut off with 4013, not buffered for ever', async () => {
    const gd = await t.token('GD');
    const created = (await t.gql(gd, CREATE, { input: alertInput({ summary: 'x'.repeat(4000), distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    const alert = (await t.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
    const { socket, messages, closed } = await rawSocket(t.wsUrl, hk);
    // About 100 KB per event: the kernel's socket buffers fill after a few dozen.
    const big = Array.from({ length: 25 }, (_, i) => `s${i}: summary`).join(' ');
    socket.send(JSON.stringify({ id: 'slow', type: 'subscribe', payload: { query: `subscription { alertEvents { cursor alert { ${big} } } }` } }));
    await until(() => t.hub.stats().subscriptions === 1, 'the subscription');
    socket.pause();

    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      await sql.query(`insert into hub_event (stream, kind, alert_id) select 'alert', 'UPDATED', $1 from generate_series(1, 300)`, [alert.id]);
    } finally {
      await sql.end();
    }
    await until(() => t.hub.stats().slowConsumersClosed === 1, 'the hub to give up on the slow client', 30_000);
    // The hub holds nothing more for it.
    await until(() => t.hub.stats().subscriptions === 0, 'its subscription to end');
    socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(4013);
    expect(reason).toMatch(/since/);
    const received = messages.filter((m) => m.type === 'next').length;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(300);
  });
});

describe('keep-alive', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_WS_KEEPALIVE_SECONDS: '1' } });
  });
  afterAll(() => t.stop());

  /** A socket that answers pings (or not), counting the pings it got and noting when it closed. */
  async function keepAliveSocket(autoPong: boolean) {
    const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws', { autoPong });
    const seen = { pings: 0, closedAt: 0 };
    socket.on('ping', () => seen.pings++);
    socket.on('close', () => (seen.closedAt = Date.now()));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await t.token('HK', ['OBSERVER'])}` } }));
    return { socket, seen };
  }

  test('a socket that answers pings stays open; one that does not is cut within two periods', async () => {
    const opened = Date.now();
    const [live, silent] = await Promise.all([keepAliveSocket(true), keepAliveSocket(false)]);
    await until(() => silent.seen.closedAt > 0, 'the hub to cut the silent socket', 5_000);
    expect(silent.seen.closedAt - opened).toBeLessThan(3_000);
    // It was pinged, and cut for not answering, not at once.
    expect(silent.seen.pings).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    expect(live.seen.pings).toBeGreaterThanOrEqual(2);
    live.socket.close();
  });
});
