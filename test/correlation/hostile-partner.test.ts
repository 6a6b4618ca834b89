/*
 * A hostile partner (Hong Kong here) against the correlation features of issue 20, on a real
 * hub over HTTP: it writes its own alerts to ask questions, probes, replays handles and
 * follows an approved handle grant everywhere it could reach further. No value Guangdong
 * withheld from it, and no field of a Guangdong alert outside its distribution, may come back:
 * not a quantity through a cluster's threshold, not a class the grant did not give through a
 * probe, a correlation, a filter, a count or a federation reference.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CREATE, PUBLISH, UPDATE, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const SECRET = randomBytes(32);
const LIMIT = 10;

const PROBE = `query ($ids: [IdentifierProbeInput!]!) {
  matchIdentifiers(identifiers: $ids) { kind normalized hits { agency { code } fieldClass role reference handle alert { id withheld } } }
}`;
const QUOTA = `{ probeQuota { limit used remaining } }`;
const BY_HANDLE = `mutation ($h: String!, $c: [FieldClass!]!, $j: String!) {
  requestDisclosureByHandle(handle: $h, fieldClasses: $c, justification: $j) { id status alert { id } }
}`;
const REQUESTS = `query ($a: ID, $s: [DisclosureStatus!]) { disclosureRequests(alertId: $a, status: $s) { id viaHandle alert { id } } }`;
const DECIDE = `mutation ($r: ID!, $ok: Boolean!, $exp: DateTime) { decideDisclosure(requestId: $r, approve: $ok, expiresAt: $exp) { id status } }`;
const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;
const CORRELATIONS = `query ($a: ID) { correlations(alertId: $a, first: 100) { totalCount edges { node { kind fieldClass otherAgency { code } otherReference handle other { id withheld } } } } }`;
const CLUSTERS = `query ($alertId: ID, $min: Int, $max: Int) {
  shipmentClusters(alertId: $alertId, minTotalQuantity: $min, maxMemberQuantity: $max) {
    id score visibleQuantity reasons { code kind members agencies days quantity weight } members { alert { id } } hidden { agency { code } count }
  } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id title consignee { phone } containerNumbers withheld } } }`;
const LIST = `query ($f: AlertFilter) { alerts(filter: $f, first: 100) { totalCount edges { node { id } } } }`;

describe('a hostile partner against probes, handles, correlations and clusters', () => {
  let t: TestHub;
  let sql: Client;
  let gd: string;
  let hk: string;
  let mo: string;

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }
  let serial = 0;
  /** Published, with a consignor and bill of lading of its own: only what a test gives it links it to another alert. */
  async function published(token: string, overrides: Record<string, unknown>) {
    const n = ++serial;
    const input = alertInput({ consignor: { name: `Unrelated consignor ${n}`, country: 'CN' }, billOfLading: `HOSTILE-BL-${n}`, ...overrides });
    const a = (await ok(token, CREATE, { input })).createAlert;
    return (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
  }
  const goods = (quantity: number) => [{ category: 'INTEGRATED_CIRCUITS', description: 'power management ICs', hsCode: '8542.31', quantity, unit: 'pcs' }];
  /** A small e-commerce parcel to `consignee`, with nothing else that links it. */
  const parcel = (n: string, quantity: number, consignee: Record<string, unknown>, distribution: Record<string, unknown>) => ({
    channel: 'CROSS_BORDER_ECOMMERCE',
    goods: goods(quantity),
    containerNumbers: [],
    billOfLading: null,
    consignor: { name: `Sender ${n}`, country: 'CN' },
    consignee: { country: 'HK', ...consignee },
    distribution,
  });

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_MATCH_KEY_SECRET: SECRET.toString('base64'), HUB_PROBE_DAILY_LIMIT: String(LIMIT) } });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
    // Guangdong gives Hong Kong its shipment identifiers by agreement: not through a handle's grant.
    await ok(await t.token('GD', ['ADMIN']), AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS'] });
  });
  afterAll(async () => {
    await sql?.end();
    await t?.stop();
  });

  test("Hong Kong cannot weigh a Guangdong parcel it may not see by changing the quantity of its own parcel that shares the consignee's phone", async () => {
    const phone = '+852 6123 0457';
    const theirs = await published(gd, parcel('W1', 1234, { name: 'Weighed Ring Ltd', phone }, { scope: 'ORIGINATOR_ONLY' }));
    let gdVersion = theirs.version;
    let mine = await published(hk, parcel('W2', 1, { name: 'Weighed Ring Limited', phone: '6123 0457' }, { scope: 'ORIGINATOR_ONLY' }));

    /** What Hong Kong is answered, with its own parcel at `quantity`, of everything but its own total. */
    const answer = async (quantity: number) => {
      mine = (await ok(hk, UPDATE, { id: mine.id, version: mine.version, input: { goods: goods(quantity) } })).updateAlert;
      const found = (await ok(hk, CLUSTERS, { alertId: mine.id, max: 1_000_000_000 })).shipmentClusters;
      return found.map((c: any) => ({
        hidden: c.hidden,
        members: c.members.map((m: any) => m.alert.id),
        reasons: c.reasons.filter((r: any) => r.code !== 'VISIBLE_TOTAL').map((r: any) => ({ ...r, weight: r.code === 'SPAN' ? null : r.weight })),
      }));
    };
    const sizes = [16_999, 17_000, 17_001, 18_000, 18_765, 18_766, 19_999];
    const answers = async () => {
      const out = [];
      for (const q of sizes) out.push(await answer(q));
      return out;
    };
    const at1234 = await answers();
    // The hidden parcel is there to be found: at some own quantity the cluster shows, one parcel at GD.
    expect(at1234.some((a) => a.length === 1 && a[0].hidden.length === 1)).toBe(true);
    const weighed = (await ok(gd, UPDATE, { id: theirs.id, version: gdVersion, input: { goods: goods(2999) } })).updateAlert;
    gdVersion = weighed.version;
    const at2999 = await answers();
    // Whatever quantity Hong Kong gives its own parcel, 1,234 and 2,999 pieces at Guangdong answer alike.
    expect(at2999).toEqual(at1234);
  });

  test("an approved handle grant on one alert's consignee reaches that alert and that class alone: not its containers (by probe, correlation, filter or federation), not its neighbour, and nothing once expired", async () => {
    const phone = '+852 6555 0101';
    const boxA = containerNo('GRA', '000011');
    const boxB = containerNo('GRB', '000012');
    const a = await published(gd, { title: 'Grant scope alert A', goods: goods(500), containerNumbers: [boxA], consignee: { name: 'Grant Ring A', country: 'HK', phone }, distribution: { scope: 'ORIGINATOR_ONLY' } });
    const b = await published(gd, { title: 'Grant scope alert B', goods: goods(700), containerNumbers: [boxB], consignee: { name: 'Grant Ring B', country: 'HK', phone }, distribution: { scope: 'ORIGINATOR_ONLY' } });
    const x = await published(hk, { title: 'Hong Kong side of the grant', goods: goods(900), containerNumbers: [boxA], consignee: { name: 'Grant Ring', country: 'HK', phone: '6555-0101' }, distribution: { scope: 'ORIGINATOR_ONLY' } });
    const officer = await t.trust.token('HK', ['ANALYST'], { sub: 'hk-grant-scope' });
    // Hong Kong wrote boxA itself; Guangdong's own register references and B are never its to read.
    const secrets = [boxB, b.id, a.reference, b.reference];

    // Asked through both of Guangdong's handles; Guangdong approves the request on A alone.
    const [m] = (await ok(officer, PROBE, { ids: [{ kind: 'PHONE', value: '65550101' }] })).matchIdentifiers;
    const gdHits = m.hits.filter((h: any) => h.agency.code === 'GD');
    expect(gdHits.map((h: any) => [h.reference, h.alert])).toEqual([
      [null, null],
      [null, null],
    ]);
    for (const h of gdHits) await ok(officer, BY_HANDLE, { h: h.handle, c: [], j: 'phone of HK case 2026/441' });
    const asked = (await ok(gd, REQUESTS, { s: ['PENDING'] })).disclosureRequests.filter((r: any) => r.viaHandle && [a.id, b.id].includes(r.alert.id));
    expect(asked).toHaveLength(2);
    const onA = asked.find((r: any) => r.alert.id === a.id);
    await ok(gd, DECIDE, { r: onA.id, ok: true, exp: new Date(Date.now() + 7 * 86_400_000).toISOString() });

    const read = async (id: string) => (await ok(officer, `query ($id: ID!) { alert(id: $id) { id consignee { phone } containerNumbers withheld } }`, { id })).alert;
    expect(await read(a.id)).toEqual({ id: a.id, consignee: { phone }, containerNumbers: null, withheld: ['SHIPMENT_IDENTIFIERS', 'SOURCE', 'OPERATIONAL'] });
    expect(await read(b.id)).toBeNull();

    // Listed and found by CORE fields, as the docs promise; never through its withheld containers.
    const ids = async (f: Record<string, unknown> | null) => {
      const l = (await ok(officer, LIST, { f })).alerts;
      return { n: l.totalCount, ids: l.edges.map((e: any) => e.node.id) };
    };
    expect((await ids(null)).ids).toEqual(expect.arrayContaining([a.id]));
    expect((await ids(null)).ids).not.toContain(b.id);
    expect(await ids({ text: 'Grant scope alert' })).toEqual({ n: 1, ids: [a.id] });
    expect(await ids({ containerNumber: boxA })).toEqual({ n: 1, ids: [x.id] });
    expect(await ids({ containerNumber: boxB })).toEqual({ n: 0, ids: [] });

    // The probe: A named by its phone (granted), but its container stays a handle.
    const [byBox, byPhone] = (await ok(officer, PROBE, { ids: [{ kind: 'CONTAINER', value: boxA }, { kind: 'PHONE', value: phone }] })).matchIdentifiers;
    expect(byBox.hits.map((h: any) => [h.agency.code, h.reference === null, h.alert?.id ?? null, typeof h.handle])).toEqual([
      ['GD', true, null, 'string'],
      ['HK', false, x.id, 'object'],
    ]);
    expect(byPhone.hits.filter((h: any) => h.agency.code === 'GD').map((h: any) => h.alert?.id ?? null)).toEqual([a.id, null]);

    // Correlations of Hong Kong's alert: handles all. A shares its phone (granted) and its
    // container (not): naming A on the phone row would tie the container handle to it.
    const rows = (await ok(officer, CORRELATIONS, { a: x.id })).correlations;
    expect(rows.totalCount).toBe(3);
    const row = (kind: string, named: boolean) => rows.edges.map((e: any) => e.node).filter((n: any) => n.kind === kind && (n.other !== null) === named);
    expect(row('PHONE', true)).toEqual([]);
    expect(row('PHONE', false)).toHaveLength(2);
    expect(row('CONTAINER', true)).toEqual([]);
    expect(row('CONTAINER', false)).toEqual([expect.objectContaining({ otherAgency: { code: 'GD' }, otherReference: null, other: null, handle: expect.stringMatching(/^hit1\./) })]);

    // Federation: the same alert as alert(id), its neighbour nothing.
    const ent = (await ok(officer, ENTITIES, { r: [{ __typename: 'Alert', id: a.id }, { __typename: 'Alert', id: b.id }] }))._entities;
    expect(ent).toEqual([{ id: a.id, title: a.title, consignee: { phone }, containerNumbers: null, withheld: ['SHIPMENT_IDENTIFIERS', 'SOURCE', 'OPERATIONAL'] }, null]);

    // B's request is still pending: not listed for Hong Kong, not even on the alert itself.
    expect((await ok(officer, REQUESTS, { s: ['PENDING'] })).disclosureRequests.filter((r: any) => r.viaHandle)).toEqual([]);
    expect((await ok(officer, REQUESTS, { a: b.id })).disclosureRequests).toEqual([]);

    // Clusters: A is a member Hong Kong may read (its consignee is granted); B a count.
    const [c] = (await ok(officer, CLUSTERS, { alertId: x.id, min: 1 })).shipmentClusters;
    expect(c.members.map((mm: any) => mm.alert.id).sort()).toEqual([a.id, x.id].sort());
    expect(c.hidden).toEqual([{ agency: { code: 'GD' }, count: 1 }]);

    const seen = JSON.stringify([byBox, byPhone, rows, ent, c]);
    for (const v of secrets) expect(seen).not.toContain(v);

    // Expired: nothing of A in any of those routes.
    await sql.query(`update disclosure_request set expires_at = now() - interval '1 second' where id = $1`, [onA.id]);
    expect(await read(a.id)).toBeNull();
    expect((await ids(null)).ids).not.toContain(a.id);
    expect(await ids({ text: 'Grant scope alert' })).toEqual({ n: 0, ids: [] });
    expect((await ok(officer, ENTITIES, { r: [{ __typename: 'Alert', id: a.id }] }))._entities).toEqual([null]);
    const after = (await ok(officer, CORRELATIONS, { a: x.id })).correlations.edges.map((e: any) => e.node);
    expect(after.map((n: any) => n.other)).toEqual([null, null, null]);
    const [again] = (await ok(officer, PROBE, { ids: [{ kind: 'PHONE', value: phone }] })).matchIdentifiers;
    expect(again.hits.filter((h: any) => h.agency.code === 'GD').map((h: any) => h.alert)).toEqual([null, null]);
    expect(JSON.stringify([after, again])).not.toContain(a.id);
  });

  test("a correlation's handle is its agency's alone: the holder and a third agency replaying it get the one refusal, the agency it was issued to a request the holder decides", async () => {
    const phone = '+853 6612 3409';
    const hkAlert = await published(hk, { containerNumbers: [containerNo('RPH', '000021')], consignee: { name: 'Replay Test', country: 'MO', phone }, distribution: { scope: 'ORIGINATOR_ONLY' } });
    const gdAlert = await published(gd, { containerNumbers: [containerNo('RPG', '000022')], consignee: { name: 'Replay Test GD', country: 'MO', phone: '66123409' }, distribution: { scope: 'ORIGINATOR_ONLY' } });
    const [gdSide] = (await ok(gd, CORRELATIONS, { a: gdAlert.id })).correlations.edges.map((e: any) => e.node);
    expect(gdSide).toMatchObject({ kind: 'PHONE', otherAgency: { code: 'HK' }, other: null });
    const refusals = new Set<string>();
    for (const token of [hk, mo]) {
      const res = await t.gql(token, BY_HANDLE, { h: gdSide.handle, c: [], j: 'replayed' });
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'handle' });
      expect(JSON.stringify(res.body)).not.toContain(hkAlert.id);
      refusals.add(res.body.errors[0].message);
    }
    expect(refusals.size).toBe(1);
    const [{ n }] = (await sql.query(`select count(*)::int as n from disclosure_request where alert_id = $1`, [hkAlert.id])).rows;
    expect(n).toBe(0);
    const made = (await ok(gd, BY_HANDLE, { h: gdSide.handle, c: ['PARTY_IDENTITY'], j: 'same phone as GD case' })).requestDisclosureByHandle;
    expect(made).toMatchObject({ status: 'PENDING', alert: null });
    expect((await ok(hk, REQUESTS, { a: hkAlert.id })).disclosureRequests).toEqual([{ id: made.id, viaHandle: true, alert: { id: hkAlert.id } }]);
  });

  test('the quota holds across spellings and kinds: one value in any spelling is one, another kind another; concurrent calls of one value in many spellings pass only as far as the limit', async () => {
    const officer = await t.trust.token('HK', ['ANALYST'], { sub: 'hk-spellings' });
    const spellings = ['+852 6777 0123', '(852) 6777-0123', '00852 67770123', '６７７７ ０１２３', '852-6777-0123'];
    const [first] = (await ok(officer, PROBE, { ids: spellings.map((value) => ({ kind: 'PHONE', value })) })).matchIdentifiers;
    expect(first.normalized).toBe('+85267770123');
    expect((await ok(officer, QUOTA)).probeQuota.used).toBe(1);
    // The same digits as another kind are another question, and cost another value.
    await ok(officer, PROBE, { ids: [{ kind: 'TRACKING_NUMBER', value: '67770123' }, { kind: 'PHONE', value: '6777 0123' }] });
    expect((await ok(officer, QUOTA)).probeQuota.used).toBe(3);
    // Each call pays for what it asks: spelling a value otherwise in another call is no free look.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.gql(officer, PROBE, { ids: [{ kind: 'PHONE', value: spellings[i % spellings.length] }] })));
    expect(results.filter((r) => !r.body.errors).length).toBe(LIMIT - 3);
    for (const r of results.filter((r) => r.body.errors)) expect(r.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect((await ok(officer, QUOTA)).probeQuota).toMatchObject({ used: LIMIT, remaining: 0 });
  });
});
