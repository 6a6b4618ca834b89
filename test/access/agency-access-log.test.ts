/*
 * agencyAccessLog: the log of partners' reads of all of an agency's alerts, for its ADMINs
 * (src/access/access.service.ts), as the console's sharing administration pages and exports it.
 *
 * What an agency relies on: its ADMINs see every partner read of its alerts, exactly as
 * stored, narrowed by partner, alert, route and time, paged without skip or repeat; no other
 * role, and no other agency, reads it; another agency's alert named in the filter answers as an
 * alert never read, so the log tells nothing of it; reading the log (what the console's CSV
 * export does) is not itself a partner read and adds nothing to the log. Bad input is
 * BAD_USER_INPUT naming the argument, never SQL. Each check has a positive control.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { CREATE, GET, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type GqlResponse, type TestHub } from '../support/hub';

const LOG = `query ($f: AccessLogFilter, $first: Int, $after: String) {
  agencyAccessLog(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { at agency { code } subject disclosed via alertId alert { id reference title originAgency { code } source { reference } } } }
  }
}`;
const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;

interface Node {
  at: string;
  agency: { code: string };
  subject: string;
  disclosed: string[];
  via: string;
  alertId: string;
  alert: { id: string; reference: string; title: string; originAgency: { code: string }; source: { reference: string } | null } | null;
}

describe('agencyAccessLog: every partner read of an agency\'s alerts, for its ADMINs', () => {
  let t: TestHub;
  let sql: PgClient;
  let gd: string;
  let gdAdmin: string;
  let hkAdmin: string;
  let gdA: { id: string; reference: string; title: string };
  let gdB: { id: string; reference: string; title: string };
  let hkOwn: { id: string; reference: string; title: string };
  /** Between the first reads and the later ones. */
  let middle: Date;

  const officer = (agency: string, sub: string, roles = ['OBSERVER']) => t.trust.token(agency, roles, { sub });

  async function published(token: string, overrides: Record<string, unknown>) {
    const a = (await t.gql(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).body.data.createAlert;
    const p = await t.gql(token, PUBLISH, { id: a.id, version: a.version });
    expect(p.body.errors).toBeUndefined();
    return p.body.data.publishAlert as { id: string; reference: string; title: string };
  }

  async function read(token: string, id: string) {
    const res = await t.gql(token, GET, { id });
    expect(res.body.data.alert.id).toBe(id);
  }

  /** The entries the stored rows stand for, newest row first, its subjects in the order stored: `agency|via|subject|alert`. */
  async function stored(where = 'true', params: unknown[] = []): Promise<string[]> {
    const r = await sql.query(
      `select l.agency_code, l.via, l.subjects, l.alert_id from alert_access_log l join alert a on a.id = l.alert_id
        where a.origin_agency_code = 'GD' and ${where} order by l.id desc`,
      params,
    );
    return r.rows.flatMap((row) => row.subjects.map((s: string) => `${row.agency_code}|${row.via}|${s}|${row.alert_id}`));
  }
  const key = (n: Node) => `${n.agency.code}|${n.via}|${n.subject}|${n.alertId}`;

  /** The whole log under `filter`, `first` at a time. */
  async function walk(token: string, filter: Record<string, unknown> | null, first = 100): Promise<{ nodes: Node[]; totals: number[] }> {
    const nodes: Node[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: GqlResponse = await t.gql(token, LOG, { f: filter, first, after });
      expect(res.body.errors).toBeUndefined();
      const d: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { node: Node }[] } = res.body.data.agencyAccessLog;
      totals.push(d.totalCount);
      expect(d.pageInfo.hasPreviousPage).toBe(after != null);
      nodes.push(...d.edges.map((e: { node: Node }) => e.node));
      if (!d.pageInfo.hasNextPage) return { nodes, totals };
      expect(d.edges).toHaveLength(first);
      after = d.pageInfo.endCursor;
    }
    throw new Error('the log did not end in 100 pages');
  }

  beforeAll(async () => {
    t = await startTestHub();
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
    [gd, gdAdmin, hkAdmin] = await Promise.all([t.token('GD'), t.token('GD', ['ADMIN']), t.token('HK', ['ADMIN'])]);
    expect((await t.gql(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS'] })).body.errors).toBeUndefined();
    gdA = await published(gd, { title: 'Speakers and logo plates, Shekou', containerNumbers: [containerNo('AAL', '000001')] });
    gdB = await published(gd, { title: 'Integrated circuits, Huangpu', containerNumbers: [containerNo('AAL', '000002')] });
    hkOwn = await published(await t.token('HK'), { title: 'Hong Kong own alert', containerNumbers: [containerNo('AAL', '000003')] });
    await read(await officer('HK', 'hk-officer-1'), gdA.id);
    await read(await officer('MO', 'mo-officer-1'), gdA.id);
    await read(await officer('MO', 'mo-officer-1'), hkOwn.id);
    const [{ now }] = (await sql.query('select clock_timestamp() as now')).rows;
    middle = new Date(now);
    await new Promise((r) => setTimeout(r, 20));
    await read(await officer('HK', 'hk-officer-2'), gdB.id);
    await read(await officer('HK', 'hk-officer-1'), gdA.id);
    // A read by GD's own officer is not a partner read: never logged.
    await read(gd, gdA.id);
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  test("a Guangdong ADMIN reads every partner read of GD's alerts, newest first, with the alert whole and nothing of others' alerts", async () => {
    const { nodes, totals } = await walk(gdAdmin, null);
    expect(nodes.map(key)).toEqual(await stored());
    expect(totals).toEqual([nodes.length]);
    // Positive control: the reads above are all there (and GD's own read, and MO's of HK's alert, are not).
    expect(nodes.map((n) => `${n.agency.code}|${n.subject}|${n.alertId}`)).toEqual([
      `HK|hk-officer-1|${gdA.id}`,
      `HK|hk-officer-2|${gdB.id}`,
      `MO|mo-officer-1|${gdA.id}`,
      `HK|hk-officer-1|${gdA.id}`,
    ]);
    expect(nodes.every((n) => n.via === 'query')).toBe(true);
    // What HK was given by agreement is what its read disclosed; MO has CORE alone.
    expect(nodes.find((n) => n.agency.code === 'MO')!.disclosed).toEqual(['CORE']);
    expect(nodes.find((n) => n.agency.code === 'HK')!.disclosed).toEqual(['CORE', 'SHIPMENT_IDENTIFIERS']);
    // The alert is GD's own: the ADMIN sees it whole, SOURCE included.
    const a = nodes.find((n) => n.alertId === gdA.id)!.alert!;
    expect(a).toMatchObject({ id: gdA.id, reference: gdA.reference, title: gdA.title, originAgency: { code: 'GD' } });
    expect(a.source).not.toBeNull();
    // Paging three at a time walks the same entries, without skip or repeat.
    expect((await walk(gdAdmin, null, 3)).nodes.map(key)).toEqual(nodes.map(key));
    expect((await walk(gdAdmin, null, 1)).nodes.map(key)).toEqual(nodes.map(key));
  });

  test('each filter narrows to what the stored rows say, and together they narrow further', async () => {
    const byPartner = await walk(gdAdmin, { partner: 'mo' });
    expect(byPartner.nodes.map(key)).toEqual(await stored(`l.agency_code = 'MO'`));
    expect(byPartner.nodes).toHaveLength(1);
    expect(byPartner.totals).toEqual([1]);

    const byAlert = await walk(gdAdmin, { alertId: gdB.id });
    expect(byAlert.nodes.map(key)).toEqual(await stored('l.alert_id = $1', [gdB.id]));
    expect(byAlert.nodes.map((n) => n.subject)).toEqual(['hk-officer-2']);

    const before = await walk(gdAdmin, { to: middle.toISOString() });
    const after = await walk(gdAdmin, { from: middle.toISOString() });
    expect(before.nodes.map(key)).toEqual(await stored('l.at < $1', [middle]));
    expect(after.nodes.map(key)).toEqual(await stored('l.at >= $1', [middle]));
    expect(before.nodes.length + after.nodes.length).toBe((await stored()).length);
    expect(before.nodes.length).toBeGreaterThan(0);
    expect(after.nodes.length).toBeGreaterThan(0);

    const both = await walk(gdAdmin, { partner: 'HK', alertId: gdA.id, from: middle.toISOString(), via: ['QUERY'] });
    expect(both.nodes.map((n) => n.subject)).toEqual(['hk-officer-1']);
    expect(both.totals).toEqual([1]);

    expect((await walk(gdAdmin, { via: ['SUBSCRIPTION', 'EXPORT'] })).nodes).toEqual([]);
    expect((await walk(gdAdmin, { via: ['QUERY'] })).nodes.map(key)).toEqual(await stored());
    expect((await walk(gdAdmin, { via: [] })).nodes).toEqual([]);
  });

  test('only an ADMIN reads it, and only of its own agency: an HK ADMIN naming a GD alert gets what an unknown id gets', async () => {
    for (const roles of [['ANALYST'], ['OBSERVER'], ['COORDINATOR'], ['ANALYST', 'COORDINATOR', 'OBSERVER']]) {
      const res = await t.gql(await t.token('GD', roles), LOG, { f: null });
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    // HK's ADMIN sees HK's own log: MO's read of HK's alert, nothing of GD's.
    const hk = await walk(hkAdmin, null);
    expect(hk.nodes.map((n) => `${n.agency.code}|${n.subject}|${n.alertId}`)).toEqual([`MO|mo-officer-1|${hkOwn.id}`]);
    // Naming GD's alert (read by MO, by HK itself) answers exactly as an id never seen.
    const gdAlert = await t.gql(hkAdmin, LOG, { f: { alertId: gdA.id }, first: 10 });
    const unknown = await t.gql(hkAdmin, LOG, { f: { alertId: randomUUID() }, first: 10 });
    expect(gdAlert.body).toEqual(unknown.body);
    expect(gdAlert.body.data.agencyAccessLog).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null }, edges: [] });
    // Through aliases and fragments alike.
    const aliased = await t.gql(
      hkAdmin,
      `query ($a: ID!) { x: agencyAccessLog(filter: { alertId: $a }) { ...L } y: agencyAccessLog(filter: { partner: "MO" }) { ...L } }
       fragment L on AccessLogConnection { totalCount edges { node { alertId alert { id title } } } }`,
      { a: gdA.id },
    );
    expect(aliased.body.errors).toBeUndefined();
    expect(aliased.body.data.x).toEqual({ totalCount: 0, edges: [] });
    expect(aliased.body.data.y.edges.map((e: any) => e.node.alertId)).toEqual([hkOwn.id]);
    expect(JSON.stringify(aliased.body)).not.toContain(gdA.id);
  });

  test('reading the log, as the CSV export does, is no partner read: it adds nothing to the log', async () => {
    const count = async () => Number((await sql.query('select count(*) from alert_access_log')).rows[0].count);
    const before = await count();
    await walk(gdAdmin, null, 2);
    await walk(hkAdmin, null);
    expect(await count()).toBe(before);
    // Positive control: a partner's read does add a row.
    await read(await officer('MO', 'mo-officer-2'), gdB.id);
    expect(await count()).toBe(before + 1);
  });

  test('bad arguments are BAD_USER_INPUT naming the argument, with no SQL, and change nothing', async () => {
    const count = async () => Number((await sql.query('select count(*) from alert_access_log')).rows[0].count);
    const before = await count();
    const aliCursor = (await t.gql(gdAdmin, `query ($a: ID!) { alertAccessLog(alertId: $a, first: 1) { pageInfo { endCursor } } }`, { a: gdA.id })).body.data.alertAccessLog.pageInfo.endCursor;
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ after: 'not a cursor' }, 'after'],
      [{ after: aliCursor }, 'after'],
      [{ after: forge(['agency-access-log', "1'; drop table alert_access_log; --", 1]) }, 'after'],
      [{ after: forge(['agency-access-log', '12']) }, 'after'],
      [{ after: forge(['agency-access-log', '12', 0]) }, 'after'],
      [{ f: { alertId: "x' or 1=1 --" } }, 'filter.alertId'],
      [{ f: { partner: 'ZZ' } }, 'filter.partner'],
      [{ f: { partner: "HK' or '1'='1" } }, 'filter.partner'],
      [{ f: { partner: 'gd' } }, 'filter.partner'],
      [{ f: { from: middle.toISOString(), to: middle.toISOString() } }, 'filter.from'],
      [{ f: { from: new Date(middle.getTime() + 1000).toISOString(), to: middle.toISOString(), via: [] } }, 'filter.from'],
    ];
    for (const [vars, field] of cases) {
      const res = await t.gql(gdAdmin, LOG, vars);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(res.body.errors[0].message).not.toMatch(/select|alert_access_log|syntax|stack/i);
    }
    // A route the schema does not know is refused before the hub runs anything.
    const route = await t.gql(gdAdmin, LOG, { f: { via: ['query'] } });
    expect(route.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
    // Positive control: the hub's own cursor of this query continues the walk.
    const first = (await t.gql(gdAdmin, LOG, { first: 1 })).body.data.agencyAccessLog;
    const next = await t.gql(gdAdmin, LOG, { first: 1, after: first.pageInfo.endCursor });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.agencyAccessLog.edges).toHaveLength(1);
  });
});
