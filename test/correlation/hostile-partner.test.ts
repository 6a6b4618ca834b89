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
  async function published(token: string, overrides: Record<string, unknown>) {
    const a = (await ok(token, CREATE, { input: alertInput(overrides) })).createAlert;
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
});
