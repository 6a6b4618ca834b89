/*
 * Hostile partners against today's fan-out changes: groups sharing the loading of an alert's
 * rows (sharedAlertLoader), batched rendering (renderMany / loadMany), pipelining in
 * Group.run, prebuilt frames written straight on the TCP socket (textFrames), one keep-alive
 * timer, and the token dropped from connectionParams. Every attack has a positive control.
 */
import WebSocket from 'ws';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { disposeAll, subscribe, until, type Subscriber } from '../support/events';

const SEL = `id title version withheld containerNumbers billOfLading consignor { name } source { reference } operationalNotes distribution { scope agencies { code } }`;
const SUB = `subscription ($filter: AlertFilter, $since: String) { alertEvents(filter: $filter, since: $since) { cursor kind alert { ${SEL} } } }`;
const SUB_SLIM = `subscription { alertEvents { cursor kind alert { id title } } }`;
const OP_ERR = `subscription { operationEvents { cursor operation { id alerts(first: 101) { totalCount } } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { version } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { version } }`;
const LOG = `query ($id: ID!) { alertAccessLog(alertId: $id, first: 100) { edges { node { agency { code } subject via } } } }`;

interface A { id: string; title: string; version: number; secrets: Record<string, string> }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let serial = 0;

/** Opens a cursor with the hub's keys (set once the hub runs): clients cannot read positions. */
let open: (cursor: string) => { tx: bigint; id: bigint };
/** Strictly increasing log positions, opened from the (sealed) cursors. */
function positions(events: any[]): bigint[][] {
  return events.map((e) => {
    const p = open(e.cursor);
    return [p.tx, p.id];
  });
}
function expectStrictlyIncreasing(events: any[], who: string): void {
  const p = positions(events);
  const bad = p.slice(1).filter((q, i) => !(q[0] > p[i][0] || (q[0] === p[i][0] && q[1] > p[i][1])));
  expect({ who, outOfOrder: bad.length, dupCursors: events.length - new Set(events.map((e) => e.cursor)).size }).toEqual({ who, outOfOrder: 0, dupCursors: 0 });
}

/** A raw graphql-transport-ws socket recording every frame as text (and any that is not JSON). */
async function raw(url: string, payload?: Record<string, unknown>, opts: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', opts);
  const r = { socket, messages: [] as any[], corrupt: [] as string[], pings: 0, closed: undefined as unknown as Promise<number> };
  r.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data, isBinary) => {
    try {
      if (isBinary) throw new Error('binary');
      r.messages.push(JSON.parse(String(data)));
    } catch {
      r.corrupt.push(String(data));
    }
  });
  socket.on('ping', () => r.pings++);
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  if (payload) socket.send(JSON.stringify({ type: 'connection_init', payload }));
  return r;
}

describe('hostile partners against the shared fan-out', () => {
  let t: TestHub;
  let gd: string, gdObs: string, hkObs: string, hkObs2: string, hkAnalyst: string, moObs: string, moCoord: string;
  const sockets: WebSocket[] = [];

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
  /** A published Guangdong alert whose classified values are unique to it. */
  async function plant(tag: string, distribution?: Record<string, unknown>): Promise<A> {
    const u = `${tag}Q${++serial}R${Math.floor(Math.random() * 1e6)}`;
    const secrets = { SHIPMENT_IDENTIFIERS: containerNo('HLX', String(600000 + serial)), PARTY_IDENTITY: `Consignor-${u}`, SOURCE: `SRC-${u}`, OPERATIONAL: `Ops-${u}` };
    const input = alertInput({
      title: `Alert ${u}`, containerNumbers: [secrets.SHIPMENT_IDENTIFIERS], billOfLading: `BL-${u}`,
      consignor: { name: secrets.PARTY_IDENTITY, country: 'CN' }, source: { kind: 'tip', reliability: 'B', credibility: 2, reference: secrets.SOURCE },
      operationalNotes: secrets.OPERATIONAL, ...(distribution ? { distribution } : {}),
    });
    const c = (await ok(gd, CREATE, { input })).createAlert;
    const p = (await ok(gd, PUBLISH, { id: c.id, version: c.version })).publishAlert;
    return { id: p.id, title: `Alert ${u}`, version: p.version, secrets };
  }
  async function touch(a: A, title: string): Promise<void> {
    a.version = (await ok(gd, UPDATE, { id: a.id, version: a.version, input: { title } })).updateAlert.version;
    a.title = title;
  }
  async function share(a: A, d: Record<string, unknown>): Promise<void> {
    a.version = (await ok(gd, SHARE, { id: a.id, version: a.version, d })).shareAlert.version;
  }
  /** An ALL_PARTNERS alert touched last: once a subscriber has it, everything before has arrived. */
  async function fence(...subs: Subscriber[]): Promise<void> {
    const f = await plant('fence', { scope: 'ALL_PARTNERS' });
    for (const s of subs) await until(() => s.events().some((e) => e.alert.id === f.id), 'the fence event', 15_000);
  }
  const ids = (s: Subscriber) => s.events().map((e) => e.alert.id);
  const text = (v: unknown) => JSON.stringify(v);

  beforeAll(async () => {
    t = await startTestHub();
    open = (cursor) => t.hub.eventCursors.decode(cursor);
    gd = await t.token('GD', ['ANALYST']);
    gdObs = await t.trust.token('GD', ['OBSERVER'], { sub: 'gd-duty' });
    hkObs = await t.trust.token('HK', ['OBSERVER'], { sub: 'hk-a' });
    hkObs2 = await t.trust.token('HK', ['OBSERVER'], { sub: 'hk-b' });
    hkAnalyst = await t.trust.token('HK', ['ANALYST'], { sub: 'hk-analyst' });
    moObs = await t.trust.token('MO', ['OBSERVER'], { sub: 'mo-a' });
    moCoord = await t.trust.token('MO', ['COORDINATOR'], { sub: 'mo-coord' });
    // HK gets SHIPMENT_IDENTIFIERS by agreement, MO nothing: one alert, two projections.
    await ok(await t.token('GD', ['ADMIN']), `mutation { setSharingAgreement(partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
  });
  afterAll(async () => t.stop());
  afterEach(async () => {
    disposeAll();
    for (const s of sockets.splice(0)) s.terminate();
    await until(() => t.hub.stats().subscriptions === 0, 'no subscription left', 5000);
  });

  // ---- 1. shared loads ------------------------------------------------------------------------

  // A burst of alerts with mixed distributions: GD, HK and MO groups render the same events at
  // once and share row loads; no group may get an alert or a class another group's load held.
  test('a mixed burst: each agency gets exactly its alerts with exactly its classes', async () => {
    const gdS = await subscribe(t, gdObs, SUB);
    const hkS = await subscribe(t, hkObs, SUB);
    const moS = await subscribe(t, moObs, SUB);
    const burst = await Promise.all([
      plant('all', { scope: 'ALL_PARTNERS' }), plant('hkmo', { scope: 'SELECTED_AGENCIES', agencies: ['HK', 'MO'] }),
      plant('hk', { scope: 'SELECTED_AGENCIES', agencies: ['HK'] }), plant('mo', { scope: 'SELECTED_AGENCIES', agencies: ['MO'] }), plant('own'),
    ]);
    const [all, hkmo, hkOnly, moOnly, own] = burst;
    await fence(gdS, hkS, moS);
    const secrets = (a: A, cls: string[]) => cls.map((c) => a.secrets[c]);
    const NON_SHIP = ['PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'];
    expect(new Set(ids(gdS))).toEqual(new Set([...burst.map((a) => a.id), ids(gdS).at(-1)]));
    for (const a of burst) expect(text(gdS.results)).toContain(a.secrets.SOURCE);
    expect(new Set(ids(hkS).slice(0, -1))).toEqual(new Set([all.id, hkmo.id, hkOnly.id]));
    expect(new Set(ids(moS).slice(0, -1))).toEqual(new Set([all.id, hkmo.id, moOnly.id]));
    for (const a of [all, hkmo, hkOnly]) expect(text(hkS.results)).toContain(a.secrets.SHIPMENT_IDENTIFIERS);
    for (const a of burst) for (const s of secrets(a, NON_SHIP)) expect(text(hkS.results)).not.toContain(s);
    for (const a of burst) for (const s of Object.values(a.secrets)) expect(text(moS.results)).not.toContain(s);
    for (const a of [moOnly, own]) expect(text(hkS.results)).not.toContain(a.title);
    for (const a of [hkOnly, own]) expect(text(moS.results)).not.toContain(a.title);
    for (const e of moS.events()) expect(e.alert.containerNumbers).toBeNull();
  });

  // A GD+HK alert updated in a burst alongside an ALL_PARTNERS one while MO (and a filter on a
  // field MO is not granted) subscribes: MO's group must not pick the GD+HK alert out of HK's load.
  test('an alert distributed to HK only, in a burst with a shared one: MO, filtered or not, never gets it', async () => {
    const both = await plant('both', { scope: 'ALL_PARTNERS' });
    const hkOnly = await plant('hkOnly', { scope: 'SELECTED_AGENCIES', agencies: ['HK'] });
    const byContainer = { filter: { containerNumber: hkOnly.secrets.SHIPMENT_IDENTIFIERS } };
    const hkS = await subscribe(t, hkObs, SUB);
    const hkF = await subscribe(t, hkObs, SUB, byContainer);
    const moS = await subscribe(t, moObs, SUB);
    const moF = await subscribe(t, moObs, SUB, { filter: { containerNumber: both.secrets.SHIPMENT_IDENTIFIERS } });
    await Promise.all([
      (async () => { for (let i = 0; i < 5; i++) await touch(hkOnly, `hkOnly ${i}`); })(),
      (async () => { for (let i = 0; i < 5; i++) await touch(both, `both ${i}`); })(),
    ]);
    await fence(hkS, moS);
    await sleep(200);
    expect(ids(hkS).filter((id) => id === hkOnly.id)).toHaveLength(5);
    expect(ids(hkF)).toEqual(Array(5).fill(hkOnly.id)); // positive control: HK's filter on its granted class
    expect(ids(moS).filter((id) => id === both.id)).toHaveLength(5);
    expect(text(moS.results)).not.toContain(hkOnly.id);
    expect(moF.results).toEqual([]); // a filter on a withheld class matches nothing
  });

  // The alert is narrowed to HK in the middle of a burst: MO must get nothing from the
  // narrowing on, whatever another group loaded for the batch's first event.
  test('an alert narrowed away from MO mid-burst: MO gets no event at or after the narrowing', async () => {
    const a = await plant('narrow', { scope: 'ALL_PARTNERS' });
    const hkS = await subscribe(t, hkObs, SUB);
    const moS = await subscribe(t, moObs, SUB);
    const gdS = await subscribe(t, gdObs, SUB);
    for (let i = 0; i < 3; i++) await touch(a, `narrow before ${i}`);
    await share(a, { scope: 'SELECTED_AGENCIES', agencies: ['HK'] });
    for (let i = 0; i < 3; i++) await touch(a, `narrow after ${i}`);
    await fence(hkS, moS, gdS);
    const narrowing = gdS.events().find((e) => e.kind === 'DISTRIBUTION_CHANGED');
    expect(narrowing).toBeDefined();
    const [ntx, nid] = positions([narrowing])[0];
    const late = positions(moS.events().filter((e) => e.alert.id === a.id)).filter(([tx, id]) => tx > ntx || (tx === ntx && id >= nid));
    expect(late).toEqual([]);
    expect(text(moS.results)).not.toContain('narrow after');
    expect(ids(hkS).filter((id) => id === a.id)).toHaveLength(7); // positive control
  });

  // Several groups render overlapping batches of rapid updates: a batch must not be shown with
  // rows another group loaded before the batch's later events were written (stale shared load).
  test('every event shows its alert at least as new as the event itself, in every group', async () => {
    const alerts = await Promise.all([0, 1, 2, 3].map((j) => plant(`fresh${j}`, { scope: 'ALL_PARTNERS' })));
    const subs = [
      await subscribe(t, gdObs, SUB), await subscribe(t, hkObs, SUB), await subscribe(t, hkAnalyst, SUB),
      await subscribe(t, moObs, SUB), await subscribe(t, moCoord, SUB), await subscribe(t, hkObs, SUB_SLIM),
    ];
    const ROUNDS = 12;
    await Promise.all(alerts.map(async (a, j) => { for (let r = 1; r <= ROUNDS; r++) await touch(a, `fresh${j} round ${r}`); }));
    await fence(...subs);
    const stale: string[] = [];
    subs.forEach((s, n) => alerts.forEach((a, j) => {
      const evs = s.events().filter((e) => e.alert.id === a.id);
      expect(evs).toHaveLength(ROUNDS);
      evs.forEach((e, k) => {
        const shown = Number(/round (\d+)$/.exec(e.alert.title)![1]);
        if (shown < k + 1) stale.push(`sub ${n} alert ${j}: event ${k + 1} shows round ${shown}`);
      });
    }));
    expect(stale).toEqual([]);
  });

  // ---- 2. batches -----------------------------------------------------------------------------

  // 30 alerts published at once, a third visible to MO: MO gets exactly those, once each, in
  // the log order GD sees; HK (two officers, one group) gets its share; the access log names each.
  test('a burst mixing visible and invisible alerts: exact, ordered, unduplicated, and logged per subject', async () => {
    const gdS = await subscribe(t, gdObs, SUB);
    const hkA = await subscribe(t, hkObs, SUB);
    const hkB = await subscribe(t, hkObs2, SUB);
    const moS = await subscribe(t, moObs, SUB);
    const dist = (i: number) => [{ scope: 'SELECTED_AGENCIES', agencies: ['MO'] }, { scope: 'SELECTED_AGENCIES', agencies: ['HK'] }, undefined][i % 3];
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => plant(`mix${i}`, dist(i))));
    await fence(gdS, hkA, hkB, moS);
    const inBurst = (s: Subscriber, keep: Set<string>) => s.events().filter((e) => keep.has(e.alert.id));
    const moSet = new Set(burst.filter((_, i) => i % 3 === 0).map((a) => a.id));
    const hkSet = new Set(burst.filter((_, i) => i % 3 === 1).map((a) => a.id));
    expect(inBurst(moS, moSet).map((e) => e.cursor)).toEqual(inBurst(gdS, moSet).map((e) => e.cursor));
    expect(inBurst(moS, moSet)).toHaveLength(10);
    expect(moS.events().filter((e) => !moSet.has(e.alert.id))).toHaveLength(1); // the fence only
    for (const s of [hkA, hkB]) {
      expect(inBurst(s, hkSet).map((e) => e.cursor)).toEqual(inBurst(gdS, hkSet).map((e) => e.cursor));
      expect(s.events()).toHaveLength(11);
      expectStrictlyIncreasing(s.events(), 'HK');
    }
    expectStrictlyIncreasing(moS.events(), 'MO');
    const logs = async (a: A) => (await ok(gd, LOG, { id: a.id })).alertAccessLog.edges.map((e: any) => `${e.node.agency.code}:${e.node.subject}:${e.node.via}`).sort();
    expect(await logs(burst[1])).toEqual(['HK:hk-a:subscription', 'HK:hk-b:subscription']);
    expect(await logs(burst[0])).toEqual(['MO:mo-a:subscription']);
    expect(await logs(burst[2])).toEqual([]);
  });

  // One alert updated five times in one burst: five events, five cursors, in order, each kept
  // apart although the batch loads the alert once.
  test('the same alert updated several times within a burst: every event, its own cursor, in order', async () => {
    const a = await plant('repeat', { scope: 'ALL_PARTNERS' });
    const hkS = await subscribe(t, hkObs, SUB);
    const moS = await subscribe(t, moObs, SUB);
    // Sequential commits, no awaiting of the feed in between: they reach the groups together.
    for (let i = 0; i < 5; i++) await touch(a, `repeat ${i}`);
    await fence(hkS, moS);
    for (const s of [hkS, moS]) {
      const evs = s.events().filter((e) => e.alert.id === a.id);
      expect(evs.map((e) => e.kind)).toEqual(Array(5).fill('UPDATED'));
      expectStrictlyIncreasing(evs, 'repeat');
      expect(evs.at(-1).alert.title).toBe('repeat 4');
    }
  });

  // ---- 3. pipelining and resume -----------------------------------------------------------------

  // 50 events written as fast as possible, a third invisible to MO: no gap, no duplicate, order
  // kept while one batch renders as another is written; a `since` resume mid-stream agrees.
  test('50 rapid events: no gap, duplicate or reorder per subscriber; a since-resume mid-stream agrees', async () => {
    const pub = await plant('rapidPub', { scope: 'ALL_PARTNERS' });
    const hid = await plant('rapidHid', { scope: 'SELECTED_AGENCIES', agencies: ['HK'] });
    const gdS = await subscribe(t, gdObs, SUB);
    const moS = await subscribe(t, moObs, SUB);
    const moSlim = await subscribe(t, moObs, SUB_SLIM);
    let resumed: Subscriber | undefined;
    const writes = Promise.all([
      (async () => { for (let i = 0; i < 34; i++) await touch(pub, `rapid pub ${i}`); })(),
      (async () => { for (let i = 0; i < 16; i++) await touch(hid, `rapid hid ${i}`); })(),
      (async () => {
        await until(() => moS.events().length >= 10, 'ten events to MO');
        resumed = await subscribe(t, moObs, SUB, { since: moS.events()[4].cursor });
      })(),
    ]);
    await writes;
    await fence(gdS, moS, moSlim, resumed!);
    const pubEvents = gdS.events().filter((e) => e.alert.id === pub.id).map((e) => e.cursor);
    expect(pubEvents).toHaveLength(34);
    expect(moS.events().filter((e) => e.alert.id === pub.id).map((e) => e.cursor)).toEqual(pubEvents);
    expect(moSlim.events().filter((e) => e.alert.id === pub.id).map((e) => e.cursor)).toEqual(pubEvents);
    expect(text(moS.results) + text(moSlim.results)).not.toContain(hid.id);
    expect(resumed!.events().map((e) => e.cursor)).toEqual(moS.events().slice(5).map((e) => e.cursor));
    expect(gdS.events().filter((e) => e.alert.id === hid.id)).toHaveLength(16);
  });

  // ---- 4. frames on the TCP socket ----------------------------------------------------------------

  // One socket, three subscriptions (two alert documents written as prebuilt frames, one
  // operation document whose results are field errors through graphql-ws), one completed
  // mid-stream: every frame parses, each id's events are in order, nothing after `complete`.
  test('interleaved shared frames, an error result and a completion on one socket stay whole and ordered', async () => {
    const a = await plant('frames', { scope: 'ALL_PARTNERS' });
    const r = await raw(t.wsUrl, { authorization: `Bearer ${hkObs}` });
    sockets.push(r.socket);
    await until(() => r.messages.some((m) => m.type === 'connection_ack'), 'ack');
    await t.quiesce();
    const before = t.hub.stats().subscriptions;
    r.socket.send(JSON.stringify({ id: 'full', type: 'subscribe', payload: { query: SUB } }));
    r.socket.send(JSON.stringify({ id: 'slim', type: 'subscribe', payload: { query: SUB_SLIM } }));
    r.socket.send(JSON.stringify({ id: 'err', type: 'subscribe', payload: { query: OP_ERR } }));
    await until(() => t.hub.stats().subscriptions >= before + 3, 'three subscriptions');
    const op = (await ok(await t.token('GD', ['COORDINATOR']), `mutation { createJointOperation(input: { codeName: "Frame Test", objective: "o", participants: ["HK"], startsOn: "${new Date().toISOString()}" }) { id } }`)).createJointOperation;
    for (let i = 0; i < 10; i++) await touch(a, `frames ${i}`);
    await until(() => r.messages.filter((m) => m.id === 'slim').length >= 10, 'ten slim events');
    r.socket.send(JSON.stringify({ id: 'slim', type: 'complete' }));
    await sleep(100);
    const slimSoFar = r.messages.filter((m) => m.id === 'slim').length;
    for (let i = 10; i < 20; i++) await touch(a, `frames ${i}`);
    // Twenty events, one per update: titles may repeat (see below), so the last title alone is no count.
    await until(() => r.messages.filter((m) => m.id === 'full' && m.type === 'next').length >= 20, 'the last full event');
    await sleep(200);
    expect(r.corrupt).toEqual([]);
    const titles = (id: string) => r.messages.filter((m) => m.id === id && m.type === 'next').map((m) => m.payload.data.alertEvents.alert.title as string);
    // One event per update, in log order. Each shows the alert as it is when rendered: an
    // update that commits before the previous one's event is rendered shows in both, so
    // titles may repeat, but they never go back and the last is the last update.
    const frameNumbers = (id: string) => titles(id).map((title) => Number(/^frames (\d+)$/.exec(title)![1]));
    const full = frameNumbers('full');
    expect(full).toHaveLength(20);
    expect(full).toEqual([...full].sort((x, y) => x - y));
    expect(full[19]).toBe(19);
    const slim = frameNumbers('slim');
    expect(slim).toHaveLength(slimSoFar);
    expect(slim).toEqual([...slim].sort((x, y) => x - y));
    expect(slimSoFar).toBeLessThan(20);
    // The cursors, one per event, are all different and in order.
    const cursors = r.messages.filter((m) => m.id === 'full' && m.type === 'next').map((m) => m.payload.data.alertEvents.cursor as string);
    expect(new Set(cursors).size).toBe(20);
    const opened = positions(cursors.map((cursor) => ({ cursor })));
    opened.slice(1).forEach(([tx, id], k) => expect(tx > opened[k][0] || (tx === opened[k][0] && id > opened[k][1])).toBe(true));
    const err = r.messages.filter((m) => m.id === 'err');
    expect(op.id).toBeDefined();
    expect(err.length).toBeGreaterThan(0);
    expect(err[0].payload.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(text(r.messages)).not.toMatch(/INTERNAL_SERVER_ERROR|\\u0000/);
  });

  // Subscription ids a client chooses freely end up inside every prebuilt frame: quotes,
  // non-ASCII, and one so long that each frame needs the 64-bit length form; a reused id
  // after `complete` must not receive the old subscription's frames.
  test('hostile subscription ids: escaped, multi-byte, 64-bit-length frames, and a reused id', async () => {
    const a = await plant('ids', { scope: 'ALL_PARTNERS' });
    const r = await raw(t.wsUrl, { authorization: `Bearer ${moObs}` });
    sockets.push(r.socket);
    await until(() => r.messages.some((m) => m.type === 'connection_ack'), 'ack');
    await t.quiesce();
    const weird = ['q"u\\o\u2028te', '观察-🚢', 'x'.repeat(70_000)];
    const before = t.hub.stats().subscriptions;
    for (const id of weird) r.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SUB_SLIM } }));
    await until(() => t.hub.stats().subscriptions >= before + 3, 'held');
    await touch(a, 'ids 0');
    await until(() => r.messages.filter((m) => m.type === 'next').length >= 3, 'three frames');
    r.socket.send(JSON.stringify({ id: weird[1], type: 'complete' }));
    await until(() => t.hub.stats().subscriptions === before + 2, 'completed');
    r.socket.send(JSON.stringify({ id: weird[1], type: 'subscribe', payload: { query: SUB } }));
    await until(() => t.hub.stats().subscriptions === before + 3, 'resubscribed');
    await touch(a, 'ids 1');
    await until(() => r.messages.filter((m) => m.type === 'next').length >= 6, 'six frames');
    await sleep(200);
    expect(r.corrupt).toEqual([]);
    for (const id of weird) {
      const got = r.messages.filter((m) => m.id === id).map((m) => `${m.type}:${m.payload.data.alertEvents.alert.title}:${'version' in m.payload.data.alertEvents.alert}`);
      expect({ id: id.slice(0, 20), got }).toEqual({ id: id.slice(0, 20), got: ['next:ids 0:false', `next:ids 1:${id === weird[1]}`] });
    }
  });

  // ---- 5. connection handshake, expiry and keep-alive ---------------------------------------------

  // A second connection_init, even with another agency's token, must be refused with 4429.
  test('a second connection_init (with a GD token) closes the socket 4429; the socket stays HK', async () => {
    const r = await raw(t.wsUrl, { authorization: `Bearer ${hkObs}` });
    sockets.push(r.socket);
    await until(() => r.messages.some((m) => m.type === 'connection_ack'), 'ack');
    r.socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${gd}` } }));
    expect(await r.closed).toBe(4429);
    expect(r.messages.filter((m) => m.type === 'connection_ack')).toHaveLength(1);
  });

  // No connection_init at all: a subscribe is 4401, and an idle socket is cut by the init timeout.
  test('a socket that never sends connection_init gets nothing and is closed', async () => {
    const own = await plant('noInit', { scope: 'ALL_PARTNERS' });
    const idle = await raw(t.wsUrl);
    const eager = await raw(t.wsUrl);
    sockets.push(idle.socket, eager.socket);
    eager.socket.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: SUB } }));
    expect(await eager.closed).toBe(4401);
    await touch(own, 'noInit touched');
    expect(await idle.closed).toBe(4408);
    expect(idle.messages).toEqual([]);
    expect(eager.messages).toEqual([]);
  });

  // A token already expired (but within the verifier's clock tolerance) or expiring while the
  // socket is idle: a subscribe after expiry gets no event and the socket closes 4403.
  test('subscribing after the token expired: 4403 and no event', async () => {
    for (const expiresIn of [-20, 1]) {
      const token = await t.trust.token('HK', ['OBSERVER'], { sub: `hk-expiring${expiresIn}`, expiresIn });
      const r = await raw(t.wsUrl, { authorization: `Bearer ${token}` });
      sockets.push(r.socket);
      await until(() => r.messages.length > 0 || r.socket.readyState !== WebSocket.OPEN, 'an answer');
      if (expiresIn > 0) await sleep(1200);
      if (r.socket.readyState === WebSocket.OPEN) r.socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUB } }));
      await plant('afterExpiry', { scope: 'ALL_PARTNERS' });
      expect({ expiresIn, code: await r.closed }).toEqual({ expiresIn, code: 4403 });
      expect(r.messages.filter((m) => m.type !== 'connection_ack')).toEqual([]);
    }
  });

  // With HUB_WS_KEEPALIVE_SECONDS=1 every socket is pinged; one that never answers is cut
  // within two periods, one that answers stays up and keeps its events.
  test('one keep-alive timer: a silent peer is cut, an answering one is kept', async () => {
    const k = await startTestHub({ env: { HUB_WS_KEEPALIVE_SECONDS: '1' } });
    try {
      const token = await k.trust.token('HK', ['OBSERVER']);
      const silent = await raw(k.wsUrl, { authorization: `Bearer ${token}` }, { autoPong: false });
      const alive = await raw(k.wsUrl, { authorization: `Bearer ${token}` });
      sockets.push(silent.socket, alive.socket);
      const started = Date.now();
      expect(await silent.closed).toBe(1006);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(silent.pings).toBeGreaterThan(0);
      await sleep(1500);
      expect(alive.socket.readyState).toBe(WebSocket.OPEN);
      expect(alive.pings).toBeGreaterThan(1);
    } finally {
      await k.stop();
    }
  });
});
