/*
 * Hostile partners and careless clients against passes that later batches join
 * (Group.run / startRenders / takeReady, Member.deliverBatch, textFrames and the socket
 * budget's write). A tiny HUB_WS_WRITE_SLICE stretches every pass over many turns of the event
 * loop; events are written by several pg clients in separate transactions in quick succession,
 * so batches render ahead and join passes under way while members subscribe, resume, complete,
 * drop their sockets, stop reading, and distributions narrow.
 *
 * Every member is a raw graphql-transport-ws subscription, so each frame the hub writes is seen
 * exactly as sent (a library client could hide a duplicate or a frame for a completed id).
 * What each member got is compared with the log order from SQL (`order by tx, id`).
 */
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { until } from '../support/events';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { version } }`;

/** One raw graphql-transport-ws socket: every `next` per subscription id, in arrival order. */
interface Raw {
  socket: WebSocket;
  /** Per subscription id, the `next` payloads (with the arrival sequence number). */
  next: Map<string, { seq: number; payload: any }[]>;
  /** Any `error` message, any non-JSON frame, any `next` whose payload has errors. */
  problems: string[];
  /** Arrival sequence numbers of `pong` messages. */
  pongs: number[];
  seq: number;
  closed: Promise<{ code: number; reason: string }>;
  send(message: Record<string, unknown>): void;
}

async function openRaw(t: TestHub, token: string): Promise<Raw> {
  const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
  const r: Raw = {
    socket,
    next: new Map(),
    problems: [],
    pongs: [],
    seq: 0,
    closed: new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }))),
    send: (m) => socket.send(JSON.stringify(m)),
  };
  let acked = false;
  socket.on('message', (data, isBinary) => {
    const seq = ++r.seq;
    let m: any;
    try {
      if (isBinary) throw new Error('binary');
      m = JSON.parse(String(data));
    } catch {
      r.problems.push(`corrupt frame: ${String(data).slice(0, 200)}`);
      return;
    }
    if (m.type === 'connection_ack') acked = true;
    else if (m.type === 'pong') r.pongs.push(seq);
    else if (m.type === 'next') {
      if (m.payload?.errors) r.problems.push(`errors for ${m.id}: ${JSON.stringify(m.payload.errors)}`);
      let list = r.next.get(m.id);
      if (!list) r.next.set(m.id, (list = []));
      list.push({ seq, payload: m.payload });
    } else if (m.type === 'error') r.problems.push(`error for ${m.id}: ${JSON.stringify(m.payload)}`);
  });
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  r.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  await until(() => acked, 'connection_ack');
  return r;
}

/** Sends `n` subscribes of one document (ids `${prefix}${k}`), without waiting; returns the ids. */
function subscribeMany(r: Raw, prefix: string, n: number, query: string, variables: Record<string, unknown> = {}): string[] {
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const id = `${prefix}${k}`;
    ids.push(id);
    r.send({ id, type: 'subscribe', payload: { query, variables } });
  }
  return ids;
}

/** The `alertEvents` objects a subscription got, in arrival order. */
const eventsOf = (r: Raw, id: string): any[] => (r.next.get(id) ?? []).filter((m) => !m.payload.errors).map((m) => m.payload.data.alertEvents);
const cursorsOf = (r: Raw, id: string, alertIds?: Set<string>): string[] =>
  eventsOf(r, id)
    .filter((e) => !alertIds || alertIds.has(e.alert.id))
    .map((e) => e.cursor);

interface LogRow {
  cursor: string;
  kind: string;
  alertId: string;
  tx: bigint;
  id: bigint;
}

async function logOf(t: TestHub, sql: PgClient, alertIds: string[]): Promise<LogRow[]> {
  // Ordered by the columns, not by their text (an alias `tx` would sort '1002' before '932').
  const rows = (await sql.query(`select e.tx::text as tx, e.id::text as id, e.kind, e.alert_id::text as alert_id from hub_event e where e.alert_id = any($1) order by e.tx, e.id`, [alertIds])).rows;
  return rows.map((r) => ({ tx: BigInt(r.tx), id: BigInt(r.id), kind: r.kind, alertId: r.alert_id, cursor: t.hub.eventCursors.encode({ tx: BigInt(r.tx), id: BigInt(r.id) }) }));
}

/** Several writers, each its own pg connection, inserting events in separate transactions. */
async function openWriters(t: TestHub, n = 3): Promise<PgClient[]> {
  const writers = Array.from({ length: n }, () => new PgClient({ connectionString: t.db.url }));
  await Promise.all(writers.map((w) => w.connect()));
  return writers;
}
const insert = (w: PgClient, alertId: string) => w.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [alertId]);

/**
 * Rounds of one insert per writer, side by side, with a pause of a few ms between rounds: each
 * round's events arrive while the previous rounds' passes are being written, and join them.
 */
async function stream(writers: PgClient[], rounds: number, alertFor: (round: number, writer: number) => string, onRound?: (round: number) => void | Promise<void>): Promise<void> {
  for (let k = 0; k < rounds; k++) {
    await Promise.all(writers.map((w, j) => insert(w, alertFor(k, j))));
    if (onRound) await onRound(k);
    await sleep(2 + (k % 4));
  }
}

/** Every problem seen on any socket (must be none). */
const problems = (sockets: Raw[]) => sockets.flatMap((s) => s.problems);

/** For a failing expectation, a short description instead of thousands of cursors. */
function compare(got: string[], want: string[]): string {
  if (got.length === want.length && got.every((c, i) => c === want[i])) return 'same';
  const dups = got.length - new Set(got).size;
  const at = got.findIndex((c, i) => c !== want[i]);
  return `got ${got.length}, want ${want.length}, duplicates ${dups}, first difference at ${at}`;
}

/** Strictly increasing in log order, and only cursors of `log`. */
function inLogOrder(got: string[], log: string[]): string {
  const index = new Map(log.map((c, i) => [c, i]));
  let last = -1;
  for (const c of got) {
    const i = index.get(c);
    if (i === undefined) return `cursor not in the log: ${c}`;
    if (i <= last) return `out of order or duplicated at log index ${i} after ${last}`;
    last = i;
  }
  return 'ok';
}

describe('hostile clients against joined passes (write slice 1)', () => {
  let t: TestHub;
  let sql: PgClient;
  let gd: string;
  const sockets: Raw[] = [];
  let serial = 0;

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
  /** A published GD alert with a container number and consignor unique to it. */
  async function plant(tag: string, distribution?: Record<string, unknown>) {
    const n = ++serial;
    const container = containerNo('HPX', String(700000 + n));
    const consignor = `Consignor-${tag}-${n}-${Math.floor(Math.random() * 1e6)}`;
    const input = alertInput({ title: `${tag} ${n}`, containerNumbers: [container], consignor: { name: consignor, country: 'CN' }, ...(distribution ? { distribution } : {}) });
    const c = (await ok(gd, CREATE, { input })).createAlert;
    const p = (await ok(gd, PUBLISH, { id: c.id, version: c.version })).publishAlert;
    return { id: p.id as string, version: p.version as number, container, consignor };
  }
  async function open(agency: string, roles: string[], sub: string): Promise<Raw> {
    const r = await openRaw(t, await t.trust.token(agency, roles, { sub }));
    sockets.push(r);
    return r;
  }
  const held = (n: number, what: string) => until(() => t.hub.stats().subscriptions === n, `${what} (have ${t.hub.stats().subscriptions}, want ${n})`);

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_WS_WRITE_SLICE: '1' } });
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
    gd = await t.token('GD', ['ANALYST']);
    // HK may see shipment identifiers by agreement; MO has no agreement: the same event, two projections.
    await ok(await t.token('GD', ['ADMIN']), `mutation { setSharingAgreement(partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.socket.terminate();
    await until(() => t.hub.stats().subscriptions === 0, 'no subscription left', 5000);
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  const DOC = `subscription { alertEvents { cursor kind alert { id consignor { name } containerNumbers withheld } } }`;

  test('narrowing a distribution while HK batches render ahead and join passes: nothing at or after the narrowing reaches HK; MO gets every event once, in order', async () => {
    const x = await plant('narrowed', { scope: 'ALL_PARTNERS' });
    const y = await plant('control', { scope: 'ALL_PARTNERS' });
    await t.quiesce();
    const skip = (await logOf(t, sql, [x.id, y.id])).length;
    const hk: Raw[] = [];
    const mo: Raw[] = [];
    for (let k = 0; k < 4; k++) hk.push(await open('HK', ['OBSERVER'], `hk-narrow-${k}`));
    for (let k = 0; k < 3; k++) mo.push(await open('MO', ['OBSERVER'], `mo-narrow-${k}`));
    const hkIds = hk.map((r) => subscribeMany(r, 'h', 20, DOC));
    const moIds = mo.map((r) => subscribeMany(r, 'm', 15, DOC));
    await held(80 + 45, 'every member held');
    expect(t.hub.stats().groups).toBe(2);

    const writers = await openWriters(t);
    let narrowing: Promise<unknown> | undefined;
    // X and Y alternate; in round 10 the narrowing commits alongside the inserts, without waiting.
    await stream(writers, 30, (k, j) => ((k + j) % 2 ? x.id : y.id), (k) => {
      if (k === 10) narrowing = ok(gd, SHARE, { id: x.id, version: x.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
    });
    await narrowing;
    // A last Y event once the narrowing is in: every HK member must get it.
    await insert(writers[0], y.id);
    await Promise.all(writers.map((w) => w.end()));

    const log = (await logOf(t, sql, [x.id, y.id])).slice(skip);
    const all = log.map((e) => e.cursor);
    const nIndex = log.findIndex((e) => e.alertId === x.id && e.kind === 'DISTRIBUTION_CHANGED');
    expect(nIndex).toBeGreaterThan(0);
    const yOnly = log.filter((e) => e.alertId === y.id).map((e) => e.cursor);
    const lastY = yOnly[yOnly.length - 1];
    const scope = new Set([x.id, y.id]);

    for (const [s, r] of mo.entries()) for (const id of moIds[s]) await until(() => cursorsOf(r, id, scope).length >= all.length, `MO ${id} to get ${all.length}`, 15_000);
    for (const [s, r] of hk.entries()) for (const id of hkIds[s]) await until(() => cursorsOf(r, id, scope).includes(lastY), `HK ${id} to get the last Y event`, 15_000);
    await sleep(400);

    expect(problems([...hk, ...mo])).toEqual([]);
    const afterNarrowing = new Set(all.slice(nIndex));
    let hkReference: string | undefined;
    for (const [s, r] of hk.entries()) {
      for (const id of hkIds[s]) {
        const got = cursorsOf(r, id, scope);
        const leaked = eventsOf(r, id).filter((e) => e.alert.id === x.id && afterNarrowing.has(e.cursor));
        expect({ id, leaked: leaked.map((e) => `${e.kind}:${e.cursor}`) }).toEqual({ id, leaked: [] });
        expect({ id, order: inLogOrder(got, all) }).toEqual({ id, order: 'ok' });
        // Every Y event, X only before the narrowing.
        expect({ id, y: compare(got.filter((c) => yOnly.includes(c)), yOnly) }).toEqual({ id, y: 'same' });
        // One group, one rendering: every HK member got the very same sequence.
        hkReference ??= got.join(',');
        expect(got.join(',') === hkReference).toBe(true);
        for (const e of eventsOf(r, id)) {
          expect(e.alert.consignor).toBeNull();
          expect(e.alert.withheld).toContain('PARTY_IDENTITY');
          expect(e.alert.withheld).not.toContain('SHIPMENT_IDENTIFIERS');
          expect(e.alert.containerNumbers).toEqual([e.alert.id === x.id ? x.container : y.container]);
        }
      }
    }
    for (const [s, r] of mo.entries()) {
      for (const id of moIds[s]) {
        expect({ id, all: compare(cursorsOf(r, id, scope), all) }).toEqual({ id, all: 'same' });
        for (const e of eventsOf(r, id)) {
          expect(e.alert.consignor).toBeNull();
          expect(e.alert.containerNumbers).toBeNull();
          expect(e.alert.withheld).toEqual(expect.arrayContaining(['PARTY_IDENTITY', 'SHIPMENT_IDENTIFIERS']));
        }
      }
    }
    const text = JSON.stringify([...hk, ...mo].map((r) => [...r.next.values()]));
    expect(text).not.toContain(x.consignor);
    expect(text).not.toContain(y.consignor);
  });

  test('HK and MO groups joining passes at once, with late members: each agency gets exactly its alerts, with its classes withheld', async () => {
    const both = await plant('both', { scope: 'ALL_PARTNERS' });
    const hkOnly = await plant('hk-only', { scope: 'SELECTED_AGENCIES', agencies: ['HK'] });
    const moOnly = await plant('mo-only', { scope: 'SELECTED_AGENCIES', agencies: ['MO'] });
    const own = await plant('gd-only');
    const alerts = [both, hkOnly, moOnly, own];
    await t.quiesce();
    const skip = (await logOf(t, sql, alerts.map((a) => a.id))).length;
    const hk: Raw[] = [];
    const mo: Raw[] = [];
    for (let k = 0; k < 3; k++) hk.push(await open('HK', ['OBSERVER'], `hk-mixed-${k}`));
    for (let k = 0; k < 3; k++) mo.push(await open('MO', ['OBSERVER'], `mo-mixed-${k}`));
    const hkIds = hk.map((r) => subscribeMany(r, 'h', 20, DOC));
    const moIds = mo.map((r) => subscribeMany(r, 'm', 20, DOC));
    await held(120, 'every early member held');

    const writers = await openWriters(t, 4);
    const late: { agency: 'HK' | 'MO'; r: Raw; ids: string[] }[] = [];
    // Each round: one event per alert, in four transactions side by side. Late members of both
    // agencies subscribe mid-stream (raw, no wait), a few per socket.
    await stream(writers, 30, (k, j) => alerts[(k + j) % 4].id, async (k) => {
      if (k >= 1) {
        const agency = k % 2 ? 'HK' : 'MO';
        const r = await open(agency, ['OBSERVER'], `late-${agency}-${k}`);
        late.push({ agency, r, ids: subscribeMany(r, 'l', 4, DOC) });
      }
    });
    await held(120 + late.length * 4, 'the late members');
    // A last event for each agency once every late member is held.
    await Promise.all([insert(writers[0], hkOnly.id), insert(writers[1], moOnly.id)]);
    await Promise.all(writers.map((w) => w.end()));

    const log = (await logOf(t, sql, alerts.map((a) => a.id))).slice(skip);
    const scope = new Set(alerts.map((a) => a.id));
    const forHk = log.filter((e) => e.alertId === both.id || e.alertId === hkOnly.id).map((e) => e.cursor);
    const forMo = log.filter((e) => e.alertId === both.id || e.alertId === moOnly.id).map((e) => e.cursor);
    const want = (agency: string) => (agency === 'HK' ? forHk : forMo);
    const members = [
      ...hk.flatMap((r, s) => hkIds[s].map((id) => ({ agency: 'HK', r, id, late: false }))),
      ...mo.flatMap((r, s) => moIds[s].map((id) => ({ agency: 'MO', r, id, late: false }))),
      ...late.flatMap(({ agency, r, ids }) => ids.map((id) => ({ agency, r, id, late: true }))),
    ];
    for (const m of members) {
      const last = want(m.agency)[want(m.agency).length - 1];
      await until(() => cursorsOf(m.r, m.id).includes(last), `${m.agency} ${m.id} to get its last event`, 15_000);
    }
    await sleep(400);

    expect(problems([...hk, ...mo, ...late.map((l) => l.r)])).toEqual([]);
    for (const m of members) {
      // No filter by alert here: any other alert's event would be a leak or a stray.
      const got = cursorsOf(m.r, m.id);
      const expected = m.late ? want(m.agency).slice(Math.max(0, want(m.agency).indexOf(got[0]))) : want(m.agency);
      expect({ who: `${m.agency} ${m.id} late=${m.late}`, got: compare(got, expected) }).toEqual({ who: `${m.agency} ${m.id} late=${m.late}`, got: 'same' });
      for (const e of eventsOf(m.r, m.id)) {
        expect(scope.has(e.alert.id)).toBe(true);
        expect(e.alert.consignor).toBeNull();
        if (m.agency === 'HK') expect(e.alert.containerNumbers).toEqual([alerts.find((a) => a.id === e.alert.id)!.container]);
        else expect(e.alert.containerNumbers).toBeNull();
      }
    }
    const hkText = JSON.stringify([...hk, ...late.filter((l) => l.agency === 'HK').map((l) => l.r)].map((r) => [...r.next.values()]));
    const moText = JSON.stringify([...mo, ...late.filter((l) => l.agency === 'MO').map((l) => l.r)].map((r) => [...r.next.values()]));
    for (const a of alerts) {
      expect(hkText).not.toContain(a.consignor);
      expect(moText).not.toContain(a.consignor);
      expect(moText).not.toContain(a.container);
    }
    for (const a of [moOnly, own]) expect(hkText).not.toContain(a.id);
    for (const a of [hkOnly, own]) expect(moText).not.toContain(a.id);
  });

  test('members resuming with since while passes with joins are under way get the log after their cursor, without gap or duplicate', async () => {
    const a = await plant('resume', { scope: 'ALL_PARTNERS' });
    const writers = await openWriters(t);
    // Forty events before anyone subscribes: resume points.
    for (let k = 0; k < 40; k++) await insert(writers[k % 3], a.id);
    await t.quiesce();
    const before = (await logOf(t, sql, [a.id])).map((e) => e.cursor);

    const live: Raw[] = [];
    for (let k = 0; k < 3; k++) live.push(await open('HK', ['OBSERVER'], `live-${k}`));
    const liveIds = live.map((r) => subscribeMany(r, 'v', 20, DOC));
    await held(60, 'the live members');

    const SINCE = `subscription ($since: String) { alertEvents(since: $since) { cursor kind alert { id consignor { name } containerNumbers withheld } } }`;
    const resumers: { r: Raw; id: string; since: string }[] = [];
    await stream(writers, 30, () => a.id, async (k) => {
      if (k % 6 === 2) {
        // A resume point far back, one near the head of the pre-stream, and the newest event in
        // the log right now (committed moments ago: its pass may still be under way).
        const newest = (await sql.query(`select e.tx::text as tx, e.id::text as id from hub_event e where e.alert_id = $1 order by e.tx desc, e.id desc limit 1`, [a.id])).rows[0];
        const points = [before[3 + k], before[before.length - 1], t.hub.eventCursors.encode({ tx: BigInt(newest.tx), id: BigInt(newest.id) })];
        const r = await open('HK', ['OBSERVER'], `resume-${k}`);
        points.forEach((since, j) => {
          const [id] = subscribeMany(r, `r${j}-`, 1, SINCE, { since });
          resumers.push({ r, id, since });
        });
      }
    });
    await held(60 + resumers.length, 'the resumers');
    await insert(writers[0], a.id);
    await Promise.all(writers.map((w) => w.end()));

    const all = (await logOf(t, sql, [a.id])).map((e) => e.cursor);
    const last = all[all.length - 1];
    for (const [s, r] of live.entries()) for (const id of liveIds[s]) await until(() => cursorsOf(r, id).includes(last), `live ${id}`, 15_000);
    for (const m of resumers) await until(() => cursorsOf(m.r, m.id).includes(last), `resumer ${m.id}`, 15_000);
    await sleep(400);

    expect(problems([...live, ...resumers.map((m) => m.r)])).toEqual([]);
    const streamed = all.slice(before.length);
    for (const [s, r] of live.entries()) for (const id of liveIds[s]) expect({ id, got: compare(cursorsOf(r, id), streamed) }).toEqual({ id, got: 'same' });
    for (const m of resumers) {
      const from = all.indexOf(m.since);
      expect(from).toBeGreaterThanOrEqual(0);
      expect({ id: m.id, since: from, got: compare(cursorsOf(m.r, m.id), all.slice(from + 1)) }).toEqual({ id: m.id, since: from, got: 'same' });
    }
  });

  test('members completing, sockets dropping or closing mid-pass, an id reused after complete: others get every event once and in order; nothing reaches a completed subscription', async () => {
    const a = await plant('churn', { scope: 'ALL_PARTNERS' });
    await t.quiesce();
    const skip = (await logOf(t, sql, [a.id])).length;
    const socks: Raw[] = [];
    for (let k = 0; k < 6; k++) socks.push(await open('HK', ['OBSERVER'], `churn-${k}`));
    const ids = socks.map((r) => subscribeMany(r, 'c', 20, DOC));
    await held(120, 'every member held');

    const writers = await openWriters(t);
    const completed = ids[0].slice(0, 10);
    let pongAt = 0;
    let reusedSince = 0;
    await stream(writers, 30, () => a.id, async (k) => {
      if (k === 6) {
        // A careless client completes half its subscriptions mid-stream, then pings: the pong
        // comes after the completes are handled, so no frame for them may follow it.
        for (const id of completed) socks[0].send({ id, type: 'complete' });
        socks[0].send({ type: 'ping' });
        await until(() => socks[0].pongs.length > 0, 'the pong');
        pongAt = socks[0].pongs[0];
      }
      if (k === 10) socks[5].socket.terminate(); // gone without a close frame
      if (k === 13) socks[4].socket.close(1000); // a clean close mid-stream
      if (k === 16) {
        // The same id, subscribed again: a new subscription, which must not inherit the old one's frames.
        reusedSince = socks[0].seq;
        socks[0].send({ id: 'c0', type: 'subscribe', payload: { query: DOC } });
      }
    });
    await held(10 + 20 * 3 + 1, 'the survivors and the reused id');
    await insert(writers[0], a.id);
    await Promise.all(writers.map((w) => w.end()));

    const all = (await logOf(t, sql, [a.id])).slice(skip).map((e) => e.cursor);
    const last = all[all.length - 1];
    const survivors = [...ids[0].slice(10).map((id) => ({ r: socks[0], id })), ...[1, 2, 3].flatMap((s) => ids[s].map((id) => ({ r: socks[s], id })))];
    for (const m of survivors) await until(() => cursorsOf(m.r, m.id).includes(last), `survivor ${m.id}`, 15_000);
    await until(() => cursorsOf(socks[0], 'c0').includes(last), 'the reused id to get the last event', 15_000);
    await sleep(400);

    expect(problems(socks)).toEqual([]);
    for (const m of survivors) expect({ id: m.id, got: compare(cursorsOf(m.r, m.id), all) }).toEqual({ id: m.id, got: 'same' });
    for (const id of completed) {
      const frames = socks[0].next.get(id) ?? [];
      // Before the complete: a prefix of the log. After the pong: nothing, except for c0 (reused).
      const before = frames.filter((f) => f.seq < pongAt).map((f) => f.payload.data.alertEvents.cursor);
      expect({ id, prefix: compare(before, all.slice(0, before.length)) }).toEqual({ id, prefix: 'same' });
      const after = frames.filter((f) => f.seq > pongAt && (id !== 'c0' || f.seq < reusedSince));
      expect({ id, afterComplete: after.length }).toEqual({ id, afterComplete: 0 });
    }
    // The reused id: a contiguous run of the log from where it subscribed, ending with the last.
    const again = (socks[0].next.get('c0') ?? []).filter((f) => f.seq > reusedSince).map((f) => f.payload.data.alertEvents.cursor);
    expect(again.length).toBeGreaterThan(0);
    expect(compare(again, all.slice(all.indexOf(again[0])))).toBe('same');
    // Sockets 4 and 5 are gone; the hub holds exactly the survivors.
    expect(t.hub.stats().subscriptions).toBe(10 + 60 + 1);
  });
});

describe('a slow consumer in a group with joined passes', () => {
  let t: TestHub;
  let sql: PgClient;
  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_WS_WRITE_SLICE: '2', HUB_WS_QUEUE_LIMIT: '20' } });
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  test('a socket that stops reading is cut with 4013 and gets a gap-free prefix; every other member gets every event once and in order', async () => {
    const gd = await t.token('GD', ['ANALYST']);
    const c = (await t.gql(gd, CREATE, { input: alertInput({ summary: 'x'.repeat(4000), distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    const a = (await t.gql(gd, PUBLISH, { id: c.id, version: c.version })).body.data.publishAlert;
    await t.quiesce();
    // About 12 KB an event per subscription: 20 subscriptions on the slow socket fill the
    // kernel's buffers within a few dozen events.
    const BIG = `subscription { alertEvents { cursor alert { id s0: summary s1: summary s2: summary } } }`;
    const others: Raw[] = [];
    for (let k = 0; k < 2; k++) others.push(await openRaw(t, await t.trust.token('HK', ['OBSERVER'], { sub: `reader-${k}` })));
    const otherIds = others.map((r) => subscribeMany(r, 'o', 12, BIG));
    const slow = await openRaw(t, await t.trust.token('HK', ['OBSERVER'], { sub: 'slow' }));
    const slowIds = subscribeMany(slow, 's', 20, BIG);
    await until(() => t.hub.stats().subscriptions === 44, 'every member held');
    expect(t.hub.stats().groups).toBe(1);
    slow.socket.pause();

    const writers = await openWriters(t);
    try {
      await stream(writers, 40, () => a.id);
      await until(() => t.hub.stats().slowConsumersClosed === 1, 'the hub to cut the slow socket', 15_000);
      await insert(writers[0], a.id);
    } finally {
      await Promise.all(writers.map((w) => w.end()));
    }
    // The client reads again (within the hub's 10 s grace): it finds the close, 4013, after what was sent.
    slow.socket.resume();
    const { code } = await slow.closed;
    expect(code).toBe(4013);
    await until(() => t.hub.stats().subscriptions === 24, 'only the readers left');

    const all = (await logOf(t, sql, [a.id])).map((e) => e.cursor).filter((cur, i, l) => i >= l.length - 121);
    const last = all[all.length - 1];
    for (const [s, r] of others.entries()) for (const id of otherIds[s]) await until(() => cursorsOf(r, id).includes(last), `reader ${id}`, 15_000);
    await sleep(300);
    expect(problems([...others, slow])).toEqual([]);
    expect(all).toHaveLength(121);
    for (const [s, r] of others.entries()) for (const id of otherIds[s]) expect({ id, got: compare(cursorsOf(r, id), all) }).toEqual({ id, got: 'same' });
    // What the slow socket did get, per subscription, is the start of the log: no gap, no duplicate.
    let received = 0;
    for (const id of slowIds) {
      const got = cursorsOf(slow, id);
      received += got.length;
      expect({ id, prefix: compare(got, all.slice(0, got.length)) }).toEqual({ id, prefix: 'same' });
    }
    expect(received).toBeLessThan(20 * 121);
  });
});
