/*
 * Hostile partners and careless clients against the access log stored a row per read
 * (commit aa096c7): `alert_access_log.subjects text[]` names every officer a read was shown
 * to, written through pgArray (src/db/sql.ts) by AccessLogCollector.flush, and
 * `alertAccessLog` lists an entry per subject with cursors base64url(["access-log", rowId,
 * ordinal]) that can stop inside a row (src/access/access.service.ts).
 *
 * What the originator relies on: every officer a read was shown to comes back exactly as its
 * identity provider wrote the `sub`, once per read, and nothing else; a page never skips or
 * repeats an entry, however the cursor was cut and whatever is logged meanwhile; a cursor the
 * hub did not make is BAD_USER_INPUT; totalCount is the entries a client can page through; a
 * partner never reads the log. Every check has a positive control next to it.
 */
import { Client as PgClient } from 'pg';
import { CREATE, GET, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until, type Subscriber } from '../support/events';
import { startTestHub, type TestHub } from '../support/hub';

const LOG = `query ($a: ID!, $first: Int, $after: String) {
  alertAccessLog(alertId: $a, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { at agency { code } subject disclosed via } }
  }
}`;
const SUB = `subscription { alertEvents { cursor kind alert { id title } } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { id version } }`;

/**
 * Officer subjects a PostgreSQL array literal would misread unless every element is quoted
 * and escaped: separators, quotes, escapes, braces, the word NULL, whitespace PostgreSQL trims
 * around unquoted elements, a whole literal, and the longest `sub` the hub accepts (200 UTF-16
 * units), in ASCII and as astral characters. Near-twins (case, a trailing space) must stay apart.
 */
const HOSTILE_SUBJECTS = [
  'a,b',
  'say "hi"',
  '"',
  '\\',
  '\\"',
  'back\\slash\\',
  '{x}',
  '}{',
  '{"a","b"}',
  'x","injected',
  'NULL',
  'null',
  '  padded  ',
  'tab\there',
  'line\nbreak',
  'who?',
  '$1 :x',
  '海关 officer 🛃',
  'Officer',
  'officer',
  'officer ',
  '{"\\,} NULLé'.repeat(18).padEnd(200, '"'),
  '🛃'.repeat(100),
];

interface Entry {
  cursor: string;
  node: { at: string; agency: { code: string }; subject: string; disclosed: string[]; via: string };
}

/** A cursor as a client could forge it: base64url of the JSON text (not always valid JSON values). */
const forge = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
/** The values of one of the hub's access-log cursors (they are readable, only opaque by contract). */
const decode = (cursor: string): unknown[] => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

describe('access log, one row per read: hostile subjects, cursors and readers', () => {
  let t: TestHub;
  let sql: PgClient;
  let gd: string;
  let hk: string;
  let mo: string;

  async function published(overrides: Record<string, unknown> = {}) {
    const a = (await t.gql(gd, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).body.data.createAlert;
    const p = await t.gql(gd, PUBLISH, { id: a.id, version: a.version });
    expect(p.body.errors).toBeUndefined();
    return p.body.data.publishAlert as { id: string; version: number; title: string };
  }

  /** The stored rows of an alert's log, newest first, as the table holds them. */
  async function stored(alertId: string): Promise<{ id: string; subjects: string[]; via: string; agency: string }[]> {
    const r = await sql.query(`select l.id::text as id, l.subjects, l.via, l.agency_code as agency from alert_access_log l where l.alert_id = $1 order by l.id desc`, [alertId]);
    return r.rows;
  }

  /** Each entry the stored rows stand for, in the documented order: newest row first, its subjects as stored. */
  async function expectedEntries(alertId: string): Promise<string[]> {
    return (await stored(alertId)).flatMap((r) => r.subjects.map((s) => `${r.agency}|${r.via}|${s}`));
  }

  const key = (e: Entry) => `${e.node.agency.code}|${e.node.via}|${e.node.subject}`;

  async function log(token: string, alertId: string, first?: number, after?: string | null) {
    return t.gql(token, LOG, { a: alertId, first, after });
  }

  /**
   * Pages through an alert's whole log `first` at a time; `between` runs before each next
   * page. Checks totalCount on every page against the rows stored at that moment.
   */
  async function walk(alertId: string, first: number, between: () => Promise<void> = async () => undefined): Promise<Entry[]> {
    const walked: Entry[] = [];
    let after: string | null = null;
    for (let page = 0; page < 200; page++) {
      const res = await log(gd, alertId, first, after);
      expect(res.body.errors).toBeUndefined();
      const d = res.body.data.alertAccessLog;
      const storedNow = (await stored(alertId)).reduce((n, r) => n + r.subjects.length, 0);
      expect(d.totalCount).toBe(storedNow);
      expect(d.edges.length).toBeLessThanOrEqual(first);
      expect(d.pageInfo.hasPreviousPage).toBe(after != null);
      walked.push(...d.edges);
      if (!d.pageInfo.hasNextPage) return walked;
      expect(d.edges).toHaveLength(first);
      expect(d.pageInfo.endCursor).toBe(d.edges.at(-1).cursor);
      after = d.pageInfo.endCursor;
      await between();
    }
    throw new Error('the log did not end in 200 pages');
  }

  /** Subscribers with these subjects, one socket each, all in one subscription group. */
  async function group(subjects: string[], agency = 'HK', doc = SUB): Promise<Subscriber[]> {
    const before = t.hub.stats().groups;
    const subs: Subscriber[] = [];
    for (const sub of subjects) subs.push(await subscribe(t, await t.trust.token(agency, ['OBSERVER'], { sub }), doc));
    expect(t.hub.stats().groups).toBe(before + 1);
    return subs;
  }

  /** One event on `alertId`, written outside the hub, received by every subscriber in `subs`. */
  async function event(alertId: string, subs: Subscriber[]): Promise<void> {
    const counts = subs.map((s) => s.results.length);
    await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [alertId]);
    for (const [i, s] of subs.entries()) await s.waitFor(counts[i] + 1);
  }

  beforeAll(async () => {
    t = await startTestHub();
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
  });
  afterEach(disposeAll);
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  describe('hostile subjects', () => {
    test('the hostile subjects are subs the hub accepts, up to 200 units; 201 is refused', async () => {
      for (const sub of HOSTILE_SUBJECTS) {
        const res = await t.gql(await t.trust.token('HK', ['OBSERVER'], { sub }), `{ viewer { subject } }`);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.viewer.subject).toBe(sub);
      }
      expect(new Set(HOSTILE_SUBJECTS).size).toBe(HOSTILE_SUBJECTS.length);
      expect(HOSTILE_SUBJECTS.filter((s) => s.length === 200)).toHaveLength(2);
      // One more unit is refused: 200 is the longest there is to store.
      const long = await t.gql(await t.trust.token('HK', ['OBSERVER'], { sub: 'x'.repeat(201) }), `{ viewer { subject } }`);
      expect(long.status).toBe(401);
    });

    test('a group of officers with hostile subjects is one row per read, and each subject comes back exactly, once per read', async () => {
      const a = await published({ title: 'hostile subjects in one group' });
      const subs = await group(HOSTILE_SUBJECTS);
      await event(a.id, subs);
      await event(a.id, subs);

      const rows = await stored(a.id);
      // The publish happened before the group subscribed: only the two events are here.
      expect(rows.map((r) => [r.agency, r.via, r.subjects.length])).toEqual([
        ['HK', 'subscription', HOSTILE_SUBJECTS.length],
        ['HK', 'subscription', HOSTILE_SUBJECTS.length],
      ]);
      for (const r of rows) expect([...r.subjects].sort()).toEqual([...HOSTILE_SUBJECTS].sort());

      const res = await log(gd, a.id, 100);
      expect(res.body.errors).toBeUndefined();
      const d = res.body.data.alertAccessLog;
      expect(d.totalCount).toBe(2 * HOSTILE_SUBJECTS.length);
      expect(d.pageInfo.hasNextPage).toBe(false);
      const listed = d.edges.map((e: Entry) => e.node.subject);
      expect([...listed].sort()).toEqual([...HOSTILE_SUBJECTS, ...HOSTILE_SUBJECTS].sort());
      // Newest row first, its subjects in the order stored.
      expect(d.edges.map(key)).toEqual(await expectedEntries(a.id));
      // Each read is a read of the same alert with the same classes: only the subject differs.
      expect(new Set(d.edges.map((e: Entry) => JSON.stringify([e.node.agency, e.node.disclosed, e.node.via]))).size).toBe(1);
      expect(new Set(d.edges.map((e: Entry) => e.cursor)).size).toBe(d.edges.length);
    });

    test('each hostile subject reading alone over HTTP is logged exactly, as one entry', async () => {
      const a = await published({ title: 'hostile subjects one by one' });
      for (const sub of HOSTILE_SUBJECTS) {
        const res = await t.gql(await t.trust.token('MO', ['OBSERVER'], { sub }), GET, { id: a.id });
        expect(res.body.data.alert.id).toBe(a.id);
      }
      const rows = await stored(a.id);
      expect(rows.map((r) => r.subjects)).toEqual([...HOSTILE_SUBJECTS].reverse().map((s) => [s]));
      const d = (await log(gd, a.id, 100)).body.data.alertAccessLog;
      expect(d.edges.map((e: Entry) => [e.node.agency.code, e.node.subject, e.node.via])).toEqual(
        [...HOSTILE_SUBJECTS].reverse().map((s) => ['MO', s, 'query']),
      );
      expect(d.totalCount).toBe(HOSTILE_SUBJECTS.length);
    });

    test('one officer on two sockets of one group is one subject of the read; near-twin subjects stay apart', async () => {
      const a = await published({ title: 'same officer twice' });
      const token = await t.trust.token('HK', ['OBSERVER'], { sub: 'twice' });
      const subs = await group(['twice', 'Twice', 'twice ']);
      const groups = t.hub.stats().groups;
      subs.push(await subscribe(t, token, SUB));
      expect(t.hub.stats().groups).toBe(groups);
      await event(a.id, subs);
      const rows = await stored(a.id);
      expect(rows).toHaveLength(1);
      expect([...rows[0].subjects].sort()).toEqual(['Twice', 'twice', 'twice ']);
      const d = (await log(gd, a.id, 100)).body.data.alertAccessLog;
      expect(d.edges.map((e: Entry) => e.node.subject)).toEqual(rows[0].subjects);
      expect(d.totalCount).toBe(3);
    });

    // Found by this file: a `sub` with U+0000 was accepted, the group's one log insert could
    // not store it, and the group's retries froze every co-member's live events. A subject the
    // database cannot store as it is (U+0000; a lone surrogate, stored as U+FFFD, so that two
    // officers would look alike) is now refused at the door, over HTTP and the socket alike.
    test('a subject PostgreSQL cannot store as it is is refused at the door, and its would-be co-members are served', async () => {
      const a = await published({ title: 'poisoned group' });
      for (const sub of ['duty\u0000officer', 'x\uD800y', 'y\uDC00', '\uDC00\uD800']) {
        const token = await t.trust.token('HK', ['OBSERVER'], { sub });
        const http = await t.gql(token, GET, { id: a.id });
        expect({ sub, status: http.status, code: http.body.errors?.[0]?.extensions?.code, data: http.body.data ?? null }).toEqual({ sub, status: 401, code: 'UNAUTHENTICATED', data: null });
        const socket = await subscribe(t, token, SUB).then(
          (s) => s.errors.length > 0 || s.completed,
          () => true,
        );
        expect({ sub, refused: socket }).toEqual({ sub, refused: true });
      }
      // A well-formed astral character beside them is a subject like any other (positive control).
      const [good, astral] = await group(['poison-neighbour', 'officer 🛃']);
      await event(a.id, [good, astral]);
      expect(good.events().map((e) => e.alert.id)).toEqual([a.id]);
      expect((await stored(a.id)).map((r) => r.subjects)).toEqual([['poison-neighbour', 'officer 🛃']]);
    });
  });

  describe('when the log cannot be written', () => {
    // An answer whose partner reads cannot be logged must not leave: over HTTP it becomes an
    // internal error with the request id, logged through the hub's log (values blanked), and
    // nothing reaches the console. The database refuses the insert here through a trigger.
    test('an HTTP read whose log insert fails is withheld: INTERNAL_SERVER_ERROR with a request id, no data, nothing on the console', async () => {
      const logged: string[] = [];
      const t2 = await startTestHub({ shareDatabaseOf: t, trust: t.trust, logLines: logged });
      const consoleCalls = (['log', 'info', 'warn', 'error'] as const).map((m) => jest.spyOn(console, m));
      try {
        await sql.query(`create function refuse_audit() returns trigger language plpgsql as $$
          begin
            if 'audit-refuses' = any(new.subjects) then raise exception 'audit store unavailable'; end if;
            return new;
          end $$`);
        await sql.query(`create trigger refuse_audit before insert on alert_access_log for each row execute function refuse_audit()`);
        const a = await published({ title: 'withheld when unlogged' });
        const refused = await t2.trust.token('HK', ['OBSERVER'], { sub: 'audit-refuses' });
        const res = await t2.gql(refused, GET, { id: a.id });
        expect(res.status).toBe(500);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        expect(JSON.stringify(res.body)).not.toMatch(/withheld when unlogged|alert_access_log|insert|audit store/);
        const line = logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'access log not written: answer withheld');
        expect(line).toMatchObject({ level: 50, requestId: res.body.errors[0].extensions.requestId, subject: 'audit-refuses' });
        expect(JSON.stringify(line)).not.toContain(a.id);
        expect(await stored(a.id)).toEqual([]);
        // Positive control: another officer's read of the same alert is answered and logged.
        const ok = await t2.gql(await t2.trust.token('HK', ['OBSERVER'], { sub: 'audit-accepts' }), GET, { id: a.id });
        expect(ok.body.data.alert.title).toBe('withheld when unlogged');
        expect((await stored(a.id)).map((r) => r.subjects)).toEqual([['audit-accepts']]);
        for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
      } finally {
        for (const spy of consoleCalls) spy.mockRestore();
        await sql.query(`drop trigger if exists refuse_audit on alert_access_log`);
        await sql.query(`drop function if exists refuse_audit()`);
        await t2.stop();
      }
    });
  });

  describe('cursors', () => {
    /**
     * An alert whose log holds, oldest first: a read by solo-1 (HK, query), the group of four
     * (HK, subscription), the group of three (MO, subscription), a read by solo-2 (MO, query),
     * then both groups again.
     */
    async function busyAlert(title: string) {
      const a = await published({ title });
      const hkGroup = await group(['p-1', 'p-2', 'p-3', 'p-4'], 'HK');
      const moGroup = await group(['q-1', 'q-2', 'q-3'], 'MO');
      await t.gql(await t.trust.token('HK', ['OBSERVER'], { sub: 'solo-1' }), GET, { id: a.id });
      await event(a.id, [...hkGroup, ...moGroup]);
      await t.gql(await t.trust.token('MO', ['OBSERVER'], { sub: 'solo-2' }), GET, { id: a.id });
      await event(a.id, [...hkGroup, ...moGroup]);
      const rows = await stored(a.id);
      expect(rows.map((r) => r.subjects.length).sort()).toEqual([1, 1, 3, 3, 4, 4]);
      return { a, rows, groups: [...hkGroup, ...moGroup] };
    }

    test('forged and tampered cursors are BAD_USER_INPUT with no data, for the originator as for anyone', async () => {
      const { a, rows } = await busyAlert('tampered cursors');
      const id = rows.find((r) => r.subjects.length === 4)!.id;
      const alertsCursor = (await t.gql(gd, `{ alerts(first: 1) { edges { cursor } } }`)).body.data.alerts.edges[0].cursor;
      const hkSub = await subscribe(t, hk, SUB);
      await event(a.id, [hkSub]);
      const eventCursor = hkSub.events()[0].cursor;
      const valid = (await log(gd, a.id, 1)).body.data.alertAccessLog.pageInfo.endCursor;
      expect(decode(valid)).toEqual(['access-log', expect.stringMatching(/^\d+$/), 1]);

      const bad: Record<string, string> = {
        'ordinal 0': forge(`["access-log","${id}",0]`),
        'ordinal -1': forge(`["access-log","${id}",-1]`),
        'ordinal -0': forge(`["access-log","${id}",-0]`),
        'ordinal 1.5': forge(`["access-log","${id}",1.5]`),
        'ordinal 0.999999': forge(`["access-log","${id}",0.999999]`),
        'ordinal as a string': forge(`["access-log","${id}","2"]`),
        'ordinal 2^31': forge(`["access-log","${id}",2147483648]`),
        'ordinal 2^53+1': forge(`["access-log","${id}",9007199254740993]`),
        'ordinal 1e999 (Infinity)': forge(`["access-log","${id}",1e999]`),
        'ordinal -1e999': forge(`["access-log","${id}",-1e999]`),
        'ordinal null': forge(`["access-log","${id}",null]`),
        'ordinal true': forge(`["access-log","${id}",true]`),
        'ordinal [1]': forge(`["access-log","${id}",[1]]`),
        'ordinal {}': forge(`["access-log","${id}",{"ord":1}]`),
        'no row at all': forge(`["access-log"]`),
        'row id as a number': forge(`["access-log",${id},1]`),
        'row id not numeric': forge(`["access-log","abc",1]`),
        'row id empty': forge(`["access-log","",1]`),
        'row id with leading junk': forge(`["access-log","x${id}",1]`),
        'row id with a leading space': forge(`["access-log"," ${id}",1]`),
        'row id with a trailing space': forge(`["access-log","${id} ",1]`),
        'row id with a trailing newline': forge(`["access-log","${id}\\n",1]`),
        'row id negative': forge(`["access-log","-${id}",1]`),
        'row id decimal': forge(`["access-log","${id}.0",1]`),
        'row id in exponent form': forge(`["access-log","1e3",1]`),
        'row id in hex': forge(`["access-log","0x10",1]`),
        'row id past bigint': forge(`["access-log","9999999999999999999",1]`),
        'row id with SQL': forge(`["access-log","${id}) or (1=1",1]`),
        'row id in Arabic-Indic digits': forge(`["access-log","\u0661\u0662",1]`),
        'row id in fullwidth digits': forge(`["access-log","\uff11",1]`),
        'kind in another case': forge(`["Access-Log","${id}",1]`),
        'kind with a space': forge(`["access-log ","${id}",1]`),
        'an alerts cursor': alertsCursor,
        'an event cursor': eventCursor,
        'an operations cursor': forge(`["operations",1700000000000,"01234567-89ab-7def-8123-456789abcdef"]`),
        'an object': forge(`{"0":"access-log","1":"${id}","2":1}`),
        'a bare string': forge(`"access-log"`),
        'not JSON': forge(`access-log,${id},1`),
        'empty': '',
        'standard base64 padding': `${valid}=`,
        'base64 with + and /': Buffer.from(`["access-log","${id}",1]`).toString('base64').replace(/=+$/, '') + '+/',
        'too long': forge(`["access-log","${id}",1${' '.repeat(400)}]`),
      };
      for (const [what, after] of Object.entries(bad)) {
        const res = await log(gd, a.id, 10, after);
        expect({ what, status: res.status, data: res.body.data ?? null, errors: res.body.errors?.map((e) => e.extensions) }).toEqual({
          what,
          status: 200,
          data: null,
          errors: [{ code: 'BAD_USER_INPUT', field: 'after' }],
        });
      }
      // Positive controls: the hub's own cursor, and the same values forged by hand, both page on.
      const own = await log(gd, a.id, 1, valid);
      expect(own.body.errors).toBeUndefined();
      expect(own.body.data.alertAccessLog.edges).toHaveLength(1);
      const byHand = await log(gd, a.id, 1, forge(`["access-log","${id}",1]`));
      expect(byHand.body.errors).toBeUndefined();
      expect(byHand.body.data.alertAccessLog.edges[0].node.subject).toBe(rows.find((r) => r.id === id)!.subjects[1]);
    });

    // Found by this file: accessLog used the first two values of a cursor and never checked
    // there were no more, where every other cursor of the hub requires its exact length.
    test('a cursor with values after the ordinal is BAD_USER_INPUT', async () => {
      const { a, rows } = await busyAlert('cursor with extra values');
      const id = rows.find((r) => r.subjects.length === 4)!.id;
      for (const json of [`["access-log","${id}",1,"extra"]`, `["access-log","${id}",1,2]`, `["access-log","${id}",1,null]`]) {
        const res = await log(gd, a.id, 10, forge(json));
        expect({ json, data: res.body.data ?? null, errors: res.body.errors?.map((e) => e.extensions) }).toEqual({
          json,
          data: null,
          errors: [{ code: 'BAD_USER_INPUT', field: 'after' }],
        });
      }
    });

    test('pages of 1, 2 and 3 walk through multi-subject rows with no entry skipped or repeated while reads keep being logged', async () => {
      const { a, groups } = await busyAlert('paging while logged');
      const reader = await t.trust.token('HK', ['ANALYST'], { sub: 'reads-meanwhile' });
      let pagesTurned = 0;
      for (const first of [1, 2, 3]) {
        const snapshot = await walk(a.id, 100);
        expect(snapshot.map(key)).toEqual(await expectedEntries(a.id));
        const before = snapshot.length;
        const walked = await walk(a.id, first, async () => {
          // Newer reads between pages, single and group ones: they come before the walk's
          // position and must neither appear in it nor move it.
          pagesTurned++;
          await t.gql(reader, GET, { id: a.id });
          if (pagesTurned % 3 === 0) await event(a.id, groups);
        });
        expect(walked.map((e) => e.cursor)).toEqual(snapshot.map((e) => e.cursor));
        expect(walked.map(key)).toEqual(snapshot.map(key));
        expect(new Set(walked.map((e) => e.cursor)).size).toBe(walked.length);
        // The reads logged meanwhile are there for the next walk.
        expect((await log(gd, a.id, 0)).body.data.alertAccessLog.totalCount).toBeGreaterThan(before);
      }
      expect(pagesTurned).toBeGreaterThan(20);
    });

    test('a cursor that names only a row (the old form) continues after the whole row; one inside a row continues inside it', async () => {
      const { a, rows } = await busyAlert('old cursors');
      const all = await expectedEntries(a.id);
      /** The entries after `after`, paged 100 at a time. */
      const after = async (cursor: string) => {
        const res = await log(gd, a.id, 100, cursor);
        expect(res.body.errors).toBeUndefined();
        return res.body.data.alertAccessLog.edges.map(key);
      };
      let skipped = 0;
      for (const [i, row] of rows.entries()) {
        skipped += row.subjects.length;
        // After the whole row: the old form, and the largest ordinal the hub accepts.
        expect(await after(forge(`["access-log","${row.id}"]`))).toEqual(all.slice(skipped));
        expect(await after(forge(`["access-log","${row.id}",2147483647]`))).toEqual(all.slice(skipped));
        // Inside the row: after its first subject, after its last.
        const start = skipped - row.subjects.length;
        expect(await after(forge(`["access-log","${row.id}",1]`))).toEqual(all.slice(start + 1));
        expect(await after(forge(`["access-log","${row.id}",${row.subjects.length}]`))).toEqual(all.slice(skipped));
        if (i === rows.length - 1) expect(all.slice(skipped)).toEqual([]);
      }
      // A row id past the newest lists everything; below the oldest, nothing.
      expect(await after(forge(`["access-log","999999999999999999"]`))).toEqual(all);
      expect(await after(forge(`["access-log","0"]`))).toEqual([]);
      const last = await log(gd, a.id, 100, forge(`["access-log","${rows.at(-1)!.id}"]`));
      expect(last.body.data.alertAccessLog.pageInfo).toMatchObject({ hasNextPage: false, endCursor: null });
      expect(last.body.data.alertAccessLog.totalCount).toBe(all.length);
    });

    test('totalCount is the number of entries paging to the end lists, whatever the page size', async () => {
      const { a } = await busyAlert('counted');
      const total = (await stored(a.id)).reduce((n, r) => n + r.subjects.length, 0);
      expect(total).toBe(16);
      const none = (await log(gd, a.id, 0)).body.data.alertAccessLog;
      expect(none).toMatchObject({ totalCount: total, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
      for (const first of [1, 4, 5, 16, 100]) {
        const walked = await walk(a.id, first);
        expect({ first, listed: walked.length }).toEqual({ first, listed: total });
      }
      // An alert nobody else read: nothing, and zero.
      const unread = await published({ title: 'unread', distribution: { scope: 'ORIGINATOR_ONLY' } });
      expect((await log(gd, unread.id, 10)).body.data.alertAccessLog).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    });
  });

  describe('readers', () => {
    const ROLE_SETS = [['OBSERVER'], ['ANALYST'], ['COORDINATOR'], ['ADMIN'], ['OBSERVER', 'ANALYST', 'COORDINATOR', 'ADMIN']];

    test('a partner never reads the log: FORBIDDEN when it can see the alert, NOT_FOUND when it cannot, whatever its roles and cursor', async () => {
      const everyone = await published({ title: 'log of an alert for all' });
      const forMacao = await published({ title: 'log of an alert for Macao', distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
      const own = await published({ title: 'log of an alert for nobody', distribution: { scope: 'ORIGINATOR_ONLY' } });
      const marker = 'marked-reader-7f3a';
      for (const x of [everyone, forMacao]) await t.gql(await t.trust.token('MO', ['OBSERVER'], { sub: marker }), GET, { id: x.id });
      const valid = (await log(gd, everyone.id, 1)).body.data.alertAccessLog.pageInfo.endCursor;
      // Positive control: the originator sees the marked reader.
      expect(JSON.stringify((await log(gd, everyone.id, 10)).body)).toContain(marker);
      expect(JSON.stringify((await log(gd, forMacao.id, 10)).body)).toContain(marker);

      const cases: [string, string, string][] = [
        ['HK', everyone.id, 'FORBIDDEN'],
        ['MO', everyone.id, 'FORBIDDEN'],
        ['HK', forMacao.id, 'NOT_FOUND'],
        ['MO', forMacao.id, 'FORBIDDEN'],
        ['HK', own.id, 'NOT_FOUND'],
        ['MO', own.id, 'NOT_FOUND'],
        ['HK', '01234567-89ab-7def-8123-456789abcdef', 'NOT_FOUND'],
        ['MO', 'not-a-uuid', 'NOT_FOUND'],
      ];
      for (const roles of ROLE_SETS) {
        for (const [agency, alertId, code] of cases) {
          const token = await t.trust.token(agency, roles, { sub: `${agency}-${roles.join('+')}` });
          for (const after of [undefined, valid, forge(`["access-log","x",0]`)]) {
            const res = await log(token, alertId, 10, after);
            const body = JSON.stringify(res.body);
            expect({ agency, roles, alertId, after, data: res.body.data ?? null, codes: res.body.errors?.map((e) => e.extensions.code) }).toEqual({
              agency, roles, alertId, after, data: null, codes: [code],
            });
            expect(body).not.toContain(marker);
          }
        }
      }
      // A token with no role reads nothing, its own agency's log included.
      expect((await log(await t.token('GD', []), everyone.id, 10)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      // Any role of the originating agency reads it.
      for (const roles of ROLE_SETS) {
        const res = await log(await t.token('GD', roles), everyone.id, 10);
        expect(res.body.errors).toBeUndefined();
        expect(JSON.stringify(res.body)).toContain(marker);
      }
    });

    test("the originating agency's own reads write no row, by query, list, alias, log or subscription; a partner's read next to them writes one", async () => {
      const a = await published({ title: 'read only at home' });
      const gdObserver = await t.trust.token('GD', ['OBSERVER'], { sub: 'gd "home", officer' });
      const home = await group(['gd-1', 'gd-2'], 'GD');
      for (const token of [gd, gdObserver]) {
        expect((await t.gql(token, GET, { id: a.id })).body.data.alert.id).toBe(a.id);
        await t.gql(token, `query ($id: ID!) { x: alert(id: $id) { id } y: alert(id: $id) { title } }`, { id: a.id });
        await t.gql(token, `{ alerts(first: 50, filter: { text: "read only at home" }) { edges { node { id title } } } }`);
        await t.gql(token, `query ($a: ID!) { alertAccessLog(alertId: $a) { totalCount } alertHistory(alertId: $a) { kind } }`, { a: a.id });
      }
      await event(a.id, home);
      expect(await stored(a.id)).toEqual([]);
      expect((await log(gd, a.id, 10)).body.data.alertAccessLog).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });

      // Positive control: a partner group next to the home group, and one partner query.
      const away = await group(['hk-away'], 'HK');
      await event(a.id, [...home, ...away]);
      await t.gql(mo, GET, { id: a.id });
      const rows = await stored(a.id);
      expect(rows.map((r) => [r.agency, r.via, r.subjects])).toEqual([
        ['MO', 'query', ['mo-officer-1']],
        ['HK', 'subscription', ['hk-away']],
      ]);
      expect((await log(gd, a.id, 10)).body.data.alertAccessLog.totalCount).toBe(2);
    });
  });
});
