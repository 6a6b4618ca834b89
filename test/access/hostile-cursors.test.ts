/*
 * Hostile partners reading event cursors. A cursor (`AlertEvent.cursor`, taken back as `since`)
 * was base64url of JSON ["event", tx, id]: the transaction id and the row id of a hub-wide
 * sequence. Hong Kong, decoding two consecutive cursors of its own stream, learnt how many
 * events (Guangdong's hidden ones too) and transactions happened between them. Cursors must
 * show no position, follow no order, refuse tampering, and still resume on every hub of the
 * database and after a restart.
 *
 * Written to run unchanged against the hub before sealed cursors: nothing here uses the hub's
 * keys; positions come from SQL, forgeries from what a client has.
 */
import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until, type Subscriber } from '../support/events';

const SUBSCRIBE = `subscription ($since: String) { alertEvents(since: $since) { cursor kind alert { id } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }`;
const settle = () => new Promise((r) => setTimeout(r, 400));

interface Alert {
  id: string;
  version: number;
}
interface Position {
  tx: bigint;
  id: bigint;
}

/** The bytes a client gets from a cursor, whatever prefix it carries before a dot. */
function bytesOf(cursor: string): Buffer {
  return Buffer.from(cursor.slice(cursor.lastIndexOf('.') + 1), 'base64url');
}

/** Whether the cursor decodes to JSON, as the old ones did. */
function readable(cursor: string): boolean {
  try {
    JSON.parse(bytesOf(cursor).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The binary spellings of a number a cursor could hide it in: 4 and 8 bytes, both byte orders. */
function binaryForms(n: bigint): Buffer[] {
  const forms: Buffer[] = [];
  const b8 = Buffer.alloc(8);
  b8.writeBigUInt64BE(n);
  forms.push(Buffer.from(b8));
  b8.writeBigUInt64LE(n);
  forms.push(Buffer.from(b8));
  if (n < 2n ** 32n) {
    const b4 = Buffer.alloc(4);
    b4.writeUInt32BE(Number(n));
    forms.push(Buffer.from(b4));
    b4.writeUInt32LE(Number(n));
    forms.push(Buffer.from(b4));
  }
  return forms;
}

/** How many neighbours are in ascending order: about half for a random order, all for a counter. */
function ascents<T>(items: T[], compare: (a: T, b: T) => number): number {
  return items.slice(1).filter((x, i) => compare(items[i], x) < 0).length;
}

describe('hostile partners against event cursors', () => {
  let t: TestHub;
  let gd: string;
  let hkObs: string;
  let sql: Client;
  const extra: TestHub[] = [];

  beforeAll(async () => {
    t = await startTestHub();
    gd = await t.token('GD');
    hkObs = await t.token('HK', ['OBSERVER']);
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterEach(disposeAll);
  afterAll(async () => {
    for (const h of extra) await h.stop().catch(() => undefined);
    await sql.end();
    await t.stop();
  });

  async function plant(title: string, scope?: 'ALL_PARTNERS'): Promise<Alert> {
    const created = (await t.gql(gd, CREATE, { input: alertInput({ title, ...(scope ? { distribution: { scope } } : {}) }) })).body.data.createAlert;
    const published = await t.gql(gd, PUBLISH, { id: created.id, version: created.version });
    expect(published.body.errors).toBeUndefined();
    return published.body.data.publishAlert;
  }
  async function touch(a: Alert): Promise<Alert> {
    const res = await t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: `retitled ${Date.now()} ${Math.random()}` } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.updateAlert;
  }
  async function positionsOf(alertId: string): Promise<Position[]> {
    const rows = (await sql.query(`select e.tx::text as tx, e.id::text as id from hub_event e where e.alert_id = $1 order by e.tx, e.id`, [alertId])).rows;
    return rows.map((r) => ({ tx: BigInt(r.tx), id: BigInt(r.id) }));
  }
  /** The answer to a subscription with `since`: its first result's error, or what it replayed. */
  async function refusal(hub: TestHub, since: string): Promise<{ extensions?: unknown; message?: string; replayed: number }> {
    const base = hub.hub.stats().subscriptions;
    const s = await subscribe(hub, hkObs, SUBSCRIBE, { since });
    // A refusal comes at once; an accepted cursor with nothing to replay sends nothing (the
    // expectation on the answer then fails, not this wait).
    await until(() => s.completed || s.results.length > 0 || s.errors.length > 0, 'an answer', 3_000).catch(() => undefined);
    await settle();
    const error = s.results[0]?.errors?.[0] ?? s.errors[0]?.[0];
    const answer = { extensions: error?.extensions, message: error?.message, replayed: s.events().length };
    s.dispose();
    // An accepted one holds a subscription until the hub hears of the completion.
    await until(() => hub.hub.stats().subscriptions <= base, 'the subscription to end');
    return answer;
  }

  test('two consecutive Hong Kong cursors with hidden Guangdong events between them decode to no JSON, no position, no counter', async () => {
    const hk = await subscribe(t, hkObs, SUBSCRIBE);
    let visible = await plant('cursor visible', 'ALL_PARTNERS');
    let hidden = await plant('cursor hidden'); // ORIGINATOR_ONLY: Hong Kong must not learn of its events
    for (let i = 0; i < 4; i++) hidden = await touch(hidden);
    visible = await touch(visible);
    await hk.waitFor(2);
    await settle();
    expect(hk.events().map((e) => `${e.kind}:${e.alert.id}`)).toEqual([`PUBLISHED:${visible.id}`, `UPDATED:${visible.id}`]);

    const [first, second] = hk.events().map((e) => e.cursor as string);
    const [p1, p2] = await positionsOf(visible.id);
    const between = (await sql.query(`select count(*)::int as n from hub_event e where (e.tx, e.id) > ($1::text::xid8, $2::bigint) and (e.tx, e.id) < ($3::text::xid8, $4::bigint)`, [p1.tx.toString(), p1.id.toString(), p2.tx.toString(), p2.id.toString()])).rows[0].n;
    expect(between).toBeGreaterThanOrEqual(5);

    for (const cursor of [first, second]) {
      expect({ cursor, readable: readable(cursor) }).toEqual({ cursor, readable: false });
      const bytes = bytesOf(cursor);
      for (const n of [p1.tx, p1.id, p2.tx, p2.id]) {
        // Short decimals appear in random text by chance; three digits and more do not.
        if (n >= 100n) {
          expect(cursor.includes(n.toString())).toBe(false);
          expect(bytes.toString('latin1').includes(n.toString())).toBe(false);
        }
        for (const form of binaryForms(n)) expect({ n: n.toString(), found: bytes.includes(form) }).toEqual({ n: n.toString(), found: false });
      }
    }
    hk.dispose();
  });

  test('over many events Hong Kong\'s cursors follow no order and share no structure', async () => {
    const hk = await subscribe(t, hkObs, SUBSCRIBE);
    let visible = await plant('order visible', 'ALL_PARTNERS');
    let hidden = await plant('order hidden');
    const N = 40;
    for (let i = 0; i < N; i++) {
      if (i % 2) hidden = await touch(hidden);
      visible = await touch(visible);
    }
    await hk.waitFor(N + 1, 30_000);
    const cursors = hk.events().map((e) => e.cursor as string);
    expect(cursors).toHaveLength(N + 1);
    expect(new Set(cursors).size).toBe(N + 1);
    // A random order of 41 has 20 ascents give or take 2; a counter has 40.
    const bytes = cursors.map(bytesOf);
    const byBytes = ascents(bytes, Buffer.compare);
    const byText = ascents(cursors, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect({ byBytes, byText }).toEqual({ byBytes: expect.any(Number), byText: expect.any(Number) });
    expect(byBytes).toBeGreaterThan(8);
    expect(byBytes).toBeLessThan(32);
    expect(byText).toBeGreaterThan(8);
    expect(byText).toBeLessThan(32);
    // No byte the same across them (a kind tag, a slowly moving high byte of a counter): 41
    // random bytes take about 38 values.
    const shortest = Math.min(...bytes.map((b) => b.length));
    const narrow = [...Array(shortest).keys()].filter((i) => new Set(bytes.map((b) => b[i])).size < 12);
    expect(narrow).toEqual([]);
    hk.dispose();
  });

  test('a cursor resumes right after its event: on this hub, on a second hub of the database, and after that hub restarts', async () => {
    const live = await subscribe(t, hkObs, SUBSCRIBE);
    let visible = await plant('resume visible', 'ALL_PARTNERS');
    let hidden = await plant('resume hidden');
    for (let i = 0; i < 5; i++) {
      hidden = await touch(hidden);
      visible = await touch(visible);
    }
    await live.waitFor(6);
    await settle();
    const got = live.events().map((e) => e.cursor as string);
    expect(got).toHaveLength(6);
    // Sealed, not readable (the point of this file): and still a resume point.
    expect(got.filter(readable)).toEqual([]);

    const resumeOn = async (hub: TestHub, since: string, n: number): Promise<Subscriber> => {
      const base = hub.hub.stats().subscriptions;
    const s = await subscribe(hub, hkObs, SUBSCRIBE, { since });
      await s.waitFor(n);
      await settle();
      return s;
    };
    const here = await resumeOn(t, got[1], 4);
    expect(here.results.filter((r) => r.errors)).toEqual([]);
    expect(here.events().map((e) => e.cursor)).toEqual(got.slice(2));
    here.dispose();

    // A second hub process on the same database opens the first one's cursors, and its own
    // cursor for the next event is the first hub's.
    const second = await startTestHub({ shareDatabaseOf: t, trust: t.trust });
    extra.push(second);
    const there = await resumeOn(second, got[1], 4);
    expect(there.events().map((e) => e.cursor)).toEqual(got.slice(2));
    visible = await touch(visible);
    await live.waitFor(7);
    await there.waitFor(5);
    await settle();
    const next = live.events()[6].cursor as string;
    expect(there.events().map((e) => e.cursor)).toEqual([...got.slice(2), next]);
    there.dispose();
    await second.stop();

    // The same hub restarted (a new process, the same database): older cursors still resume.
    const restarted = await startTestHub({ shareDatabaseOf: t, trust: t.trust });
    extra.push(restarted);
    hidden = await touch(hidden);
    visible = await touch(visible);
    await live.waitFor(8);
    const last = live.events()[7].cursor as string;
    const after = await resumeOn(restarted, next, 1);
    expect(after.events().map((e) => e.cursor)).toEqual([last]);
    after.dispose();
    const fromStart = await resumeOn(restarted, got[0], 7);
    expect(fromStart.events().map((e) => e.cursor)).toEqual([...got.slice(1), next, last]);
    fromStart.dispose();
    live.dispose();
  });

  test('a tampered, cut, extended, foreign or old-format cursor is BAD_USER_INPUT on since and replays nothing', async () => {
    const hk = await subscribe(t, hkObs, SUBSCRIBE);
    let visible = await plant('tamper visible', 'ALL_PARTNERS');
    let hidden = await plant('tamper hidden');
    hidden = await touch(hidden);
    visible = await touch(visible);
    await hk.waitFor(2);
    const cursor = hk.events()[0].cursor as string;
    const prefix = cursor.slice(0, cursor.lastIndexOf('.') + 1);
    const bytes = bytesOf(cursor);
    const flip = (bit: number) => {
      const b = Buffer.from(bytes);
      b[bit >> 3] ^= 1 << (bit & 7);
      return prefix + b.toString('base64url');
    };
    const [own] = await positionsOf(visible.id);
    const [hiddenAt] = (await positionsOf(hidden.id)).slice(-1);
    const oldFormat = (p: Position) => Buffer.from(JSON.stringify(['event', p.tx.toString(), p.id.toString()])).toString('base64url');

    // Another deployment (its own database): its cursors are no positions here.
    const foreign = await startTestHub();
    extra.push(foreign);
    const foreignObs = await foreign.token('HK', ['OBSERVER']);
    const foreignSub = await subscribe(foreign, foreignObs, SUBSCRIBE);
    const fgd = await foreign.token('GD');
    const fa = (await foreign.gql(fgd, CREATE, { input: alertInput({ title: 'elsewhere', distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    await foreign.gql(fgd, PUBLISH, { id: fa.id, version: fa.version });
    await foreignSub.waitFor(1);
    const foreignCursor = foreignSub.events()[0].cursor as string;
    foreignSub.dispose();

    const attempts: Record<string, string> = {
      'first bit flipped': flip(0),
      'a middle bit flipped': flip(bytes.length * 4 + 3),
      'last bit flipped': flip(bytes.length * 8 - 1),
      'cut by one character': cursor.slice(0, -1),
      'cut in half': cursor.slice(0, Math.ceil(cursor.length / 2)),
      'one character more': cursor + 'A',
      'its own position in the old JSON format': oldFormat(own),
      "a hidden event's position in the old JSON format": oldFormat(hiddenAt),
      'a cursor of another deployment': foreignCursor,
    };
    const answers: Record<string, unknown> = {};
    for (const [name, since] of Object.entries(attempts)) answers[name] = await refusal(t, since);
    const refused = { extensions: { code: 'BAD_USER_INPUT', field: 'since' }, message: 'since is not a valid cursor', replayed: 0 };
    expect(answers).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, refused])));
    // The genuine cursor still works after all that.
    const ok = await subscribe(t, hkObs, SUBSCRIBE, { since: cursor });
    await ok.waitFor(1);
    expect(ok.events().map((e) => e.alert.id)).toEqual([visible.id]);
    ok.dispose();
    hk.dispose();
  });
});
