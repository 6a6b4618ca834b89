/*
 * The split-shipment rings of the demo (src/demo/demo-rings.ts) and of the benchmark's
 * generator (src/demo/ring-generator.ts): within a ring, the spellings of one consignee, one
 * address, one phone normalize to one value (normalizeIdentifier), so exact match keys tie
 * every parcel to its ring; the look-alikes beside them are near, yet normalize to something
 * else; the rings are small parcels adding up to much; the generator gives the same data for
 * the same seed and an answer that agrees with its data.
 */
import 'reflect-metadata';
import { checkCreateInput } from '../../src/alerts/alert.validation';
import type { CreateAlertInput, PartyInput } from '../../src/alerts/alert.inputs';
import { FieldClass, IdentifierKind } from '../../src/common/enums';
import { normalizeIdentifier } from '../../src/correlation/identifier-normalize';
import { DEMO_AGREEMENTS } from '../../src/demo/demo-data';
import { DEMO_DECOYS, DEMO_RINGS, planParcels, type DemoAgency, type SpellingSet } from '../../src/demo/demo-rings';
import type { GeneratedAlert } from '../../src/demo/generator';
import { generateRings, type RingDataset } from '../../src/demo/ring-generator';

const K = IdentifierKind;
const AGENCIES: DemoAgency[] = ['GD', 'HK', 'MO'];

/** Every spelling of a set normalized, with the spelling, for a readable failure. */
function normalizedSet(set: SpellingSet, country: string): [string, string | null][] {
  return AGENCIES.flatMap((agency) => set.spellings[agency].map((s): [string, string | null] => [`${agency}: ${s}`, normalizeIdentifier(set.kind, s, { country, agency })]));
}

/** The one value a set normalizes to (asserting that it is one). */
function valueOf(set: SpellingSet, country: string): string {
  const pairs = normalizedSet(set, country);
  const first = pairs[0][1];
  expect(first).not.toBeNull();
  expect(pairs).toEqual(pairs.map(([s]) => [s, first]));
  return first!;
}

/** The match keys a party would give (kind:normalized), as exact matching sees them. */
function keysOf(p: PartyInput, agency: string, withName = true): string[] {
  const ctx = { country: p.country, agency };
  const out: string[] = [];
  const add = (kind: IdentifierKind, v: string | null | undefined) => {
    const n = v ? normalizeIdentifier(kind, v, ctx) : null;
    if (n) out.push(`${kind}:${n}`);
  };
  if (withName) add(K.PARTY_NAME, p.name);
  add(K.ADDRESS, p.address);
  add(K.PHONE, p.phone);
  add(K.EMAIL, p.email);
  add(K.COMPANY_REGISTRATION, p.identifier);
  return out;
}

/** The number of groups the parties fall into when any shared key joins two. */
function components(keySets: string[][]): number {
  const parent = keySets.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const first = new Map<string, number>();
  keySets.forEach((keys, i) => {
    for (const k of keys) {
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  return new Set(keySets.map((_, i) => find(i))).size;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

function setsOf(ring: (typeof DEMO_RINGS)[number]): SpellingSet[] {
  const c = ring.consignee;
  return [...c.names, ...c.addresses, ...c.phones, ...(c.email ? [c.email] : []), ...(c.registration ? [c.registration] : [])];
}

describe('the demo rings', () => {
  test.each(DEMO_RINGS.map((r) => [r.key, r] as const))('%s: 12 to 30 small parcels from all three agencies over a few weeks, 20,000 pieces or more in all', (_, ring) => {
    expect(ring.parcels.length).toBeGreaterThanOrEqual(12);
    expect(ring.parcels.length).toBeLessThanOrEqual(30);
    for (const [, , quantity] of ring.parcels) expect(quantity).toBeLessThanOrEqual(3000);
    expect(ring.parcels.reduce((s, p) => s + p[2], 0)).toBeGreaterThanOrEqual(20_000);
    for (const a of AGENCIES) expect(ring.parcels.filter((p) => p[1] === a).length).toBeGreaterThanOrEqual(3);
    const days = ring.parcels.map((p) => p[0]);
    expect(Math.max(...days)).toBeLessThan(90);
    expect(Math.min(...days)).toBeGreaterThan(0);
    expect(Math.max(...days) - Math.min(...days)).toBeGreaterThanOrEqual(14);
  });

  test.each(DEMO_RINGS.map((r) => [r.key, r] as const))('%s: every spelling of the consignee, its address, phones, e-mail and registration normalizes to one value per set', (_, ring) => {
    for (const set of setsOf(ring)) valueOf(set, ring.consignee.country);
    // The spellings really differ: more than one written form per set, beyond case alone in most.
    for (const set of setsOf(ring)) {
      const written = AGENCIES.flatMap((a) => set.spellings[a]);
      expect(new Set(written).size).toBeGreaterThan(1);
    }
    const phones = ring.consignee.phones.map((p) => valueOf(p, ring.consignee.country));
    for (const p of phones) expect(p).toMatch(/^\+(852|853|86)\d{8,11}$/);
  });

  test.each(DEMO_RINGS.map((r) => [r.key, r] as const))('%s: the parcels use every spelling, and exact keys tie them all into one group', (_, ring) => {
    const planned = planParcels(ring);
    const written = new Set(planned.flatMap((p) => [p.consignee.name, p.consignee.address, p.consignee.phone, p.consignee.email, p.consignee.identifier]));
    for (const set of setsOf(ring)) for (const a of AGENCIES) for (const s of set.spellings[a]) expect([set.kind, s, written.has(s)]).toEqual([set.kind, s, true]);
    expect(components(planned.map((p) => keysOf(p.consignee, p.row[1])))).toBe(1);
  });

  test('the three rings share no identifier with one another', () => {
    const values = DEMO_RINGS.map((ring) => new Set(setsOf(ring).map((set) => `${set.kind}:${valueOf(set, ring.consignee.country)}`)));
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) expect([...values[i]].filter((v) => values[j].has(v))).toEqual([]);
  });

  test.each(DEMO_DECOYS.map((d, i) => [`${d.ring} ${d.kind} #${i}`, d] as const))('look-alike %s is near the ring yet matches none of its identifiers, nor any ring\'s', (_, decoy) => {
    const ring = DEMO_RINGS.find((r) => r.key === decoy.ring)!;
    const allRingKeys = new Set(DEMO_RINGS.flatMap((r) => setsOf(r).map((set) => `${set.kind}:${valueOf(set, r.consignee.country)}`)));
    const keys = keysOf(decoy.consignee, decoy.agency);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => allRingKeys.has(k))).toEqual([]);
    // Near: the imitated field is a few characters from the ring's (another flat, one digit), or starts as the ring's name does.
    const field = decoy.kind === K.ADDRESS ? decoy.consignee.address! : decoy.kind === K.PHONE ? decoy.consignee.phone! : decoy.consignee.name;
    const mine = normalizeIdentifier(decoy.kind, field, { country: decoy.consignee.country, agency: decoy.agency })!;
    const theirs = setsOf(ring).filter((s) => s.kind === decoy.kind).map((s) => valueOf(s, ring.consignee.country));
    if (decoy.kind === K.PARTY_NAME) expect(theirs.some((t) => t.slice(0, 4) === mine.slice(0, 4))).toBe(true);
    else expect(Math.min(...theirs.map((t) => levenshtein(t, mine)))).toBeLessThanOrEqual(2);
  });

  test('partners see some parcels of each ring without their consignee: GD gives no partner PARTY_IDENTITY, MO gives none to GD', () => {
    const gives = (from: string, to: string) => DEMO_AGREEMENTS.find(([f, t]) => f === from && t === to)?.[2] ?? [];
    expect(gives('GD', 'HK')).not.toContain(FieldClass.PARTY_IDENTITY);
    expect(gives('GD', 'MO')).not.toContain(FieldClass.PARTY_IDENTITY);
    expect(gives('MO', 'GD')).not.toContain(FieldClass.PARTY_IDENTITY);
    expect(gives('MO', 'HK')).toContain(FieldClass.PARTY_IDENTITY);
    for (const ring of DEMO_RINGS) {
      // Hong Kong sees GD's shared parcels of every ring as CORE without the consignee.
      expect(ring.parcels.filter(([, a, , , , , scope]) => a === 'GD' && (scope === undefined || scope.endsWith('>HK'))).length).toBeGreaterThan(0);
    }
    for (const [, , classes] of DEMO_AGREEMENTS) expect(classes).not.toContain(FieldClass.SOURCE);
  });
});

function party(a: GeneratedAlert): PartyInput {
  return a.input.consignee!;
}

describe('the ring generator', () => {
  const opts = { rings: 12, ordinary: 3000, seed: 42 };
  let data: RingDataset;
  beforeAll(() => {
    data = generateRings(opts);
  });

  test('the same seed gives the same alerts and answer; another seed other ones', () => {
    const again = generateRings(opts);
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateRings({ ...opts, seed: 43 }).alerts.slice(0, 50))).not.toBe(JSON.stringify(data.alerts.slice(0, 50)));
  });

  test('the answer agrees with the data: members, counts, quantities, dates', () => {
    expect(data.alerts.length).toBe(opts.ordinary + data.rings.reduce((s, r) => s + r.members.length, 0) + data.decoys.length);
    expect(data.rings).toHaveLength(opts.rings);
    expect(data.decoys).toHaveLength(opts.rings * 3);
    const until = Date.UTC(2026, 10, 1);
    for (let i = 1; i < data.alerts.length; i++) expect(data.alerts[i].createdAt.getTime()).toBeGreaterThanOrEqual(data.alerts[i - 1].createdAt.getTime());
    let members = 0;
    for (const ring of data.rings) {
      expect(ring.members.length).toBeGreaterThanOrEqual(12);
      expect(ring.members.length).toBeLessThanOrEqual(30);
      expect(ring.spellings.map((s) => s.alert)).toEqual(ring.members);
      let total = 0;
      const counts: Record<string, number> = {};
      for (const i of ring.members) {
        expect(data.ringOf[i]).toBe(ring.index);
        const a = data.alerts[i];
        const q = a.input.goods.reduce((s, g) => s + g.quantity, 0);
        expect(q).toBeLessThanOrEqual(3000);
        total += q;
        counts[a.agency] = (counts[a.agency] ?? 0) + 1;
        expect(a.input.goods[0].category).toBe(ring.category);
        expect(a.publishedAt).not.toBeNull();
        expect(a.createdAt.getTime()).toBeGreaterThanOrEqual(until - 90 * 86_400_000);
        expect(a.updatedAt.getTime()).toBeLessThanOrEqual(until);
        expect(['DRAFT', 'WITHDRAWN']).not.toContain(a.status);
      }
      members += ring.members.length;
      expect(total).toBe(ring.totalQuantity);
      expect(total).toBeGreaterThanOrEqual(20_000);
      expect(counts).toEqual(ring.agencies);
      for (const agency of ['GD', 'HK', 'MO']) expect(counts[agency]).toBeGreaterThanOrEqual(2);
      expect(ring.firstSeen).toEqual(data.alerts[ring.members[0]].createdAt);
      expect(ring.lastSeen).toEqual(data.alerts[ring.members[ring.members.length - 1]].createdAt);
    }
    expect([...data.ringOf].filter((r) => r >= 0)).toHaveLength(members);
    for (const d of data.decoys) expect(data.ringOf[d.alert]).toBe(-1);
  });

  test('every parcel, look-alike and ordinary alert is what createAlert accepts', () => {
    const planted = new Set([...data.rings.flatMap((r) => r.members), ...data.decoys.map((d) => d.alert)]);
    const sample = data.alerts.filter((_, i) => planted.has(i) || i % 5 === 0);
    for (const a of sample) expect(() => checkCreateInput({ ...a.input, rightsHolderIds: [] } as CreateAlertInput, a.agency)).not.toThrow();
  });

  test('within a ring, one consignee name per script, one address (but for the spellings normalization cannot fold), its phones and e-mail normalize to one value each', () => {
    for (const ring of data.rings) {
      const by = new Map<string, Set<string | null>>();
      const add = (key: string, v: string | null) => (by.get(key) ?? by.set(key, new Set()).get(key)!).add(v);
      const sameAddress = new Map<string, string | null>();
      for (const s of ring.spellings) {
        const a = data.alerts[s.alert];
        const p = party(a);
        const ctx = { country: p.country, agency: a.agency };
        if (ring.consignee !== 'mules') add(`name:${s.script}`, normalizeIdentifier(K.PARTY_NAME, p.name, ctx));
        if (s.address === 'same') add(`address:${s.script}`, normalizeIdentifier(K.ADDRESS, p.address!, ctx));
        if (s.address === null) expect(p.address).toBeUndefined();
        if (s.phone !== null) expect(normalizeIdentifier(K.PHONE, p.phone!, ctx)).toBe(ring.phones[s.phone]);
        else expect(p.phone).toBeUndefined();
        if (s.email) expect(normalizeIdentifier(K.EMAIL, p.email!, ctx)).toBe(ring.email);
        if (s.address === 'same') sameAddress.set(s.script, normalizeIdentifier(K.ADDRESS, p.address!, ctx));
      }
      for (const [key, values] of by) expect([ring.index, key, values.size, [...values][0]]).toEqual([ring.index, key, 1, expect.any(String)]);
      // The spellings it cannot fold (a region added or left off) do not normalize as the others.
      for (const s of ring.spellings.filter((x) => x.address === 'other')) {
        const a = data.alerts[s.alert];
        const folded = sameAddress.get(s.script);
        if (folded) expect(normalizeIdentifier(K.ADDRESS, party(a).address!, { country: party(a).country, agency: a.agency })).not.toBe(folded);
      }
    }
  });

  test('exact keys tie every parcel of a ring to the others, and tie no two rings together', () => {
    const ringKeys = data.rings.map((ring) => {
      const keySets = ring.members.map((i) => keysOf(party(data.alerts[i]), data.alerts[i].agency, ring.consignee !== 'mules'));
      expect([ring.index, components(keySets)]).toEqual([ring.index, 1]);
      return new Set(keySets.flat());
    });
    for (let i = 0; i < ringKeys.length; i++) for (let j = i + 1; j < ringKeys.length; j++) expect([i, j, [...ringKeys[i]].filter((k) => ringKeys[j].has(k))]).toEqual([i, j, []]);
  });

  test('look-alikes are near their ring but share no exact key with it', () => {
    const kinds = new Set(data.decoys.map((d) => d.kind));
    expect(kinds).toEqual(new Set(['ADDRESS', 'PHONE', 'PARTY_NAME']));
    for (const d of data.decoys) {
      const ring = data.rings[d.ring];
      const ringKeys = new Set(ring.members.flatMap((i) => keysOf(party(data.alerts[i]), data.alerts[i].agency)));
      const a = data.alerts[d.alert];
      expect(keysOf(party(a), a.agency).filter((k) => ringKeys.has(k))).toEqual([]);
      const p = party(a);
      const ctx = { country: p.country, agency: a.agency };
      if (d.kind === 'PHONE') {
        const mine = normalizeIdentifier(K.PHONE, p.phone!, ctx)!;
        expect(levenshtein(mine, ring.phones[0])).toBe(1);
      } else if (d.kind === 'ADDRESS') {
        const mine = normalizeIdentifier(K.ADDRESS, p.address!, ctx)!;
        const theirs = ring.members.map((i) => party(data.alerts[i])).filter((m) => m.address).map((m) => normalizeIdentifier(K.ADDRESS, m.address!, { country: m.country }));
        expect(Math.min(...theirs.map((t) => levenshtein(t!, mine)))).toBeLessThanOrEqual(6);
      }
    }
  });

  test('scales: 100,000 ordinary alerts and 100 rings in well under a minute', () => {
    const started = Date.now();
    const big = generateRings({ rings: 100, ordinary: 100_000, seed: 7 });
    const ms = Date.now() - started;
    expect(big.alerts.length).toBe(100_000 + big.rings.reduce((s, r) => s + r.members.length, 0) + 300);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});
