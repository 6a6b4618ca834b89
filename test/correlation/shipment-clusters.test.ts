/*
 * shipmentClusters against the demo data's three split-shipment rings (src/demo/demo-rings.ts),
 * on a real hub over HTTP: a Hong Kong analyst starting from one Hong Kong parcel finds each
 * ring, with the parcels it may not see counted per agency and nothing more; look-alikes stay
 * out; a partner learns no hidden parcel's id, reference, quantity or date through the
 * clusters, their totals, their ids or the errors; bad arguments are refused.
 */
import { startTestHub, type TestHub } from '../support/hub';
import { DEMO_DECOYS, DEMO_RINGS, type DemoRing } from '../../src/demo/demo-rings';

interface Parcel {
  id: string;
  origin: string;
  reference: string;
  partner_reference: string;
  quantity: number;
  published_at: Date;
  tracking: string[] | null;
}

const CLUSTERS = `query ($alertId: ID, $min: Int, $max: Int, $first: Int, $from: DateTime, $to: DateTime) {
  shipmentClusters(alertId: $alertId, minTotalQuantity: $min, maxMemberQuantity: $max, first: $first, from: $from, to: $to) {
    id score visibleQuantity firstSeen lastSeen
    reasons { code kind members agencies days quantity weight }
    members { linkedBy nearMatchedBy alert { id reference partnerReference originAgency { code } goods { quantity } publishedAt consignee { name } withheld } }
    hidden { agency { code } count }
    agencies { code }
  } }`;

describe('shipmentClusters on the demo rings', () => {
  let t: TestHub;
  const rings = new Map<string, Parcel[]>();
  const decoyIds: string[] = [];
  /** Per agency: the ids of the ring parcels it may see with their consignee. */
  const visibleTo = new Map<string, Set<string>>();
  /** Per agency: the ids of the ring parcels it may read at all. */
  const readableBy = new Map<string, Set<string>>();

  async function parcelsOf(ring: DemoRing): Promise<Parcel[]> {
    const names = ring.consignee.names.flatMap((set) => Object.values(set.spellings).flat());
    return t.hub.orm.em.getConnection().execute(
      `select a.id, a.origin_agency_code as origin, a.reference, a.origin_agency_code || '-' || a.partner_token as partner_reference, a.published_at, a.tracking_numbers as tracking,
              (select sum(g.quantity)::int from alert_goods_line g where g.alert_id = a.id) as quantity
         from alert a where a.consignee_name in (${names.map(() => '?').join(', ')}) order by a.published_at`,
      names,
    );
  }

  async function clusters(agency: string, vars: Record<string, unknown>, roles?: string[]) {
    const res = await t.gql(await t.token(agency, roles), CLUSTERS, vars);
    return res;
  }

  beforeAll(async () => {
    t = await startTestHub({ demoData: true });
    for (const ring of DEMO_RINGS) rings.set(ring.key, await parcelsOf(ring));
    const rows: { id: string }[] = await t.hub.orm.em.getConnection().execute(
      `select id from alert where consignee_name in (${DEMO_DECOYS.map(() => '?').join(', ')})`,
      DEMO_DECOYS.map((d) => d.consignee.name),
    );
    decoyIds.push(...rows.map((r) => r.id));
    for (const agency of ['GD', 'HK', 'MO']) {
      const token = await t.token(agency);
      const seen = new Set<string>();
      const readable = new Set<string>();
      for (const p of [...rings.values()].flat()) {
        // Seen as a member: the alert, and its consignee (every link of a cluster is a consignee key).
        const res = await t.gql(token, `query ($id: ID!) { alert(id: $id) { id withheld } }`, { id: p.id });
        if (res.body.data.alert && !res.body.data.alert.withheld.includes('PARTY_IDENTITY')) seen.add(p.id);
        if (res.body.data.alert) readable.add(p.id);
      }
      visibleTo.set(agency, seen);
      readableBy.set(agency, readable);
    }
  }, 180_000);
  afterAll(() => t?.stop());

  test.each(DEMO_RINGS.map((r) => [r.key] as const))('%s: a Hong Kong analyst starting from one Hong Kong parcel finds the whole ring, the parcels it may not see only counted', async (key) => {
    const parcels = rings.get(key)!;
    const start = parcels.find((p) => p.origin === 'HK')!;
    const res = await clusters('HK', { alertId: start.id });
    expect(res.body.errors).toBeUndefined();
    const found = res.body.data.shipmentClusters;
    expect(found).toHaveLength(1);
    const [c] = found;
    const hkSees = visibleTo.get('HK')!;
    const seen = parcels.filter((p) => hkSees.has(p.id));
    const unseen = parcels.filter((p) => !hkSees.has(p.id));
    expect(unseen.length).toBeGreaterThan(0);
    // Every parcel HK may see is a member; every other is counted at its agency; nothing else.
    expect(c.members.map((m: any) => m.alert.id).sort()).toEqual(seen.map((p) => p.id).sort());
    const hiddenWant: Record<string, number> = {};
    for (const p of unseen) hiddenWant[p.origin] = (hiddenWant[p.origin] ?? 0) + 1;
    expect(Object.fromEntries(c.hidden.map((h: any) => [h.agency.code, h.count]))).toEqual(hiddenWant);
    expect(c.agencies.map((a: any) => a.code)).toEqual(['GD', 'HK', 'MO']);
    // Quantities from the goods lines, of the members HK sees only.
    expect(c.visibleQuantity).toBe(seen.reduce((s, p) => s + p.quantity, 0));
    expect(c.visibleQuantity).toBeLessThan(parcels.reduce((s, p) => s + p.quantity, 0));
    expect(new Date(c.firstSeen)).toEqual(new Date(seen[0].published_at));
    expect(new Date(c.lastSeen)).toEqual(new Date(seen[seen.length - 1].published_at));
    for (const m of c.members) expect(m.linkedBy.length + m.nearMatchedBy.length).toBeGreaterThan(0);
    // The reasons say why: shared phone keys across the three agencies among them.
    const phone = c.reasons.find((r: any) => r.code === 'SHARED_IDENTIFIER' && r.kind === 'PHONE');
    expect(phone.agencies).toBe(3);
    expect(c.reasons.find((r: any) => r.code === 'AGENCIES').agencies).toBe(3);
    expect(c.reasons.find((r: any) => r.code === 'MEMBERS').members).toBe(parcels.length);
    expect(c.score).toBeCloseTo(c.reasons.reduce((s: number, r: any) => s + r.weight, 0), 1);
    // A partner's parcel shows as the projection has it: PARTY_IDENTITY withheld where not granted.
    for (const m of c.members.filter((x: any) => x.alert.originAgency.code === 'GD')) {
      expect(m.alert.consignee).toBeNull();
      expect(m.alert.withheld).toContain('PARTY_IDENTITY');
    }
  });

  test('the three rings are the top clusters of the window for a Hong Kong analyst, and no look-alike is merged into any cluster', async () => {
    const res = await clusters('HK', { first: 100 });
    expect(res.body.errors).toBeUndefined();
    const found = res.body.data.shipmentClusters;
    const ids = found.map((c: any) => new Set(c.members.map((m: any) => m.alert.id)));
    for (const parcels of rings.values()) {
      const match = ids.filter((s: Set<string>) => parcels.some((p) => s.has(p.id)));
      expect(match).toHaveLength(1);
    }
    for (const c of found) for (const m of c.members) expect(decoyIds).not.toContain(m.alert.id);
    const scores = found.map((c: any) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  test('each agency finds each ring from its own parcels; the hidden counts add up to the parcels it may not see', async () => {
    for (const agency of ['GD', 'MO']) {
      for (const [key, parcels] of rings) {
        const start = parcels.find((p) => p.origin === agency)!;
        const res = await clusters(agency, { alertId: start.id });
        expect(res.body.errors).toBeUndefined();
        expect({ agency, key, n: res.body.data.shipmentClusters.length }).toEqual({ agency, key, n: 1 });
        const c = res.body.data.shipmentClusters[0];
        const sees = visibleTo.get(agency)!;
        expect(c.members.length).toBe(parcels.filter((p) => sees.has(p.id)).length);
        expect(c.hidden.reduce((s: number, h: any) => s + h.count, 0)).toBe(parcels.filter((p) => !sees.has(p.id)).length);
      }
    }
  });
  /** The text of everything the hub answered, to look for what must not be in it. */
  const textOf = (res: { body: unknown }) => JSON.stringify(res.body);

  test('a Macao analyst, and a Guangdong one, learn nothing of a parcel they may not see: no id, reference, tracking number, quantity or date, in the clusters or their totals', async () => {
    for (const agency of ['MO', 'GD']) {
      const sees = visibleTo.get(agency)!;
      let hiddenParcels = 0;
      for (const parcels of rings.values()) {
        const unseen = parcels.filter((p) => !sees.has(p.id));
        hiddenParcels += unseen.length;
        const start = parcels.find((p) => p.origin === agency)!;
        for (const res of [await clusters(agency, { alertId: start.id }), await clusters(agency, { first: 100 })]) {
          expect(res.body.errors).toBeUndefined();
          const text = textOf(res);
          for (const p of unseen) {
            expect(text).not.toContain(p.id);
            expect(text).not.toContain(p.reference);
            expect(text).not.toContain(p.partner_reference);
            for (const n of p.tracking ?? []) expect(text).not.toContain(n);
          }
          for (const c of res.body.data.shipmentClusters) {
            // Every member shown is one the agency may read; the totals are theirs alone.
            for (const m of c.members) expect(sees.has(m.alert.id) || !parcels.some((p) => p.id === m.alert.id)).toBe(true);
            const shown = c.members.reduce((s: number, m: any) => s + m.alert.goods.reduce((t: number, g: any) => t + g.quantity, 0), 0);
            expect(c.visibleQuantity).toBe(shown);
            for (const r of c.reasons) if (r.quantity !== null) expect([shown, 20_000]).toContain(r.quantity);
            const times = c.members.map((m: any) => new Date(m.alert.publishedAt).getTime());
            expect(new Date(c.firstSeen).getTime()).toBe(Math.min(...times));
            expect(new Date(c.lastSeen).getTime()).toBe(Math.max(...times));
          }
        }
      }
      // The test means something: the agency has parcels it may not see in the rings.
      expect(hiddenParcels).toBeGreaterThan(0);
    }
  });

  test('no threshold measures the hidden parcels: above the hub\'s 20,000 only the visible total counts, and asking for the ring\'s true total does not find it', async () => {
    for (const [key, parcels] of rings) {
      const start = parcels.find((p) => p.origin === 'HK')!;
      const [c] = (await clusters('HK', { alertId: start.id })).body.data.shipmentClusters;
      const whole = parcels.reduce((s, p) => s + p.quantity, 0);
      expect(whole).toBeGreaterThan(Math.max(c.visibleQuantity, 20_000));
      const at = async (min: number) => (await clusters('HK', { alertId: start.id, min })).body.data.shipmentClusters;
      expect({ key, n: (await at(whole)).length }).toEqual({ key, n: 0 });
      expect((await at(Math.max(c.visibleQuantity, 20_000) + 1)).length).toBe(0);
      if (c.visibleQuantity > 20_000) expect((await at(c.visibleQuantity)).length).toBe(1);
      // At or below the hub's threshold the hidden parcels count once, as a yes: the same answer whatever the number.
      const low = await at(1);
      const floor = await at(20_000);
      expect(low.map((x: any) => x.hidden)).toEqual([c.hidden]);
      expect(floor.map((x: any) => x.hidden)).toEqual([c.hidden]);
    }
  });

  test('maxMemberQuantity does not measure the hidden parcels: they are held to the hub\'s own 3,000 whatever the caller asks', async () => {
    let tried = 0;
    for (const parcels of rings.values()) {
      const hkSees = visibleTo.get('HK')!;
      const unseen = parcels.filter((p) => !hkSees.has(p.id));
      const below = Math.min(...unseen.map((p) => p.quantity)) - 1;
      // Start from HK's smallest parcel; the limit below every hidden parcel must still admit it.
      const start = parcels.filter((p) => p.origin === 'HK').sort((a, b) => a.quantity - b.quantity)[0];
      if (start.quantity > below) continue;
      tried++;
      const res = await clusters('HK', { alertId: start.id, max: below, min: 1 });
      expect(res.body.errors).toBeUndefined();
      const found = res.body.data.shipmentClusters;
      expect(found).toHaveLength(1);
      expect(found[0].hidden.reduce((s: number, h: any) => s + h.count, 0)).toBeGreaterThan(0);
      for (const m of found[0].members) expect(m.alert.goods.reduce((t: number, g: any) => t + g.quantity, 0)).toBeLessThanOrEqual(below);
    }
    expect(tried).toBeGreaterThan(0);
  });

  test('starting from a partner parcel the viewer may read but without its consignee finds no cluster: any would tell that consignee', async () => {
    let tried = 0;
    for (const agency of ['GD', 'HK', 'MO']) {
      const token = await t.token(agency);
      for (const p of [...rings.values()].flat()) {
        if (!readableBy.get(agency)!.has(p.id) || visibleTo.get(agency)!.has(p.id)) continue;
        tried++;
        const res = await t.gql(token, `query ($id: ID!) { shipmentClusters(alertId: $id) { id } }`, { id: p.id });
        expect(res.body).toEqual({ data: { shipmentClusters: [] } });
      }
    }
    expect(tried).toBeGreaterThan(0);
  });

  test('starting from a parcel the viewer may not see answers as for one that does not exist, and names nothing of it', async () => {
    const hidden = [...rings.values()].flat().find((p) => !readableBy.get('HK')!.has(p.id))!;
    const unknown = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const a = await clusters('HK', { alertId: hidden.id });
    const b = await clusters('HK', { alertId: unknown });
    expect(a.body.data).toBeNull();
    expect(a.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(b.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(a.body.errors[0].message.replace(hidden.id, 'ID')).toBe(b.body.errors[0].message.replace(unknown, 'ID'));
    const text = textOf(a);
    expect(text).not.toContain(hidden.reference);
    expect(text).not.toContain(hidden.partner_reference);
    expect(text).not.toContain(String(hidden.quantity));
  });

  test('an OBSERVER is refused: the hidden counts are hits, for analysts', async () => {
    const res = await clusters('HK', { first: 5 }, ['OBSERVER']);
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test.each([
    ['a reversed window', { from: '2026-06-01T00:00:00Z', to: '2026-05-01T00:00:00Z' }, 'from'],
    ['a window longer than 366 days', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, 'to'],
    ['first above 100', { first: 101 }, 'first'],
    ['a negative first', { first: -1 }, 'first'],
    ['a zero minTotalQuantity', { min: 0 }, 'minTotalQuantity'],
    ['a negative maxMemberQuantity', { max: -5 }, 'maxMemberQuantity'],
    ['an alertId that is no id', { alertId: 'HK-2026-000001' }, 'alertId'],
  ])('%s is refused with BAD_USER_INPUT naming the argument', async (_, vars, field) => {
    const res = await clusters('HK', vars);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].extensions.field).toBe(field);
    expect(textOf(res)).not.toMatch(/select |match_key|\bat \S+\.js/);
  });

  test('a window of exactly 366 days is accepted; one before the rings finds none of them', async () => {
    const res = await clusters('HK', { from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z', first: 100 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.shipmentClusters).toEqual([]);
  });
});
