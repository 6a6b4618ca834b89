/*
 * The demo data as `npm start` loads it, with the three split-shipment rings of issue 20: each
 * ring's parcels are in the hub, published by Guangdong, Hong Kong and Macao over the last
 * weeks, each small and together large; the look-alikes are there beside them; and under the
 * demo's sharing agreements a partner sees some parcels with their consignee and others as
 * CORE with PARTY_IDENTITY withheld (where only a match can say the consignee is the same).
 */
import { startTestHub, type TestHub } from '../support/hub';
import { DEMO_AGREEMENTS } from '../../src/demo/demo-data';
import { DEMO_DECOYS, DEMO_RINGS, type DemoAgency, type DemoRing } from '../../src/demo/demo-rings';

interface Row {
  id: string;
  origin: DemoAgency;
  status: string;
  scope: string;
  consignee_name: string;
  consignee_phone: string | null;
  created_at: Date;
  published_at: Date;
  updated_at: Date;
  quantity: number;
  first_change: Date;
  last_change: Date;
}

const GET = `query ($id: ID!) { alert(id: $id) { id title originAgency { code } goods { quantity } trackingNumbers consignee { name address phone } withheld } }`;

describe('the demo data with its split-shipment rings', () => {
  let t: TestHub;
  let loadedAt: number;
  const parcels = new Map<string, Row[]>();

  /** The ring's parcels as stored: those whose consignee is one of the ring's names. */
  async function rowsOf(ring: DemoRing): Promise<Row[]> {
    const names = ring.consignee.names.flatMap((set) => Object.values(set.spellings).flat());
    return t.hub.orm.em.getConnection().execute(
      `select a.id, a.origin_agency_code as origin, a.status, a.distribution_scope as scope, a.consignee_name, a.consignee_phone,
              a.created_at, a.published_at, a.updated_at,
              (select sum(g.quantity)::int from alert_goods_line g where g.alert_id = a.id) as quantity,
              (select min(h.at) from alert_history h where h.alert_id = a.id) as first_change,
              (select max(h.at) from alert_history h where h.alert_id = a.id) as last_change
         from alert a where a.consignee_name in (${names.map(() => '?').join(', ')}) order by a.created_at`,
      names,
    );
  }

  beforeAll(async () => {
    t = await startTestHub({ demoData: true });
    loadedAt = Date.now();
    for (const ring of DEMO_RINGS) parcels.set(ring.key, await rowsOf(ring));
  }, 180_000);
  afterAll(() => t?.stop());

  test.each(DEMO_RINGS.map((r) => [r.key, r] as const))('%s: every parcel is published by its agency, small, dated within the last weeks; together 20,000 pieces or more', (_, ring) => {
    const rows = parcels.get(ring.key)!;
    expect(rows).toHaveLength(ring.parcels.length);
    const byAgency = (list: readonly { origin: string }[]) => Object.fromEntries(['GD', 'HK', 'MO'].map((a) => [a, list.filter((x) => x.origin === a).length]));
    expect(byAgency(rows)).toEqual(byAgency(ring.parcels.map((p) => ({ origin: p[1] }))));
    for (const a of ['GD', 'HK', 'MO']) expect(byAgency(rows)[a]).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => r.status).sort()).toEqual(ring.parcels.map((p) => p[5] ?? 'PUBLISHED').sort());
    const ninetyDaysAgo = loadedAt - 90 * 86_400_000;
    for (const r of rows) {
      expect(r.quantity).toBeLessThanOrEqual(3000);
      expect(new Date(r.created_at).getTime()).toBeGreaterThan(ninetyDaysAgo);
      expect(new Date(r.created_at).getTime()).toBeLessThanOrEqual(new Date(r.published_at).getTime());
      expect(new Date(r.published_at).getTime()).toBeLessThanOrEqual(new Date(r.updated_at).getTime());
      expect(new Date(r.updated_at).getTime()).toBeLessThanOrEqual(loadedAt);
      // The history tells the same dates as the alert.
      expect(new Date(r.first_change)).toEqual(new Date(r.created_at));
      expect(new Date(r.last_change)).toEqual(new Date(r.updated_at));
    }
    expect(rows.reduce((s, r) => s + r.quantity, 0)).toBeGreaterThanOrEqual(20_000);
    const published = rows.map((r) => new Date(r.published_at).getTime());
    expect(Math.max(...published) - Math.min(...published)).toBeGreaterThanOrEqual(14 * 86_400_000);
  });

  test('the look-alikes are there, published, each small, none of them a ring parcel', async () => {
    const rows: { consignee_name: string; status: string; quantity: number }[] = await t.hub.orm.em.getConnection().execute(
      `select a.consignee_name, a.status, (select sum(g.quantity)::int from alert_goods_line g where g.alert_id = a.id) as quantity
         from alert a where a.consignee_name in (${DEMO_DECOYS.map(() => '?').join(', ')})`,
      DEMO_DECOYS.map((d) => d.consignee.name),
    );
    expect(rows.map((r) => r.consignee_name).sort()).toEqual(DEMO_DECOYS.map((d) => d.consignee.name).sort());
    for (const r of rows) {
      expect(r.status).toBe('PUBLISHED');
      expect(r.quantity).toBeLessThanOrEqual(3000);
    }
    const ringIds = new Set([...parcels.values()].flat().map((r) => r.consignee_name));
    for (const d of DEMO_DECOYS) expect(ringIds.has(d.consignee.name)).toBe(false);
  });

  test('the sharing agreements are the demo\'s: each agency reads those it gives and receives', async () => {
    const hk = await t.token('HK');
    const res = await t.gql(hk, `{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }`);
    expect(res.body.errors).toBeUndefined();
    const got = res.body.data.sharingAgreements.map((a: any) => [a.fromAgency.code, a.toAgency.code, [...a.fieldClasses].sort()]).sort();
    const want = DEMO_AGREEMENTS.filter(([f, to]) => f === 'HK' || to === 'HK').map(([f, to, c]) => [f, to, [...c].sort()]).sort();
    expect(got).toEqual(want);
  });

  /** What `agency`'s analyst reads of each parcel of every ring, by originator. */
  async function readAs(agency: string): Promise<{ origin: string; scope: string; alert: any }[]> {
    const token = await t.token(agency);
    const out = [];
    for (const rows of parcels.values()) {
      for (const r of rows) {
        const res = await t.gql(token, GET, { id: r.id });
        expect(res.body.errors).toBeUndefined();
        out.push({ origin: r.origin, scope: r.scope, alert: res.body.data.alert });
      }
    }
    return out;
  }

  test('a Hong Kong analyst sees Macao\'s parcels with their consignee, Guangdong\'s shared ones without it (PARTY_IDENTITY withheld), and none Guangdong kept to itself', async () => {
    const seen = await readAs('HK');
    const gd = seen.filter((s) => s.origin === 'GD');
    const gdShared = gd.filter((s) => s.scope !== 'ORIGINATOR_ONLY' && s.alert);
    expect(gdShared.length).toBeGreaterThanOrEqual(DEMO_RINGS.length * 3);
    for (const s of gdShared) {
      expect(s.alert.title).toEqual(expect.any(String));
      expect(s.alert.goods[0].quantity).toBeLessThanOrEqual(3000);
      expect(s.alert.consignee).toBeNull();
      expect(s.alert.withheld).toContain('PARTY_IDENTITY');
      expect(s.alert.withheld).not.toContain('SHIPMENT_IDENTIFIERS');
    }
    for (const s of gd.filter((x) => x.scope === 'ORIGINATOR_ONLY')) expect(s.alert).toBeNull();
    const mo = seen.filter((s) => s.origin === 'MO' && s.alert);
    expect(mo.length).toBeGreaterThan(0);
    for (const s of mo) {
      expect(s.alert.consignee.name).toEqual(expect.any(String));
      expect(s.alert.withheld).not.toContain('PARTY_IDENTITY');
    }
    for (const s of seen.filter((x) => x.origin === 'HK')) expect(s.alert.consignee.name).toEqual(expect.any(String));
  });

  test('a Guangdong analyst sees Hong Kong\'s parcels with their tracking numbers but not their consignee, and Macao\'s as CORE only', async () => {
    const seen = await readAs('GD');
    const hk = seen.filter((s) => s.origin === 'HK' && s.alert);
    const mo = seen.filter((s) => s.origin === 'MO' && s.alert);
    expect(hk.length).toBeGreaterThan(0);
    expect(mo.length).toBeGreaterThan(0);
    for (const s of hk) {
      expect(s.alert.consignee).toBeNull();
      expect(s.alert.withheld).toEqual(expect.arrayContaining(['PARTY_IDENTITY']));
      expect(s.alert.withheld).not.toContain('SHIPMENT_IDENTIFIERS');
    }
    expect(hk.some((s) => s.alert.trackingNumbers?.length)).toBe(true);
    for (const s of mo) {
      expect(s.alert.consignee).toBeNull();
      expect(s.alert.trackingNumbers).toBeNull();
      expect(s.alert.withheld).toEqual(expect.arrayContaining(['PARTY_IDENTITY', 'SHIPMENT_IDENTIFIERS']));
    }
  });
});
