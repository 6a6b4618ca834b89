import { startTestHub, type TestHub } from '../support/hub';
import { ALERT_FIELDS, CREATE, GET, PUBLISH, UPDATE, alertInput, containerNo } from '../support/fixtures';

const REFERENCE = /^GD-\d{4}-\d{6}$/;

describe('the first alert slice', () => {
  let t: TestHub;
  let gd: string; // Guangdong analyst
  let hk: string; // Hong Kong analyst
  let mo: string; // Macao analyst

  beforeAll(async () => {
    t = await startTestHub();
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
  });
  afterAll(() => t.stop());

  async function create(token: string, overrides: Record<string, unknown> = {}) {
    const res = await t.gql(token, CREATE, { input: alertInput(overrides) });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.createAlert;
  }

  async function publish(token: string, alert: { id: string; version: number }) {
    const res = await t.gql(token, PUBLISH, { id: alert.id, version: alert.version });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.publishAlert;
  }

  async function countAlerts(token: string): Promise<number> {
    return (await t.gql(token, '{ alerts(first: 0) { totalCount } }')).body.data.alerts.totalCount;
  }

  describe('creating', () => {
    test('an analyst creates a DRAFT in its own agency, ORIGINATOR_ONLY, with every field stored', async () => {
      const a = await create(gd);
      expect(a.reference).toMatch(REFERENCE);
      expect(a.status).toBe('DRAFT');
      expect(a.originAgency.code).toBe('GD');
      expect(a.distribution).toEqual({ scope: 'ORIGINATOR_ONLY', agencies: [] });
      expect(a.version).toBe(1);
      expect(a.publishedAt).toBeNull();
      expect(a.withheld).toEqual([]);
      // Normalised codes and everything the input carried.
      expect(a.goods).toEqual([{ category: 'AUDIO_EQUIPMENT', description: 'Bluetooth speakers', hsCode: '851822', quantity: 29500, unit: 'pcs' }]);
      expect(a.containerNumbers).toEqual([containerNo('TST', '104528')]);
      expect(a.consignor).toEqual({ name: 'Shenzhen Trading Co.', address: null, country: 'CN', identifier: '9144030000000001', phone: null, email: null });
      expect(a.source).toEqual({ kind: 'risk profiling', reliability: 'B', credibility: 2, reference: 'RP-1' });
      expect(a.operationalNotes).toMatch(/pallet/);
      const again = await t.gql(gd, GET, { id: a.id });
      expect(again.body.data.alert).toEqual(a);
    });

    test('an OBSERVER or a COORDINATOR cannot create alerts', async () => {
      const before = await countAlerts(gd);
      for (const roles of [['OBSERVER'], ['COORDINATOR', 'ADMIN']]) {
        const res = await t.gql(await t.token('GD', roles), CREATE, { input: alertInput() });
        expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      expect(await countAlerts(gd)).toBe(before);
    });

    test('a draft, even distributed to ALL_PARTNERS, is its own agency\'s alone', async () => {
      const a = await create(gd, { distribution: { scope: 'ALL_PARTNERS' } });
      expect(a.distribution.scope).toBe('ALL_PARTNERS');
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert).toBeNull();
      const list = await t.gql(hk, '{ alerts(first: 100) { edges { node { id } } } }');
      expect(list.body.data.alerts.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(a.id);
    });

    test('concurrent creation hands out unique, gap-free references', async () => {
      const first = await create(mo);
      const n = Number(first.reference.slice(-6));
      const created = await Promise.all(Array.from({ length: 24 }, () => t.gql(mo, CREATE, { input: alertInput() })));
      const refs = created.map((r) => {
        expect(r.body.errors).toBeUndefined();
        return r.body.data.createAlert.reference as string;
      });
      const numbers = refs.map((r) => Number(r.slice(-6))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => n + 1 + i));
      expect(new Set(refs).size).toBe(24);
      for (const r of refs) expect(r).toMatch(/^MO-\d{4}-\d{6}$/);
    });

    test('a creation that fails validation uses no reference number', async () => {
      const a = await create(hk);
      const bad = await t.gql(hk, CREATE, { input: alertInput({ originCountry: 'XX' }) });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const b = await create(hk);
      expect(Number(b.reference.slice(-6))).toBe(Number(a.reference.slice(-6)) + 1);
    });
  });

  describe('validation names the field and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a container number with a wrong check digit', { containerNumbers: [containerNo().slice(0, 10) + ((Number(containerNo().slice(10)) + 1) % 10)] }, 'input.containerNumbers[0]'],
      ['a container number of the wrong shape', { containerNumbers: ['ABC123'] }, 'input.containerNumbers[0]'],
      ['an unknown country', { originCountry: 'XX' }, 'input.originCountry'],
      ['a three-letter country', { destinationCountry: 'CHN' }, 'input.destinationCountry'],
      ['a UN/LOCODE of the wrong shape', { portOfLoading: 'SHEKOU' }, 'input.portOfLoading'],
      ['a UN/LOCODE with an unknown country', { portOfDischarge: 'XXABC' }, 'input.portOfDischarge'],
      ['an HS code of 4 digits', { goods: [{ category: 'BAGS', description: 'bags', hsCode: '4202', quantity: 1, unit: 'pcs' }] }, 'input.goods[0].hsCode'],
      ['an HS code of 11 digits', { goods: [{ category: 'BAGS', description: 'bags', hsCode: '42022100001', quantity: 1, unit: 'pcs' }] }, 'input.goods[0].hsCode'],
      ['a quantity of zero', { goods: [{ category: 'BAGS', description: 'bags', quantity: 0, unit: 'pcs' }] }, 'input.goods[0].quantity'],
      ['a negative quantity', { goods: [{ category: 'BAGS', description: 'bags', quantity: -5, unit: 'pcs' }] }, 'input.goods[0].quantity'],
      ['no goods lines', { goods: [] }, 'input.goods'],
      ['an empty title', { title: '   ' }, 'input.title'],
      ['a title too long', { title: 'x'.repeat(201) }, 'input.title'],
      ['a summary too long', { summary: 'x'.repeat(4001) }, 'input.summary'],
      ['a NUL byte in a text', { billOfLading: 'BL\u0000001' }, 'input.billOfLading'],
      ['a party country that does not exist', { consignee: { name: 'X', country: 'ZZ' } }, 'input.consignee.country'],
      ['a source credibility outside 1-6', { source: { kind: 'tip', reliability: 'A', credibility: 7 } }, 'input.source.credibility'],
      ['an unknown rights holder', { rightsHolderIds: ['00000000-0000-4000-8000-000000000000'] }, 'input.rightsHolderIds'],
      ['SELECTED_AGENCIES without partners', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['GD'] } }, 'input.distribution.agencies'],
      ['SELECTED_AGENCIES naming an unknown agency', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['XX'] } }, 'input.distribution.agencies'],
      ['agencies with ALL_PARTNERS', { distribution: { scope: 'ALL_PARTNERS', agencies: ['HK'] } }, 'input.distribution.agencies'],
      ['an OPERATION scope without a joint operation', { distribution: { scope: 'OPERATION', operationId: '1' } }, 'input.distribution.operationId'],
      ['an arrival in year 0 (PostgreSQL has none)', { expectedArrival: '0000-06-30T00:00:00Z' }, 'input.expectedArrival'],
      ['an air waybill with a wrong check digit (1234567 mod 7 is 5)', { airWaybill: '160-12345676' }, 'input.airWaybill'],
      ['an air waybill of the wrong shape', { airWaybill: '160-1234567' }, 'input.airWaybill'],
      ['a tracking number too short', { trackingNumbers: ['SF12'] }, 'input.trackingNumbers[0]'],
      ['a tracking number with other characters', { trackingNumbers: ['SF1234567890', 'SF/12345/678'] }, 'input.trackingNumbers[1]'],
      ['more than 200 tracking numbers', { trackingNumbers: Array.from({ length: 201 }, (_, i) => `SF${100000 + i}`) }, 'input.trackingNumbers'],
      ['a phone that is no number', { consignee: { name: 'X', phone: '12' } }, 'input.consignee.phone'],
      ['a phone of no plan of the party, the agency or the Greater Bay Area', { consignor: { name: 'X', country: 'CN', phone: '1234' } }, 'input.consignor.phone'],
      ['a phone too long', { consignee: { name: 'X', phone: `+852 ${'9'.repeat(40)}` } }, 'input.consignee.phone'],
      ['an e-mail without a domain', { consignee: { name: 'X', email: 'ring.leader' } }, 'input.consignee.email'],
      ['an e-mail with two @', { consignor: { name: 'X', email: 'a@b@example.com' } }, 'input.consignor.email'],
    ];
    test.each(cases)('%s', async (_name, overrides, field) => {
      const before = await countAlerts(gd);
      const res = await t.gql(gd, CREATE, { input: alertInput(overrides) });
      // A date out of range is refused with the variables, before execution: no data at all.
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(res.body.errors[0].message).toContain(field);
      expect(await countAlerts(gd)).toBe(before);
    });

    test('air waybill, tracking numbers, phones and e-mails are stored: the waybill and tracking numbers in one form, phones and e-mails as written', async () => {
      const a = await create(gd, {
        airWaybill: '１６０ 1234 5675',
        trackingNumbers: ['sf 1234-5678-9012', 'SF123456789012', 'ＹＴ８８０１２３４５６７'],
        consignor: { name: '深圳市華強北電子貿易有限公司', country: 'CN', phone: '138 0013 8000', email: 'Sales@HQB.example' },
        consignee: { name: 'Jade Gate Ltd', country: 'HK', phone: '(852) 9123-4567' },
      });
      expect(a).toMatchObject({
        airWaybill: '160-12345675',
        trackingNumbers: ['SF123456789012', 'YT8801234567'],
        consignor: { phone: '138 0013 8000', email: 'Sales@HQB.example' },
        consignee: { phone: '(852) 9123-4567', email: null },
      });
      // A number without a country code is read in the writing agency's plan: a Macao landline from Macao.
      const mo = await t.gql(await t.token('MO'), CREATE, { input: alertInput({ consignee: { name: 'Y', phone: '2888 1234' } }) });
      expect(mo.body.errors).toBeUndefined();
      // Updating other fields keeps them; null clears.
      const kept = (await t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: 'Integrated circuits in parcels' } })).body.data.updateAlert;
      expect(kept).toMatchObject({ airWaybill: '160-12345675', trackingNumbers: ['SF123456789012', 'YT8801234567'], consignor: { phone: '138 0013 8000' } });
      const cleared = (await t.gql(gd, UPDATE, { id: a.id, version: kept.version, input: { airWaybill: null, trackingNumbers: null } })).body.data.updateAlert;
      expect(cleared).toMatchObject({ airWaybill: null, trackingNumbers: null });
    });

    test('a required field cannot be set to null on update', async () => {
      const a = await create(gd);
      const res = await t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: null } });
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.title' });
      expect((await t.gql(gd, GET, { id: a.id })).body.data.alert.version).toBe(1);
    });
  });

  describe('updating and publishing with versions', () => {
    test('an update at the current version changes the alert and bumps the version', async () => {
      const a = await create(gd);
      const res = await t.gql(gd, UPDATE, {
        id: a.id,
        version: a.version,
        input: { title: 'Revised title', riskLevel: 'CRITICAL', billOfLading: null, containerNumbers: [containerNo('ABC', '123456'), containerNo('ABC', '123457')] },
      });
      expect(res.body.errors).toBeUndefined();
      const u = res.body.data.updateAlert;
      expect(u).toMatchObject({ title: 'Revised title', riskLevel: 'CRITICAL', billOfLading: null, version: 2, summary: a.summary });
      expect(u.containerNumbers).toHaveLength(2);
      expect(new Date(u.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(a.updatedAt).getTime());
    });

    test('a change loads in its transaction only the collections it replaces, and answers with the whole alert', async () => {
      const a = await create(gd);
      /** The statements between begin and commit of one updateAlert. */
      const inTransaction = async (input: Record<string, unknown>, version: number) => {
        t.statements.length = 0;
        const res = await t.gql(gd, UPDATE, { id: a.id, version, input });
        expect(res.body.errors).toBeUndefined();
        const begin = t.statements.findIndex((q) => /\bbegin\b/.test(q));
        const commit = t.statements.findIndex((q) => /\bcommit\b/.test(q));
        return { alert: res.body.data.updateAlert, statements: t.statements.slice(begin, commit) };
      };
      const scalar = await inTransaction({ title: 'only the title' }, a.version);
      const loads = (statements: string[]) => statements.filter((q) => /\bselect\b.*\bfrom "(alert_goods_line|alert_rights_holder|alert_distribution_agency)"/.test(q));
      expect(loads(scalar.statements)).toEqual([]);
      // The answer is read again after the commit, collections and all.
      expect(scalar.alert).toMatchObject({ title: 'only the title', goods: a.goods, version: a.version + 1 });

      const goods = [{ category: 'BAGS', description: 'handbags', hsCode: '420221', quantity: 300, unit: 'pcs' }];
      const replaced = await inTransaction({ goods }, scalar.alert.version);
      expect(loads(replaced.statements).map((q) => /from "(\w+)"/.exec(q)![1])).toEqual(['alert_goods_line']);
      expect(replaced.alert.goods).toEqual(goods);
      expect((await t.gql(gd, GET, { id: a.id })).body.data.alert.goods).toEqual(goods);
    });

    test('a stale version is CONFLICT and writes nothing', async () => {
      const a = await create(gd);
      await t.gql(gd, UPDATE, { id: a.id, version: 1, input: { title: 'first writer' } });
      const stale = await t.gql(gd, UPDATE, { id: a.id, version: 1, input: { title: 'second writer' } });
      expect(stale.body.errors[0].extensions.code).toBe('CONFLICT');
      const now = (await t.gql(gd, GET, { id: a.id })).body.data.alert;
      expect(now).toMatchObject({ title: 'first writer', version: 2 });
      const stalePublish = await t.gql(gd, PUBLISH, { id: a.id, version: 1 });
      expect(stalePublish.body.errors[0].extensions.code).toBe('CONFLICT');
    });

    test('concurrent writers at the same version: exactly one wins, the others get CONFLICT', async () => {
      const a = await create(gd);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: `writer ${i}`, goods: [{ category: 'BAGS', description: `line ${i}`, quantity: i + 1, unit: 'pcs' }] } })),
      );
      const won = results.filter((r) => !r.body.errors);
      const lost = results.filter((r) => r.body.errors);
      expect(won).toHaveLength(1);
      for (const r of lost) expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
      const now = (await t.gql(gd, GET, { id: a.id })).body.data.alert;
      expect(now.version).toBe(2);
      // The winner's goods and title went in together.
      const winner = won[0].body.data.updateAlert;
      expect(now.title).toBe(winner.title);
      expect(now.goods).toEqual(winner.goods);
      expect(now.goods[0].description).toBe(winner.title.replace('writer', 'line'));
    });

    test('publishing sets PUBLISHED and publishedAt once; publishing again is BAD_USER_INPUT', async () => {
      const a = await create(gd);
      const p = await publish(gd, a);
      expect(p.status).toBe('PUBLISHED');
      expect(p.publishedAt).not.toBeNull();
      expect(p.version).toBe(2);
      const again = await t.gql(gd, PUBLISH, { id: a.id, version: p.version });
      expect(again.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    test("another agency cannot change an alert it can see (FORBIDDEN), nor one it cannot (NOT_FOUND, as an unknown id)", async () => {
      const shared = await publish(gd, await create(gd, { distribution: { scope: 'ALL_PARTNERS' } }));
      const res = await t.gql(hk, UPDATE, { id: shared.id, version: shared.version, input: { title: 'hijacked' } });
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const hidden = await create(gd);
      const r1 = await t.gql(hk, UPDATE, { id: hidden.id, version: 1, input: { title: 'x' } });
      const r2 = await t.gql(hk, UPDATE, { id: '01234567-89ab-7def-8123-456789abcdef', version: 1, input: { title: 'x' } });
      expect(r1.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(r2.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(r1.body.errors[0].message.replace(hidden.id, 'ID')).toBe(r2.body.errors[0].message.replace('01234567-89ab-7def-8123-456789abcdef', 'ID'));
      const p = await t.gql(hk, PUBLISH, { id: hidden.id, version: 1 });
      expect(p.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await t.gql(gd, GET, { id: shared.id })).body.data.alert.title).toBe(shared.title);
    });
  });

  describe('what partners see', () => {
    let shared: any;
    let selected: any;
    beforeAll(async () => {
      shared = await publish(gd, await create(gd, { title: 'Shared with all partners', distribution: { scope: 'ALL_PARTNERS' } }));
      selected = await publish(gd, await create(gd, { title: 'Shared with Hong Kong only', distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } }));
    });

    test('a published ALL_PARTNERS alert shows partners its CORE fields and withholds the rest', async () => {
      const a = (await t.gql(hk, GET, { id: shared.id })).body.data.alert;
      const partnerReference = (await t.gql(gd, '{ alert(id: "' + shared.id + '") { partnerReference } }')).body.data.alert.partnerReference;
      // The register number is Guangdong's: partners see the partner reference in its place.
      expect(a).toMatchObject({ id: shared.id, reference: partnerReference, title: shared.title, riskLevel: 'HIGH', portOfLoading: 'CNSHK' });
      expect(a.reference).not.toBe(shared.reference);
      expect(a.goods).toEqual(shared.goods);
      expect(a.containerNumbers).toBeNull();
      expect(a.billOfLading).toBeNull();
      expect(a.conveyanceReference).toBeNull();
      expect(a.consignor).toBeNull();
      expect(a.consignee).toBeNull();
      expect(a.source).toBeNull();
      expect(a.operationalNotes).toBeNull();
      expect(a.withheld).toEqual(['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL']);
      // The originator still sees everything.
      const own = (await t.gql(gd, GET, { id: shared.id })).body.data.alert;
      expect(own.consignor.name).toBe('Shenzhen Trading Co.');
      expect(own.withheld).toEqual([]);
    });

    test('a Hong Kong analyst cannot read Guangdong consignee details through an alias or a fragment', async () => {
      const res = await t.gql(
        hk,
        `query ($id: ID!) {
          a: alert(id: $id) { who: consignee { n: name } boxes: containerNumbers ...F }
          b: alerts(first: 100, filter: { originAgency: ["GD"] }) { totalCount edges { node { id ...F } } }
        }
        fragment F on Alert { consignor { name identifier } source { kind } notes: operationalNotes bl: billOfLading }`,
        { id: shared.id },
      );
      expect(res.body.errors).toBeUndefined();
      const text = JSON.stringify(res.body);
      for (const secret of ['Shenzhen Trading', 'Gulf Trading', '9144030000000001', 'risk profiling', 'pallet', 'SHK-BL-0001', containerNo('TST', '104528')]) {
        expect(text).not.toContain(secret);
      }
      expect(res.body.data.a).toEqual({ who: null, boxes: null, consignor: null, source: null, notes: null, bl: null });
      expect(res.body.data.b.totalCount).toBeGreaterThanOrEqual(2);
    });

    test('SELECTED_AGENCIES shows the alert to the named partner only', async () => {
      expect((await t.gql(hk, GET, { id: selected.id })).body.data.alert.title).toBe('Shared with Hong Kong only');
      expect((await t.gql(mo, GET, { id: selected.id })).body.data.alert).toBeNull();
    });

    test('an alert a partner cannot see is absent from its list and its totalCount, and null by id', async () => {
      const hidden = await publish(gd, await create(gd, { title: 'Guangdong eyes only' }));
      expect(hidden.distribution.scope).toBe('ORIGINATOR_ONLY');
      for (const token of [hk, mo]) {
        expect((await t.gql(token, GET, { id: hidden.id })).body.data.alert).toBeNull();
        const res = await t.gql(token, '{ alerts(first: 100) { totalCount edges { node { id title } } } }');
        expect(JSON.stringify(res.body)).not.toContain('Guangdong eyes only');
        expect(res.body.data.alerts.totalCount).toBe(res.body.data.alerts.edges.length);
      }
    });

    test('an unknown id and an id of any shape are null, not an error', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1", '']) {
        const res = await t.gql(hk, GET, { id });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.alert).toBeNull();
      }
    });
  });

  describe('listing', () => {
    let fresh: TestHub;
    let token: string;
    beforeAll(async () => {
      fresh = await startTestHub();
      token = await fresh.token('HK');
      // 7 published alerts across channels, one draft, and partner alerts.
      const inputs = [
        ['SEA_CONTAINER', true], ['AIR_CARGO', true], ['SEA_CONTAINER', true], ['POSTAL_EXPRESS', true],
        ['LAND_BORDER', true], ['AIR_CARGO', true], ['SEA_CONTAINER', true], ['PASSENGER', false],
      ] as const;
      for (const [channel, pub] of inputs) {
        const c = await fresh.gql(token, CREATE, { input: alertInput({ channel, title: `HK ${channel}` }) });
        const a = c.body.data.createAlert;
        if (pub) await fresh.gql(token, PUBLISH, { id: a.id, version: a.version });
      }
      const gdToken = await fresh.token('GD');
      const g = (await fresh.gql(gdToken, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, title: 'GD shared' }) })).body.data.createAlert;
      await fresh.gql(gdToken, PUBLISH, { id: g.id, version: g.version });
    });
    afterAll(() => fresh.stop());

    const LIST = `query ($filter: AlertFilter, $first: Int, $after: String) {
      alerts(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id title status channel publishedAt originAgency { code } } }
      }
    }`;

    test('default order is newest published first, drafts last', async () => {
      const res = await fresh.gql(token, LIST, { first: 20 });
      const nodes = res.body.data.alerts.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(9);
      expect(res.body.data.alerts.totalCount).toBe(9);
      expect(nodes[0].title).toBe('GD shared');
      expect(nodes.at(-1).status).toBe('DRAFT');
      const times = nodes.filter((n: any) => n.publishedAt).map((n: any) => Date.parse(n.publishedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    test('pages with first/after walk every alert once, with a stable totalCount', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const res: any = await fresh.gql(token, LIST, { first: 2, after });
        const conn = res.body.data.alerts;
        expect(conn.totalCount).toBe(9);
        seen.push(...conn.edges.map((e: any) => e.node.id));
        pages++;
        expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(9);
    });

    test('filters by status, channel and origin agency combine with AND', async () => {
      const byChannel = await fresh.gql(token, LIST, { filter: { channel: ['SEA_CONTAINER'] } });
      expect(byChannel.body.data.alerts.totalCount).toBe(4);
      const combined = await fresh.gql(token, LIST, { filter: { channel: ['SEA_CONTAINER', 'AIR_CARGO'], originAgency: ['HK'], status: ['PUBLISHED'] } });
      expect(combined.body.data.alerts.totalCount).toBe(5);
      for (const e of combined.body.data.alerts.edges) {
        expect(e.node.originAgency.code).toBe('HK');
        expect(['SEA_CONTAINER', 'AIR_CARGO']).toContain(e.node.channel);
      }
      const drafts = await fresh.gql(token, LIST, { filter: { status: ['DRAFT'] } });
      expect(drafts.body.data.alerts.edges.map((e: any) => e.node.channel)).toEqual(['PASSENGER']);
      const gdOnly = await fresh.gql(token, LIST, { filter: { originAgency: ['GD'] } });
      expect(gdOnly.body.data.alerts.totalCount).toBe(1);
      const none = await fresh.gql(token, LIST, { filter: { status: [] } });
      expect(none.body.data.alerts.totalCount).toBe(0);
    });

    test('first above 100 or below 0 is BAD_USER_INPUT', async () => {
      for (const first of [101, 99999999, -1]) {
        const res = await fresh.gql(token, LIST, { first });
        expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      }
    });

    test('a tampered cursor is BAD_USER_INPUT, never a database error', async () => {
      const res = await fresh.gql(token, LIST, { first: 1 });
      const cursor: string = res.body.data.alerts.pageInfo.endCursor;
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
      const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const tampered = [
        cursor.slice(0, -3) + 'xyz',
        'not a cursor',
        forge([decoded[0], "2026-01-01'; drop table alert; --", decoded[2]]),
        forge([decoded[0], decoded[1], 'not-a-uuid']),
        forge(['alerts:RISK_LEVEL:d', '9', decoded[2]]),
        forge([decoded[0]]),
      ];
      for (const after of tampered) {
        const r = await fresh.gql(token, LIST, { first: 1, after });
        expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(JSON.stringify(r.body)).not.toMatch(/select|syntax|relation/i);
      }
    });

    test('the GraphQL document can ask for every alert field on a page', async () => {
      const res = await fresh.gql(token, `{ alerts(first: 5) { edges { node { ${ALERT_FIELDS} } } } }`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.alerts.edges).toHaveLength(5);
    });
  });
});
