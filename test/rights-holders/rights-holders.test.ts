import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, GET, alertInput } from '../support/fixtures';

const HOLDER_FIELDS = 'id name recordations { type recordationNumber mark validUntil }';
const UPSERT = `mutation ($input: RightsHolderInput!) { upsertRightsHolder(input: $input) { ${HOLDER_FIELDS} } }`;
const SEARCH = `query ($search: String, $first: Int) { rightsHolders(search: $search, first: $first) { ${HOLDER_FIELDS} } }`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Recordation {
  type: string;
  recordationNumber: string;
  mark: string;
  validUntil?: string | null;
}

interface Holder {
  id: string;
  name: string;
  recordations: Recordation[];
}

/** A recordation input; validUntil is left out unless given. */
function rec(type: string, recordationNumber: string, mark = 'MARK', validUntil?: string): Recordation {
  return { type, recordationNumber, mark, ...(validUntil ? { validUntil } : {}) };
}

/** The holder with its recordations in a fixed order, so that comparisons do not depend on the hub's. */
function sorted(h: Holder): Holder {
  const key = (r: Recordation) => `${r.type}:${r.recordationNumber}`;
  return { ...h, recordations: [...h.recordations].sort((a, b) => key(a).localeCompare(key(b))) };
}

describe('rights holders and their recordations', () => {
  let t: TestHub;
  let gd: string; // Guangdong analyst
  let hk: string; // Hong Kong analyst

  beforeAll(async () => {
    t = await startTestHub();
    [gd, hk] = await Promise.all([t.token('GD'), t.token('HK')]);
  });
  afterAll(() => t.stop());

  async function upsert(token: string, name: string, recordations: Recordation[]): Promise<Holder> {
    const res = await t.gql(token, UPSERT, { input: { name, recordations } });
    expect(res.body.errors).toBeUndefined();
    return sorted(res.body.data.upsertRightsHolder);
  }

  async function search(search: string | null, first?: number): Promise<Holder[]> {
    const res = await t.gql(gd, SEARCH, { search, first });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.rightsHolders.map(sorted);
  }

  const names = (holders: Holder[]) => holders.map((h) => h.name);

  describe('recording', () => {
    test('an analyst records a new rights holder; recordation numbers are trimmed and upper-cased', async () => {
      const h = await upsert(gd, 'Sonoro Audio GmbH', [
        rec('TRADEMARK', ' t-2019-08812 ', 'SONORO', '2029-05-31T00:00:00.000Z'),
        rec('PATENT', 'zl 2020.1 0457', 'Sonoro bass port'),
      ]);
      expect(h.id).toMatch(UUID);
      expect(h).toEqual({
        id: h.id,
        name: 'Sonoro Audio GmbH',
        recordations: [
          { type: 'PATENT', recordationNumber: 'ZL 2020.1 0457', mark: 'Sonoro bass port', validUntil: null },
          { type: 'TRADEMARK', recordationNumber: 'T-2019-08812', mark: 'SONORO', validUntil: '2029-05-31T00:00:00.000Z' },
        ],
      });
      expect(await search('Sonoro Audio')).toEqual([h]);
    });

    test('an ADMIN of any agency may record rights holders too', async () => {
      const h = await upsert(await t.token('MO', ['ADMIN']), 'Macau Pearl Jewellery', [rec('DESIGN', 'MO-D-0031', 'Pearl clasp')]);
      expect(await search('Macau Pearl')).toEqual([h]);
    });

    test('the same number under another type of right is another recordation', async () => {
      const h = await upsert(hk, 'Twinmark Holdings', [rec('TRADEMARK', 'TW-77', 'TWINMARK'), rec('COPYRIGHT', 'tw-77', 'Twinmark artwork')]);
      expect(h.recordations.map((r) => [r.type, r.recordationNumber])).toEqual([
        ['COPYRIGHT', 'TW-77'],
        ['TRADEMARK', 'TW-77'],
      ]);
    });

    test('an upsert naming a recorded number updates its holder: the name follows, marks change, new recordations are added, none removed', async () => {
      const first = await upsert(gd, 'Lumina Bags Ltd', [rec('TRADEMARK', 'LB-001', 'LUMINA'), rec('DESIGN', 'LB-D-7', 'Lumina clasp', '2030-01-01T00:00:00.000Z')]);
      const second = await upsert(hk, 'Lumina Fashion Group', [
        rec('TRADEMARK', 'lb-001', 'LUMINA (stylised)', '2031-12-31T00:00:00.000Z'),
        rec('COPYRIGHT', 'LB-C-3', 'Lumina catalogue'),
      ]);
      expect(second).toEqual({
        id: first.id,
        name: 'Lumina Fashion Group',
        recordations: [
          { type: 'COPYRIGHT', recordationNumber: 'LB-C-3', mark: 'Lumina catalogue', validUntil: null },
          { type: 'DESIGN', recordationNumber: 'LB-D-7', mark: 'Lumina clasp', validUntil: '2030-01-01T00:00:00.000Z' },
          { type: 'TRADEMARK', recordationNumber: 'LB-001', mark: 'LUMINA (stylised)', validUntil: '2031-12-31T00:00:00.000Z' },
        ],
      });
      expect(await search('Lumina')).toEqual([second]);
    });

    test('an upsert without a recorded number updates the holder with exactly that name, in any case', async () => {
      const first = await upsert(gd, 'Crescent Electronics Co.', [rec('PATENT', 'CE-100', 'Crescent charger')]);
      const second = await upsert(hk, 'CRESCENT electronics co.', [rec('TRADEMARK', 'CE-TM-1', 'CRESCENT')]);
      expect(second.id).toBe(first.id);
      expect(second.name).toBe('CRESCENT electronics co.');
      expect(second.recordations.map((r) => r.recordationNumber)).toEqual(['CE-100', 'CE-TM-1']);
      // A name that only starts the same is another rights holder.
      const other = await upsert(gd, 'Crescent Electronics', [rec('TRADEMARK', 'CE-TM-2', 'CRESCENT MINI')]);
      expect(other.id).not.toBe(first.id);
      expect(names(await search('crescent'))).toEqual(['Crescent Electronics', 'CRESCENT electronics co.']);
    });

    test.each([
      ['an OBSERVER', ['OBSERVER']],
      ['a COORDINATOR', ['COORDINATOR']],
      ['an OBSERVER and COORDINATOR', ['OBSERVER', 'COORDINATOR']],
    ])('%s gets FORBIDDEN and nothing is recorded', async (_name, roles) => {
      const res = await t.gql(await t.token('HK', roles), UPSERT, { input: { name: 'Forbidden Fruit Ltd', recordations: [rec('TRADEMARK', 'FF-1', 'FORBIDDEN')] } });
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions.code).toBe('FORBIDDEN');
      expect(await search('Forbidden Fruit')).toEqual([]);
      expect(await search('FF-1')).toEqual([]);
    });
  });

  describe('validation names the field and writes nothing', () => {
    const cases: [string, string, Recordation[], string][] = [
      ['an empty name', '   ', [rec('TRADEMARK', 'VP-1')], 'input.name'],
      ['a name too long', 'x'.repeat(201), [rec('TRADEMARK', 'VP-1')], 'input.name'],
      ['an empty recordation number', 'Validation Probe', [rec('TRADEMARK', '  ')], 'input.recordations[0].recordationNumber'],
      ['a # in a recordation number', 'Validation Probe', [rec('TRADEMARK', 'VP#1')], 'input.recordations[0].recordationNumber'],
      ['a % in a recordation number', 'Validation Probe', [rec('TRADEMARK', 'VP-1'), rec('PATENT', 'VP%1')], 'input.recordations[1].recordationNumber'],
      ['an _ in a recordation number', 'Validation Probe', [rec('TRADEMARK', 'VP_1')], 'input.recordations[0].recordationNumber'],
      ['a recordation number starting with a dash', 'Validation Probe', [rec('TRADEMARK', '-VP1')], 'input.recordations[0].recordationNumber'],
      ['a line break in a recordation number', 'Validation Probe', [rec('TRADEMARK', 'VP\n1')], 'input.recordations[0].recordationNumber'],
      ['an empty mark', 'Validation Probe', [rec('TRADEMARK', 'VP-1', ' ')], 'input.recordations[0].mark'],
      ['the same type and number twice, in another case', 'Validation Probe', [rec('TRADEMARK', 'VP-1'), rec('PATENT', 'VP-2'), rec('TRADEMARK', 'vp-1')], 'input.recordations[2].recordationNumber'],
      // PostgreSQL has no year 0: once a server error, now refused by the date scalar on the field.
      ['a validity in year 0', 'Validation Probe', [rec('TRADEMARK', 'VP-1'), rec('PATENT', 'VP-2', 'MARK', '0000-12-31T00:00:00Z')], 'input.recordations[1].validUntil'],
    ];
    test.each(cases)('%s', async (_name, name, recordations, field) => {
      const res = await t.gql(gd, UPSERT, { input: { name, recordations } });
      // A date out of range is refused with the variables, before execution: no data at all.
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(await search('Validation Probe')).toEqual([]);
      expect(await search('VP')).toEqual([]);
    });

    test('recordations that belong to two different rights holders are CONFLICT', async () => {
      const orchid = await upsert(gd, 'Orchid Cosmetics', [rec('TRADEMARK', 'OC-1', 'ORCHID')]);
      const peony = await upsert(hk, 'Peony Cosmetics', [rec('TRADEMARK', 'PC-1', 'PEONY')]);
      const res = await t.gql(gd, UPSERT, {
        input: { name: 'Orchid Cosmetics', recordations: [rec('TRADEMARK', 'OC-1', 'ORCHID NEW'), rec('TRADEMARK', 'PC-1', 'PEONY NEW'), rec('PATENT', 'OC-P-9', 'Orchid jar')] },
      });
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions.code).toBe('CONFLICT');
      expect(await search('Orchid')).toEqual([orchid]);
      expect(await search('Peony')).toEqual([peony]);
      expect(await search('OC-P')).toEqual([]);
    });
  });

  describe('searching', () => {
    beforeAll(async () => {
      for (const [name, number] of [
        ['Kestrel Optics', 'KO-1'],
        ['Kestrel Sports', 'KS-1'],
        ['Blue Kestrel Trading', 'BK-1'],
        ['Zephyr Tools', 'ZT-2022-0042'],
        ['Zephyr Garden', 'ZG-2023-0001'],
        ['100% Cotton Apparel', 'CA-1'],
        ['1000 Threads Ltd', 'TL-1'],
        ['A_B Trading', 'AB-1'],
        ['AXB Trading', 'AX-1'],
      ]) {
        await upsert(gd, name, [rec('TRADEMARK', number, name.toUpperCase())]);
      }
    });

    test('by name prefix, in any case, ordered by name; a word inside a name does not match', async () => {
      expect(names(await search('kESTREL'))).toEqual(['Kestrel Optics', 'Kestrel Sports']);
      expect(names(await search('  kestrel s'))).toEqual(['Kestrel Sports']);
      expect(names(await search('Optics'))).toEqual([]);
    });

    test('by recordation number prefix, in any case, with the holder\'s recordations', async () => {
      const found = await search('zt-2022');
      expect(found).toEqual([{ id: expect.stringMatching(UUID), name: 'Zephyr Tools', recordations: [{ type: 'TRADEMARK', recordationNumber: 'ZT-2022-0042', mark: 'ZEPHYR TOOLS', validUntil: null }] }]);
      expect(names(await search('zg-2023-0001'))).toEqual(['Zephyr Garden']);
      expect(await search('ZT-2023')).toEqual([]);
    });

    test('LIKE wildcards in a search match literally', async () => {
      expect(names(await search('100%'))).toEqual(['100% Cotton Apparel']);
      expect(names(await search('1000'))).toEqual(['1000 Threads Ltd']);
      expect(names(await search('A_B'))).toEqual(['A_B Trading']);
      expect(names(await search('a_'))).toEqual(['A_B Trading']);
      for (const s of ['%', '_', '%Trading', '_B', '\\', '\\%']) {
        expect({ s, found: names(await search(s)) }).toEqual({ s, found: [] });
      }
    });

    test('without a search, every rights holder by name, at most first', async () => {
      const all = await search(null, 100);
      expect(all.length).toBeGreaterThanOrEqual(9);
      const at = (name: string) => names(all).indexOf(name);
      expect(at('Kestrel Optics')).toBeGreaterThanOrEqual(0);
      expect([at('Blue Kestrel Trading'), at('Kestrel Optics'), at('Kestrel Sports'), at('Zephyr Garden'), at('Zephyr Tools')]).toEqual(
        [at('Blue Kestrel Trading'), at('Kestrel Optics'), at('Kestrel Sports'), at('Zephyr Garden'), at('Zephyr Tools')].sort((x, y) => x - y),
      );
      expect(await search(null, 3)).toEqual(all.slice(0, 3));
      expect(await search(null, 0)).toEqual([]);
    });

    test('first above 100 or below 0 is BAD_USER_INPUT', async () => {
      for (const first of [101, 100000, -1]) {
        const res = await t.gql(gd, SEARCH, { search: 'Kestrel', first });
        expect(res.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      }
    });
  });

  describe('alerts naming rights holders', () => {
    test('an alert created with rightsHolderIds returns the rights holders with their recordations', async () => {
      const h = await upsert(gd, 'Harbour Audio Ltd', [rec('TRADEMARK', 'HA-2018-1', 'HARBOUR', '2028-06-30T00:00:00.000Z'), rec('PATENT', 'HA-P-2', 'Harbour driver')]);
      const res = await t.gql(gd, CREATE, { input: alertInput({ rightsHolderIds: [h.id] }) });
      expect(res.body.errors).toBeUndefined();
      const a = res.body.data.createAlert;
      expect(a.rightsHolders.map(sorted)).toEqual([h]);
      expect((await t.gql(gd, GET, { id: a.id })).body.data.alert.rightsHolders.map(sorted)).toEqual([h]);
    });

    test('an unknown rights holder id is BAD_USER_INPUT on input.rightsHolderIds and creates no alert', async () => {
      const h = await upsert(gd, 'Known Holder Ltd', [rec('TRADEMARK', 'KH-1', 'KNOWN')]);
      const count = async () => (await t.gql(gd, '{ alerts(first: 0) { totalCount } }')).body.data.alerts.totalCount;
      const before = await count();
      for (const ids of [['00000000-0000-4000-8000-000000000000'], [h.id, '01234567-89ab-7def-8123-456789abcdef'], ['not-a-uuid']]) {
        const res = await t.gql(gd, CREATE, { input: alertInput({ rightsHolderIds: ids }) });
        expect(res.body.data).toBeNull();
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rightsHolderIds' });
      }
      expect(await count()).toBe(before);
    });
  });

  describe('concurrency', () => {
    // The first round also opens the pool's connections, which tends to serialise it; the
    // later rounds race on warm connections.
    test.each([1, 2, 3])('concurrent upserts of the same new recordation leave exactly one holder owning it (round %i)', async (round) => {
      const number = `RACE-${round}`;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => t.gql(i % 2 ? gd : hk, UPSERT, { input: { name: `Racer ${round}-${i}`, recordations: [rec('TRADEMARK', number, `RACER ${i}`)] } })),
      );
      for (const r of results) {
        if (r.body.errors) {
          expect(r.body.errors).toHaveLength(1);
          expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
        }
      }
      const won = results.filter((r) => !r.body.errors).map((r) => r.body.data.upsertRightsHolder as Holder);
      expect(won.length).toBeGreaterThanOrEqual(1);
      const owners = await search(number);
      expect(owners).toHaveLength(1);
      expect(owners[0].recordations.map((r) => r.recordationNumber)).toEqual([number]);
      for (const w of won) expect(w.id).toBe(owners[0].id);
      // A refused writer leaves no rights holder behind.
      expect(await search(`Racer ${round}-`)).toEqual(owners);
    });
  });
});
