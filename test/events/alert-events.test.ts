import { Client } from 'pg';
import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until, type Subscriber } from '../support/events';
import { pruneEvents } from '../../src/events/event-log';

const SUBSCRIBE = `subscription ($filter: AlertFilter, $since: String) {
  alertEvents(filter: $filter, since: $since) { cursor kind occurredAt alert { id version title channel consignor { name } containerNumbers withheld } }
}`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { id version } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }`;

/** A test hub, a GD analyst's token and a direct database connection, for one describe block. */
async function openHub(env?: Record<string, string>): Promise<{ t: TestHub; gd: string; sql: Client }> {
  const t = await startTestHub(env ? { env } : {});
  const sql = new Client({ connectionString: t.db.url });
  await sql.connect();
  return { t, gd: await t.token('GD'), sql };
}

async function closeHub(t: TestHub, sql: Client): Promise<void> {
  await sql.end();
  await t.stop();
}

describe('alertEvents', () => {
  let t: TestHub;
  let gd: string;
  let sql: Client;
  beforeAll(async () => ({ t, gd, sql } = await openHub()));
  afterEach(disposeAll);
  afterAll(() => closeHub(t, sql));

  async function createAndPublish(overrides: Record<string, unknown>) {
    const a = (await t.gql(gd, CREATE, { input: alertInput(overrides) })).body.data.createAlert;
    return (await t.gql(gd, PUBLISH, { id: a.id, version: a.version })).body.data.publishAlert;
  }
  async function update(id: string, version: number, title: string) {
    const res = await t.gql(gd, UPDATE, { id, version, input: { title } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.updateAlert as { id: string; version: number };
  }
  const titles = (s: Subscriber) => s.events().map((e) => `${e.kind}:${e.alert.title}`);
  /** Waits until events stop arriving for a while (for asserting that something was not sent). */
  const settle = () => new Promise((r) => setTimeout(r, 400));

  test('each subscriber gets the events it may see, as it may see them, and nothing else', async () => {
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);
    const mo = await subscribe(t, await t.token('MO', ['OBSERVER']), SUBSCRIBE, { filter: { channel: ['AIR_CARGO'] } });
    const own = await subscribe(t, gd, SUBSCRIBE);

    const secret = await createAndPublish({ title: 'not for partners' });
    const shared = await createAndPublish({ title: 'for all partners', distribution: { scope: 'ALL_PARTNERS' } });
    const air = await createAndPublish({ title: 'air cargo for all', channel: 'AIR_CARGO', distribution: { scope: 'ALL_PARTNERS' } });
    await own.waitFor(3);
    await hk.waitFor(2);
    await mo.waitFor(1);
    await settle();

    expect(titles(hk)).toEqual(['PUBLISHED:for all partners', 'PUBLISHED:air cargo for all']);
    expect(titles(mo)).toEqual(['PUBLISHED:air cargo for all']);
    expect(titles(own)).toEqual(['PUBLISHED:not for partners', 'PUBLISHED:for all partners', 'PUBLISHED:air cargo for all']);
    for (const e of hk.events()) {
      expect(e.alert.consignor).toBeNull();
      expect(e.alert.containerNumbers).toBeNull();
      expect(e.alert.withheld).toContain('PARTY_IDENTITY');
    }
    expect(own.events()[0].alert.consignor.name).toBe('Shenzhen Trading Co.');
    expect(JSON.stringify(hk.results)).not.toContain(secret.id);
    expect(JSON.stringify(mo.results)).not.toContain(secret.id);
    expect(hk.events()[0].alert.id).toBe(shared.id);
    expect(mo.events()[0].alert.id).toBe(air.id);
    // The same event has the same cursor for everyone who got it.
    expect(own.events()[2].cursor).toBe(mo.events()[0].cursor);
    for (const s of [hk, mo, own]) s.dispose();
  });

  test('narrowing the distribution takes effect for the next event; widening it again brings the alert back', async () => {
    const a = await createAndPublish({ title: 'narrowed later', distribution: { scope: 'ALL_PARTNERS' } });
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);
    const mo = await subscribe(t, await t.token('MO', ['OBSERVER']), SUBSCRIBE);

    // Each event is shown as the alert is when it is delivered: wait for each before the next change.
    let v = await update(a.id, a.version, 'seen by both');
    await hk.waitFor(1);
    await mo.waitFor(1);
    v = (await t.gql(gd, SHARE, { id: a.id, version: v.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } })).body.data.shareAlert;
    await hk.waitFor(2);
    v = await update(a.id, v.version, 'seen by HK only');
    await hk.waitFor(3);
    v = (await t.gql(gd, SHARE, { id: a.id, version: v.version, d: { scope: 'ALL_PARTNERS' } })).body.data.shareAlert;
    await hk.waitFor(4);
    await mo.waitFor(2);
    await update(a.id, v.version, 'seen by both again');
    await hk.waitFor(5);
    await mo.waitFor(3);
    await settle();

    expect(titles(hk)).toEqual([
      'UPDATED:seen by both',
      'DISTRIBUTION_CHANGED:seen by both',
      'UPDATED:seen by HK only',
      'DISTRIBUTION_CHANGED:seen by HK only',
      'UPDATED:seen by both again',
    ]);
    expect(titles(mo)).toEqual(['UPDATED:seen by both', 'DISTRIBUTION_CHANGED:seen by HK only', 'UPDATED:seen by both again']);
    hk.dispose();
    mo.dispose();
  });

  test('an approved disclosure shows its classes in events until it expires, then they are withheld again', async () => {
    const a = await createAndPublish({ title: 'grant on events', distribution: { scope: 'ALL_PARTNERS' } });
    const hkToken = await t.token('HK', ['ANALYST']);
    const req = await t.gql(hkToken, `mutation ($id: ID!) { requestDisclosure(alertId: $id, fieldClasses: [PARTY_IDENTITY], justification: "inspection tomorrow") { id } }`, { id: a.id });
    const decided = await t.gql(gd, `mutation ($id: ID!, $exp: DateTime) { decideDisclosure(requestId: $id, approve: true, expiresAt: $exp) { status } }`, {
      id: req.body.data.requestDisclosure.id,
      exp: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(decided.body).toMatchObject({ data: { decideDisclosure: { status: 'APPROVED' } } });

    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);
    let v = await update(a.id, a.version, 'granted');
    await hk.waitFor(1);
    expect(hk.events()[0].alert.consignor).toEqual({ name: 'Shenzhen Trading Co.' });

    await sql.query(`update disclosure_request set expires_at = now() - interval '1 second' where id = $1`, [req.body.data.requestDisclosure.id]);
    v = await update(a.id, v.version, 'grant expired');
    await hk.waitFor(2);
    expect(hk.events()[1].alert.title).toBe('grant expired');
    expect(hk.events()[1].alert.consignor).toBeNull();
    expect(hk.events()[1].alert.withheld).toContain('PARTY_IDENTITY');
    hk.dispose();
  });

  test('resuming from a cursor replays every missed event in order, then goes on live, without gap or duplicate', async () => {
    const a = await createAndPublish({ title: 'resume 0', distribution: { scope: 'ALL_PARTNERS' } });
    const token = await t.token('HK', ['OBSERVER']);
    // A witness stays subscribed throughout: what the resumed subscriber gets must match it.
    const witness = await subscribe(t, token, SUBSCRIBE);
    const first = await subscribe(t, token, SUBSCRIBE);
    let v = await update(a.id, a.version, 'resume 1');
    await first.waitFor(1);
    const cursor = first.events()[0].cursor;
    first.dispose();
    await until(() => t.hub.stats().subscriptions === 1, 'the subscription to end');

    // Events keep coming while the subscriber is away, some it may not see.
    for (const title of ['resume 2', 'resume 3', 'resume 4']) v = await update(a.id, v.version, title);
    await createAndPublish({ title: 'hidden while away' });

    const again = await subscribe(t, token, SUBSCRIBE, { since: cursor });
    await again.waitFor(3);
    v = await update(a.id, v.version, 'resume 5');
    await again.waitFor(4);
    await witness.waitFor(5);
    await settle();
    const seen = witness.events().map((e) => e.cursor);
    expect(seen[0]).toBe(cursor);
    expect(again.events().map((e) => e.cursor)).toEqual(seen.slice(1));
    expect(again.events().map((e) => e.kind)).toEqual(['UPDATED', 'UPDATED', 'UPDATED', 'UPDATED']);
    // A replayed event shows the alert as it is at delivery, not as it was then.
    expect(again.events()[0].alert.title).toBe('resume 4');
    expect(again.events()[3].alert.title).toBe('resume 5');
    witness.dispose();
    again.dispose();
  });

  test('a resume cursor older than the retention window, or not made by the hub, is BAD_USER_INPUT', async () => {
    const a = await createAndPublish({ title: 'retention', distribution: { scope: 'ALL_PARTNERS' } });
    const token = await t.token('HK', ['OBSERVER']);
    const s = await subscribe(t, token, SUBSCRIBE);
    await update(a.id, a.version, 'retention 1');
    await s.waitFor(1);
    s.dispose();
    const cursor = s.events()[0].cursor;
    const position = t.hub.eventCursors.decode(cursor);
    await sql.query(`update hub_event set occurred_at = now() - interval '31 days' where id = $1`, [position.id.toString()]);
    // A position between the old event and the next (no row there) is judged by the old one: refused alike.
    const between = t.hub.eventCursors.encode({ tx: position.tx, id: position.id + 1n });
    const r0 = await subscribe(t, token, SUBSCRIBE, { since: between });
    await until(() => r0.completed || r0.results.length > 0, 'an answer');
    expect(r0.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'since' });

    // Pruned: the horizon moves past the old event, and resuming from before it is refused too.
    for (const since of [cursor, 'not-a-cursor', Buffer.from('["event","1","99999999999999999999"]').toString('base64url'), Buffer.from('["alerts:x","1"]').toString('base64url')]) {
      const r = await subscribe(t, token, SUBSCRIBE, { since });
      await until(() => r.completed || r.results.length > 0 || r.errors.length > 0, 'an answer');
      const errors = r.results[0]?.errors ?? r.errors[0];
      expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'since' });
      expect(JSON.stringify(errors)).not.toMatch(/hub_event|select|stack/i);
      r.dispose();
    }
  });

  test('pruning moves the horizon: a cursor before it is refused, one at or after it replays what follows', async () => {
    const a = await createAndPublish({ title: 'prune', distribution: { scope: 'ALL_PARTNERS' } });
    const token = await t.token('HK', ['OBSERVER']);
    const s = await subscribe(t, token, SUBSCRIBE);
    let v = await update(a.id, a.version, 'prune 1');
    v = await update(a.id, v.version, 'prune 2');
    await s.waitFor(2);
    s.dispose();
    const [first, second] = s.events().map((e) => e.cursor);
    // Both events grow old and are pruned: resuming from the first would miss the second.
    await sql.query(`update hub_event set occurred_at = now() - interval '40 days' where id <= $1`, [t.hub.eventCursors.decode(second).id.toString()]);
    const pruned = await pruneEvents(async (q, params) => {
      let n = 0;
      return (await sql.query(q.replace(/\?/g, () => `$${++n}`), params)).rows;
    }, 30);
    expect(pruned).toBeGreaterThan(1);
    const refused = await subscribe(t, token, SUBSCRIBE, { since: first });
    await until(() => refused.completed || refused.results.length > 0, 'an answer');
    expect(refused.results[0].errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'since' });
    // Nothing after the second was pruned: resuming from it loses nothing.
    await update(a.id, v.version, 'prune 3');
    const resumed = await subscribe(t, token, SUBSCRIBE, { since: second });
    await resumed.waitFor(1);
    await settle();
    expect(resumed.events().map((e) => e.alert.title)).toEqual(['prune 3']);
    resumed.dispose();
  });

  test('a bad filter or a token without roles is refused when subscribing, with the query errors', async () => {
    const bad = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE, { filter: { port: 'not a port' } });
    await bad.waitFor(1);
    expect(bad.results[0].errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.port' });
    const none = await subscribe(t, await t.token('HK', []), SUBSCRIBE);
    await none.waitFor(1);
    expect(none.results[0].errors[0].extensions.code).toBe('FORBIDDEN');
    expect(bad.completed && none.completed).toBe(true);
  });

  test('a rolled-back change leaves no event; the next committed one arrives alone', async () => {
    const a = await createAndPublish({ title: 'rollback', distribution: { scope: 'ALL_PARTNERS' } });
    const hk = await subscribe(t, await t.token('HK', ['OBSERVER']), SUBSCRIBE);
    await sql.query('begin');
    await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [a.id]);
    await sql.query('rollback');
    // A stale version is CONFLICT and changes nothing, events included.
    const stale = await t.gql(gd, UPDATE, { id: a.id, version: a.version - 1, input: { title: 'stale' } });
    expect(stale.body.errors[0].extensions.code).toBe('CONFLICT');
    await update(a.id, a.version, 'committed');
    await hk.waitFor(1);
    await settle();
    expect(titles(hk)).toEqual(['UPDATED:committed']);
    hk.dispose();
  });

  test('events of one alert that go out together are each logged as a read, and each delivered', async () => {
    const a = await createAndPublish({ title: 'three at once', distribution: { scope: 'ALL_PARTNERS' } });
    const hk = await subscribe(t, await t.trust.token('HK', ['OBSERVER'], { sub: 'batch-reader' }), SUBSCRIBE);
    // One transaction: the feed reads the three together and the group renders them as one batch.
    await sql.query(`insert into hub_event (stream, kind, alert_id) select 'alert', 'UPDATED', $1 from generate_series(1, 3)`, [a.id]);
    await hk.waitFor(3);
    const cursors = hk.events().map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(3);
    const log = await t.gql(gd, `query ($id: ID!) { alertAccessLog(alertId: $id) { edges { node { subject via } } } }`, { id: a.id });
    const reads = log.body.data.alertAccessLog.edges.filter((e: any) => e.node.via === 'subscription' && e.node.subject === 'batch-reader');
    expect(reads).toHaveLength(3);
    hk.dispose();
  });

  test('subscribers of one agency, roles and document share one execution per event, groups share the rows, and each subject is logged', async () => {
    const a = await createAndPublish({ title: 'shared execution', distribution: { scope: 'ALL_PARTNERS' } });
    const same = await Promise.all(['duty-1', 'duty-2', 'duty-3', 'duty-4'].map((sub) => t.trust.token('HK', ['OBSERVER'], { sub })));
    const subs: Subscriber[] = [];
    for (const token of same) subs.push(await subscribe(t, token, SUBSCRIBE));
    // Another document is another group.
    const other = await subscribe(t, same[0], `subscription { alertEvents { cursor alert { id title } } }`);
    expect(t.hub.stats()).toMatchObject({ subscriptions: subs.length + 1, groups: 2 });

    t.statements.length = 0;
    // Written outside the hub, so every statement the hub runs now is the fan-out's.
    await sql.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [a.id]);
    for (const s of [...subs, other]) await s.waitFor(1);
    // Each group asks what its viewer may see; the alert's rows are loaded once for both.
    const loads = t.statements.filter((q) => /from alert a where a\.id = any/.test(q));
    expect(loads).toHaveLength(2);
    const rows = t.statements.filter((q) => /from alert a join agency o on o\.code = a\.origin_agency_code/.test(q));
    expect(rows).toHaveLength(1);
    // The rows come in that one statement, collections and all: no load of a collection of its own.
    expect(t.statements.filter((q) => /from "(alert|alert_goods_line|alert_rights_holder|alert_distribution_agency|ipr_recordation)"/.test(q))).toEqual([]);
    const payloads = subs.map((s) => JSON.stringify(s.results[0]));
    expect(new Set(payloads).size).toBe(1);

    const log = await t.gql(gd, `query ($id: ID!) { alertAccessLog(alertId: $id) { edges { node { subject via } } } }`, { id: a.id });
    const subjects = log.body.data.alertAccessLog.edges.filter((e: any) => e.node.via === 'subscription').map((e: any) => e.node.subject).sort();
    // Two subscriptions of duty-1 (two documents): two reads.
    expect(subjects).toEqual(['duty-1', 'duty-1', 'duty-2', 'duty-3', 'duty-4']);
    // Stored as one row per group's read naming its subjects, listed a subject per entry.
    const stored = await sql.query(`select subjects from alert_access_log where alert_id = $1 and via = 'subscription' order by cardinality(subjects)`, [a.id]);
    expect(stored.rows.map((r) => [...r.subjects].sort())).toEqual([['duty-1'], ['duty-1', 'duty-2', 'duty-3', 'duty-4']]);
    // Pages of one entry walk through the subjects of a row one by one: none skipped, none twice.
    const PAGE = `query ($id: ID!, $after: String) { alertAccessLog(alertId: $id, first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { subject via } } } }`;
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const d: any = (await t.gql(gd, PAGE, { id: a.id, after })).body.data.alertAccessLog;
      expect(d.totalCount).toBe(log.body.data.alertAccessLog.edges.length);
      walked.push(...d.edges.filter((e: any) => e.node.via === 'subscription').map((e: any) => e.node.subject));
      if (!d.pageInfo.hasNextPage) break;
      after = d.pageInfo.endCursor;
    }
    expect(walked.sort()).toEqual(subjects);
    for (const s of [...subs, other]) s.dispose();
  });
});

describe('alertEvents, passes that later events join', () => {
  let t: TestHub;
  let gd: string;
  let sql: Client;
  // A small write slice (100 by default) stretches each pass over many turns of the event
  // loop, so that batches join passes under way, with members subscribing in between.
  beforeAll(async () => ({ t, gd, sql } = await openHub({ HUB_WS_WRITE_SLICE: '3' })));
  afterEach(disposeAll);
  afterAll(() => closeHub(t, sql));

  test('events that commit while a pass is being written join it: each subscriber, early or late, gets every event after it joined, once and in order', async () => {
    const created = (await t.gql(gd, CREATE, { input: alertInput({ title: 'stream', distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    const a = (await t.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
    const DOC = `subscription { alertEvents { cursor } }`;
    // One group of 250 members, written 3 a turn of the event loop: each pass spans many turns,
    // and events committed meanwhile join it.
    const early: Subscriber[] = [];
    for (let k = 0; k < 25; k++) {
      const token = await t.trust.token('HK', ['OBSERVER'], { sub: `stream-${k}` });
      const client = t.ws(token);
      for (let j = 0; j < 10; j++) early.push(await subscribe(t, token, DOC, {}, client));
    }
    expect(t.hub.stats().groups).toBeGreaterThanOrEqual(1);

    // Members that subscribe while events stream in: raw subscriptions, without waiting for
    // the log to go quiet first.
    const late: { cursors: string[] }[] = [];
    const joinLate = async (k: number) => {
      const client = t.ws(await t.trust.token('HK', ['OBSERVER'], { sub: `late-${k}` }));
      const sub = { cursors: [] as string[] };
      late.push(sub);
      client.subscribe({ query: DOC }, { next: (v: any) => sub.cursors.push(v.data.alertEvents.cursor), error: () => undefined, complete: () => undefined });
    };

    // Separate transactions in quick succession, some written side by side.
    const writers = [0, 1, 2].map(() => new Client({ connectionString: t.db.url }));
    await Promise.all(writers.map((w) => w.connect()));
    const insert = (w: Client) => w.query(`insert into hub_event (stream, kind, alert_id) values ('alert', 'UPDATED', $1)`, [a.id]);
    const total = 90;
    for (let k = 0; k < total / 3; k++) {
      await Promise.all(writers.map(insert));
      await joinLate(k);
      await new Promise((r) => setTimeout(r, 2 + (k % 4)));
    }
    // One more event once every late member is held, so that each has something to get.
    await until(() => t.hub.stats().subscriptions === early.length + late.length, 'the late subscriptions');
    await insert(writers[0]);
    await Promise.all(writers.map((w) => w.end()));

    const logged = (await sql.query(`select e.tx::text as tx, e.id::text as id from hub_event e where e.alert_id = $1 and e.kind = 'UPDATED' order by e.tx, e.id`, [a.id])).rows;
    expect(logged).toHaveLength(total + 1);
    const all = logged.map((r) => t.hub.eventCursors.encode({ tx: BigInt(r.tx), id: BigInt(r.id) }));
    for (const s of early) await s.waitFor(total + 1, 20_000);
    await new Promise((r) => setTimeout(r, 400));
    for (const s of early) expect(s.events().map((e) => e.cursor)).toEqual(all);
    // A late member starts somewhere in the stream and from there misses nothing.
    expect(late.length).toBe(total / 3);
    for (const { cursors } of late) {
      expect(cursors.length).toBeGreaterThan(0);
      expect(cursors).toEqual(all.slice(all.indexOf(cursors[0])));
    }
    for (const s of early) s.dispose();
  });
});
