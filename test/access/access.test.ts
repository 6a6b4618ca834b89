import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, GET, PUBLISH, alertInput, containerNo } from '../support/fixtures';

const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) {
  shareAlert(id: $id, version: $version, distribution: $d) { id version distribution { scope agencies { code } } }
}`;
const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) {
  setSharingAgreement(partner: $p, fieldClasses: $c) { fromAgency { code } toAgency { code } fieldClasses updatedAt }
}`;
const REQUEST = `mutation ($a: ID!, $c: [FieldClass!]!, $j: String!) {
  requestDisclosure(alertId: $a, fieldClasses: $c, justification: $j) { id status fieldClasses requestingAgency { code } requestedBy alert { id withheld } }
}`;
const DECIDE = `mutation ($r: ID!, $ok: Boolean!, $exp: DateTime, $note: String) {
  decideDisclosure(requestId: $r, approve: $ok, expiresAt: $exp, note: $note) { id status decidedBy decidedAt expiresAt decisionNote alert { id containerNumbers consignor { name } withheld } }
}`;
const LOG = `query ($a: ID!, $first: Int, $after: String) {
  alertAccessLog(alertId: $a, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { at agency { code } subject disclosed via } } }
}`;

describe('field-level access', () => {
  let t: TestHub;
  let gdAnalyst: string;
  let gdAdmin: string;
  let hk: string;
  let mo: string;

  async function published(overrides: Record<string, unknown> = {}) {
    const a = (await t.gql(gdAnalyst, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).body.data.createAlert;
    return (await t.gql(gdAnalyst, PUBLISH, { id: a.id, version: a.version })).body.data.publishAlert;
  }

  beforeAll(async () => {
    t = await startTestHub();
    [gdAnalyst, gdAdmin, hk, mo] = await Promise.all([t.token('GD'), t.token('GD', ['ADMIN']), t.token('HK'), t.token('MO')]);
  });
  afterAll(() => t.stop());

  describe('distribution', () => {
    test('shareAlert widens and narrows at once, for lists and ids alike', async () => {
      let a = await published({ title: 'moving distribution', distribution: { scope: 'ORIGINATOR_ONLY' } });
      const visibleTo = async (token: string) =>
        (await t.gql(token, GET, { id: a.id })).body.data.alert !== null &&
        (await t.gql(token, `{ alerts(first: 100, filter: { text: "moving distribution" }) { totalCount } }`)).body.data.alerts.totalCount === 1;
      expect([await visibleTo(hk), await visibleTo(mo)]).toEqual([false, false]);
      a = (await t.gql(gdAnalyst, SHARE, { id: a.id, version: a.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['mo'] } })).body.data.shareAlert;
      expect(a.distribution).toEqual({ scope: 'SELECTED_AGENCIES', agencies: [{ code: 'MO' }] });
      expect([await visibleTo(hk), await visibleTo(mo)]).toEqual([false, true]);
      a = (await t.gql(gdAnalyst, SHARE, { id: a.id, version: a.version, d: { scope: 'ALL_PARTNERS' } })).body.data.shareAlert;
      expect([await visibleTo(hk), await visibleTo(mo)]).toEqual([true, true]);
      a = (await t.gql(gdAnalyst, SHARE, { id: a.id, version: a.version, d: { scope: 'ORIGINATOR_ONLY' } })).body.data.shareAlert;
      expect([await visibleTo(hk), await visibleTo(mo)]).toEqual([false, false]);
      const history = (await t.gql(gdAnalyst, `query ($id: ID!) { alertHistory(alertId: $id) { kind note } }`, { id: a.id })).body.data.alertHistory;
      expect(history.filter((h: any) => h.kind === 'DISTRIBUTION_CHANGED').map((h: any) => h.note)).toEqual(['SELECTED_AGENCIES MO', 'ALL_PARTNERS', 'ORIGINATOR_ONLY']);
    });

    test('only the originator\'s ANALYSTs share; a stale version is CONFLICT', async () => {
      const a = await published();
      expect((await t.gql(gdAdmin, SHARE, { id: a.id, version: a.version, d: { scope: 'ORIGINATOR_ONLY' } })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(hk, SHARE, { id: a.id, version: a.version, d: { scope: 'ORIGINATOR_ONLY' } })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(gdAnalyst, SHARE, { id: a.id, version: a.version - 1, d: { scope: 'ORIGINATOR_ONLY' } })).body.errors[0].extensions.code).toBe('CONFLICT');
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.id).toBe(a.id);
    });
  });

  describe('sharing agreements', () => {
    test('an agreement lets its classes flow to that partner only, and revoking it takes them back', async () => {
      const a = await published({ containerNumbers: [containerNo('AGR', '000001')] });
      const before = (await t.gql(hk, GET, { id: a.id })).body.data.alert;
      expect(before.containerNumbers).toBeNull();
      const set = await t.gql(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS', 'CORE', 'SHIPMENT_IDENTIFIERS'] });
      expect(set.body.data.setSharingAgreement).toMatchObject({ fromAgency: { code: 'GD' }, toAgency: { code: 'HK' }, fieldClasses: ['SHIPMENT_IDENTIFIERS'] });
      const hkView = (await t.gql(hk, GET, { id: a.id })).body.data.alert;
      expect(hkView.containerNumbers).toEqual([containerNo('AGR', '000001')]);
      expect(hkView.billOfLading).toBe('SHK-BL-0001');
      expect(hkView.consignor).toBeNull();
      expect(hkView.withheld).toEqual(['PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL']);
      expect((await t.gql(mo, GET, { id: a.id })).body.data.alert.containerNumbers).toBeNull();
      const byContainer = `{ alerts(filter: { containerNumber: "${containerNo('AGR', '000001')}" }) { totalCount } }`;
      expect((await t.gql(hk, byContainer)).body.data.alerts.totalCount).toBe(1);
      expect((await t.gql(mo, byContainer)).body.data.alerts.totalCount).toBe(0);

      await t.gql(gdAdmin, AGREE, { p: 'HK', c: [] });
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.containerNumbers).toBeNull();
      expect((await t.gql(hk, byContainer)).body.data.alerts.totalCount).toBe(0);
    });

    test('SOURCE is never given by agreement; only ADMINs set agreements; the partner must exist and not be oneself', async () => {
      expect((await t.gql(gdAdmin, AGREE, { p: 'HK', c: ['SOURCE'] })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fieldClasses' });
      expect((await t.gql(gdAnalyst, AGREE, { p: 'HK', c: ['PARTY_IDENTITY'] })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(gdAdmin, AGREE, { p: 'GD', c: ['PARTY_IDENTITY'] })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'partner' });
      expect((await t.gql(gdAdmin, AGREE, { p: 'XX', c: ['PARTY_IDENTITY'] })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'partner' });
    });

    test('sharingAgreements lists what the agency gives and receives, and nothing between others', async () => {
      await t.gql(gdAdmin, AGREE, { p: 'MO', c: ['OPERATIONAL'] });
      await t.gql(await t.token('HK', ['ADMIN']), AGREE, { p: 'GD', c: ['PARTY_IDENTITY'] });
      await t.gql(await t.token('HK', ['ADMIN']), AGREE, { p: 'MO', c: ['SHIPMENT_IDENTIFIERS'] });
      const q = '{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }';
      const pairs = (token: string) => t.gql(token, q).then((r) => r.body.data.sharingAgreements.map((s: any) => `${s.fromAgency.code}>${s.toAgency.code}`).sort());
      expect(await pairs(await t.token('GD', ['OBSERVER']))).toEqual(['GD>HK', 'GD>MO', 'HK>GD']);
      expect(await pairs(mo)).toEqual(['GD>MO', 'HK>MO']);
    });
  });

  describe('disclosure requests', () => {
    test('a partner asks, the originator approves until a date: the grant covers that alert, for that agency', async () => {
      const a = await published({ containerNumbers: [containerNo('DSC', '000001')] });
      const other = await published();
      const req = (await t.gql(hk, REQUEST, { a: a.id, c: ['PARTY_IDENTITY', 'SOURCE'], j: 'Consignee matches an open case in Kwai Chung.' })).body.data.requestDisclosure;
      expect(req).toMatchObject({ status: 'PENDING', fieldClasses: ['PARTY_IDENTITY', 'SOURCE'], requestingAgency: { code: 'HK' }, requestedBy: 'hk-officer-1' });
      // Both sides see it; Macao does not.
      const list = '{ disclosureRequests { id status alert { id } } }';
      expect((await t.gql(hk, list)).body.data.disclosureRequests.map((r: any) => r.id)).toContain(req.id);
      expect((await t.gql(gdAnalyst, list)).body.data.disclosureRequests.map((r: any) => r.id)).toContain(req.id);
      expect((await t.gql(mo, list)).body.data.disclosureRequests.map((r: any) => r.id)).not.toContain(req.id);

      const expires = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
      const decided = (await t.gql(gdAnalyst, DECIDE, { r: req.id, ok: true, exp: expires, note: 'for the joint case' })).body.data.decideDisclosure;
      expect(decided).toMatchObject({ status: 'APPROVED', decidedBy: 'gd-officer-1', expiresAt: expires, decisionNote: 'for the joint case' });

      const hkView = (await t.gql(hk, GET, { id: a.id })).body.data.alert;
      expect(hkView.consignor.name).toBe('Shenzhen Trading Co.');
      expect(hkView.source.kind).toBe('risk profiling');
      expect(hkView.containerNumbers).toBeNull();
      expect(hkView.withheld).toEqual(['SHIPMENT_IDENTIFIERS', 'OPERATIONAL']);
      expect((await t.gql(hk, GET, { id: other.id })).body.data.alert.consignor).toBeNull();
      expect((await t.gql(mo, GET, { id: a.id })).body.data.alert.consignor).toBeNull();
      // Decided once.
      expect((await t.gql(gdAnalyst, DECIDE, { r: req.id, ok: false })).body.errors[0].extensions.code).toBe('CONFLICT');
    });

    test('a denial grants nothing; an approval needs an expiry in the future and within 90 days', async () => {
      const a = await published();
      const ask = async () => (await t.gql(hk, REQUEST, { a: a.id, c: ['OPERATIONAL'], j: 'need inspection notes' })).body.data.requestDisclosure.id;
      const denied = await t.gql(gdAnalyst, DECIDE, { r: await ask(), ok: false, note: 'not now' });
      expect(denied.body.data.decideDisclosure.status).toBe('DENIED');
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.operationalNotes).toBeNull();
      const r = await ask();
      for (const exp of [null, new Date(Date.now() - 1000).toISOString(), new Date(Date.now() + 91 * 24 * 3600_000).toISOString()]) {
        const res = await t.gql(gdAnalyst, DECIDE, { r, ok: true, exp });
        expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
      }
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.operationalNotes).toBeNull();
    });

    test('a grant ends at its expiry: the classes are withheld again and the request reads EXPIRED', async () => {
      const a = await published();
      const r = (await t.gql(hk, REQUEST, { a: a.id, c: ['OPERATIONAL'], j: 'short look' })).body.data.requestDisclosure.id;
      await t.gql(gdAnalyst, DECIDE, { r, ok: true, exp: new Date(Date.now() + 1500).toISOString() });
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.operationalNotes).toMatch(/pallet/);
      await new Promise((res) => setTimeout(res, 1800));
      expect((await t.gql(hk, GET, { id: a.id })).body.data.alert.operationalNotes).toBeNull();
      const expired = (await t.gql(hk, '{ disclosureRequests(status: [EXPIRED]) { id status } }')).body.data.disclosureRequests;
      expect(expired).toContainEqual({ id: r, status: 'EXPIRED' });
    });

    test('requests are for partners\' ANALYSTs on alerts they can see, for classes beyond CORE', async () => {
      const a = await published();
      const hidden = await published({ distribution: { scope: 'ORIGINATOR_ONLY' } });
      expect((await t.gql(await t.token('HK', ['OBSERVER']), REQUEST, { a: a.id, c: ['SOURCE'], j: 'x' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(hk, REQUEST, { a: hidden.id, c: ['SOURCE'], j: 'x' })).body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await t.gql(gdAnalyst, REQUEST, { a: a.id, c: ['SOURCE'], j: 'x' })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'alertId' });
      expect((await t.gql(hk, REQUEST, { a: a.id, c: ['CORE'], j: 'x' })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fieldClasses' });
      expect((await t.gql(hk, REQUEST, { a: a.id, c: [], j: 'x' })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fieldClasses' });
      expect((await t.gql(hk, REQUEST, { a: a.id, c: ['SOURCE'], j: '  ' })).body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'justification' });
    });

    describe('disclosureRequests(alertId:)', () => {
      const BY_ALERT = `query ($a: ID, $s: [DisclosureStatus!], $first: Int) {
        disclosureRequests(alertId: $a, status: $s, first: $first) { id status requestingAgency { code } justification alert { id withheld } }
      }`;
      const ids = async (token: string, vars: Record<string, unknown>) => {
        const res = await t.gql(token, BY_ALERT, vars);
        expect(res.body.errors).toBeUndefined();
        return res.body.data.disclosureRequests.map((r: any) => r.id).sort();
      };

      test('returns only the requests on that alert, even beyond `first` of the unfiltered list, to the requester and the originator', async () => {
        const a = await published({ title: 'requests by alert' });
        const hkReq = (await t.gql(hk, REQUEST, { a: a.id, c: ['PARTY_IDENTITY'], j: 'HK case 17' })).body.data.requestDisclosure.id;
        const moReq = (await t.gql(mo, REQUEST, { a: a.id, c: ['SOURCE'], j: 'MO case 3' })).body.data.requestDisclosure.id;
        // Newer requests on other alerts push these two out of a short unfiltered list.
        for (let i = 0; i < 3; i++) await t.gql(hk, REQUEST, { a: (await published()).id, c: ['OPERATIONAL'], j: `filler ${i}` });
        const unfiltered = (await t.gql(hk, BY_ALERT, { first: 3 })).body.data.disclosureRequests.map((r: any) => r.id);
        expect(unfiltered).not.toContain(hkReq);
        expect(await ids(hk, { a: a.id, first: 3 })).toEqual([hkReq]);

        // Each requester sees its own request only; the originator sees both.
        expect(await ids(mo, { a: a.id })).toEqual([moReq]);
        expect(await ids(gdAnalyst, { a: a.id })).toEqual([hkReq, moReq].sort());
        expect(await ids(await t.token('GD', ['OBSERVER']), { a: a.id })).toEqual([hkReq, moReq].sort());

        // With a status, both filters hold.
        await t.gql(gdAnalyst, DECIDE, { r: moReq, ok: false, note: 'not for this case' });
        expect(await ids(gdAnalyst, { a: a.id, s: ['PENDING'] })).toEqual([hkReq]);
        expect(await ids(gdAnalyst, { a: a.id, s: ['DENIED'] })).toEqual([moReq]);
        expect(await ids(hk, { a: a.id, s: ['DENIED'] })).toEqual([]);
        const denied = (await t.gql(mo, BY_ALERT, { a: a.id })).body.data.disclosureRequests[0];
        expect(denied).toMatchObject({ id: moReq, status: 'DENIED', requestingAgency: { code: 'MO' }, alert: { id: a.id } });
      });

      test('an MO analyst asking with the alert of an HK–GD request pair sees nothing of it, shared with MO or not', async () => {
        const open = await published({ title: 'HK asks, GD decides, MO watches' });
        const closed = await published({ title: 'HK and GD only', distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });
        for (const a of [open, closed]) {
          const r = (await t.gql(hk, REQUEST, { a: a.id, c: ['PARTY_IDENTITY'], j: 'pair only' })).body.data.requestDisclosure.id;
          expect(await ids(hk, { a: a.id })).toEqual([r]);
          expect(await ids(gdAnalyst, { a: a.id })).toEqual([r]);
          for (const moToken of [mo, await t.token('MO', ['OBSERVER']), await t.token('MO', ['ADMIN', 'COORDINATOR'])]) {
            const res = await t.gql(moToken, BY_ALERT, { a: a.id });
            // The same answer as for an id that names nothing: nothing tells the request exists.
            expect(res.body).toEqual({ data: { disclosureRequests: [] } });
            expect((await t.gql(moToken, BY_ALERT, { a: a.id, s: ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED'] })).body).toEqual({ data: { disclosureRequests: [] } });
          }
          // Nor through an alias, or the unfiltered list.
          const aliased = await t.gql(mo, `query ($a: ID) { x: disclosureRequests(alertId: $a, first: 100) { id } y: disclosureRequests(first: 100) { id alert { id } } }`, { a: a.id });
          expect(aliased.body.data.x).toEqual([]);
          expect(aliased.body.data.y.map((q: any) => q.alert.id)).not.toContain(a.id);
        }
        // When GD narrows the alert away from HK, HK's own request on it is gone too, as from the list.
        const narrowed = await published({ title: 'narrowed after the request' });
        await t.gql(hk, REQUEST, { a: narrowed.id, c: ['SOURCE'], j: 'soon out of reach' });
        const fresh = (await t.gql(gdAnalyst, GET, { id: narrowed.id })).body.data.alert;
        expect((await t.gql(gdAnalyst, SHARE, { id: narrowed.id, version: fresh.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } })).body.errors).toBeUndefined();
        expect(await ids(hk, { a: narrowed.id })).toEqual([]);
        expect(await ids(gdAnalyst, { a: narrowed.id })).toHaveLength(1);
      });

      test('an id that names no alert gives an empty list; text that is not an id is BAD_USER_INPUT, never a stack or SQL', async () => {
        expect(await ids(hk, { a: '00000000-0000-7000-8000-000000000000' })).toEqual([]);
        for (const bad of ['not-an-id', "'; drop table disclosure_request; --", '', 'x'.repeat(5000)]) {
          const res = await t.gql(hk, BY_ALERT, { a: bad });
          expect(res.body.data).toBeNull();
          expect(res.body.errors).toHaveLength(1);
          expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'alertId' });
          expect(res.body.errors[0].message).toBe('alertId does not name an alert');
          expect(JSON.stringify(res.body)).not.toMatch(/ at |\.ts:|select |disclosure_request/i);
        }
        // Nothing was dropped, and the list still answers.
        expect((await t.gql(hk, BY_ALERT, {})).body.errors).toBeUndefined();
        // A token with no role reads nothing, with or without the argument.
        const noRole = await t.token('HK', []);
        expect((await t.gql(noRole, BY_ALERT, { a: '00000000-0000-7000-8000-000000000000' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      });
    });
  });

  describe('access log', () => {
    test("every partner read is logged with what it disclosed and how; only the originator reads the log", async () => {
      const a = await published({ title: 'logged alert' });
      await t.gql(hk, GET, { id: a.id });
      await t.gql(mo, `{ alerts(first: 50, filter: { text: "logged" }) { edges { node { id title } } } }`);
      await t.gql(gdAnalyst, GET, { id: a.id }); // the originator's own read is not logged
      // One read per request, however many times the alert appears in it.
      await t.gql(hk, `query ($id: ID!) { x: alert(id: $id) { id } y: alert(id: $id) { title } }`, { id: a.id });

      const log = (await t.gql(gdAnalyst, LOG, { a: a.id })).body.data.alertAccessLog;
      expect(log.totalCount).toBe(3);
      expect(log.edges.map((e: any) => [e.node.agency.code, e.node.subject, e.node.disclosed, e.node.via])).toEqual([
        ['HK', 'hk-officer-1', ['CORE'], 'query'],
        // Guangdong's agreement with Macao (set above) gives it OPERATIONAL, but the read showed
        // only id and title: the log says what was shown, not what could have been.
        ['MO', 'mo-officer-1', ['CORE'], 'query'],
        ['HK', 'hk-officer-1', ['CORE'], 'query'],
      ]);
      const page = (await t.gql(gdAnalyst, LOG, { a: a.id, first: 2 })).body.data.alertAccessLog;
      expect(page.pageInfo.hasNextPage).toBe(true);
      const rest = (await t.gql(gdAnalyst, LOG, { a: a.id, first: 2, after: page.pageInfo.endCursor })).body.data.alertAccessLog;
      expect(rest.edges).toHaveLength(1);
      expect(rest.edges[0].node.agency.code).toBe('HK');

      expect((await t.gql(hk, LOG, { a: a.id })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const hidden = await published({ distribution: { scope: 'ORIGINATOR_ONLY' } });
      const r1 = await t.gql(hk, LOG, { a: hidden.id });
      const r2 = await t.gql(hk, LOG, { a: '01234567-89ab-7def-8123-456789abcdef' });
      expect(r1.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(r1.body.errors[0].message.replace(hidden.id, 'X')).toBe(r2.body.errors[0].message.replace('01234567-89ab-7def-8123-456789abcdef', 'X'));
    });

    test('a subscription event to a partner is logged with the route subscription', async () => {
      const client = t.ws(hk);
      const got: any[] = [];
      await new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe({ query: 'subscription { alertEvents { kind alert { id } } }' }, { next: (v) => got.push(v), error: () => undefined, complete: () => undefined });
      await new Promise((r) => setTimeout(r, 100));
      const a = await published({ title: 'streamed' });
      // Delivery can wait a moment for older transactions elsewhere on the server to end.
      for (let i = 0; i < 250 && !got.some((g) => g.data.alertEvents.alert.id === a.id); i++) await new Promise((r) => setTimeout(r, 20));
      expect(got.map((g) => g.data.alertEvents.alert.id)).toContain(a.id);
      const log = (await t.gql(gdAnalyst, LOG, { a: a.id })).body.data.alertAccessLog;
      expect(log.edges.map((e: any) => [e.node.agency.code, e.node.via])).toEqual([['HK', 'subscription']]);
    });
  });
});
