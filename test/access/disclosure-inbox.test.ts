/*
 * What the console's disclosure inbox reads: disclosureRequests(direction:) and
 * disclosureCounts (src/access/access.service.ts), beside handleDisclosureRequests.
 *
 * What an agency relies on: the inbox's received side is exactly the requests on its own
 * alerts, its sent side exactly the requests it made, each past `first` of the other; the
 * counts on the navigation are what those lists hold as PENDING (requests through hit handles
 * included on both sides), move when a request is decided, and count nothing between two other
 * agencies, nor a request whose alert the requester no longer sees (the list hides it too).
 */
import { randomBytes } from 'node:crypto';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const SECRET = randomBytes(32);
const REQUEST = `mutation ($a: ID!, $c: [FieldClass!]!, $j: String!) { requestDisclosure(alertId: $a, fieldClasses: $c, justification: $j) { id } }`;
const DECIDE = `mutation ($r: ID!, $ok: Boolean!, $exp: DateTime, $note: String) { decideDisclosure(requestId: $r, approve: $ok, expiresAt: $exp, note: $note) { id status } }`;
const LIST = `query ($d: DisclosureDirection, $s: [DisclosureStatus!], $first: Int) { disclosureRequests(direction: $d, status: $s, first: $first) { id viaHandle requestingAgency { code } alert { id originAgency { code } } } }`;
const COUNTS = `{ disclosureCounts { receivedPending sentPending } }`;
const HANDLES = `query ($s: [DisclosureStatus!]) { handleDisclosureRequests(status: $s, first: 100) { id status alert { id } } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { id version } }`;

describe('the disclosure inbox: requests by direction, and the counts on the navigation', () => {
  let t: TestHub;
  let gd: string;
  let hk: string;
  let mo: string;

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }
  async function published(token: string, overrides: Record<string, unknown>) {
    const a = (await ok(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).createAlert;
    return (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert as { id: string; version: number };
  }
  const ask = async (token: string, alertId: string) => (await ok(token, REQUEST, { a: alertId, c: ['PARTY_IDENTITY'], j: 'same consignee as our case' })).requestDisclosure.id as string;
  const counts = async (token: string) => (await ok(token, COUNTS)).disclosureCounts as { receivedPending: number; sentPending: number };
  const list = async (token: string, d: string | null, s: string[] | null = null, first = 100) => (await ok(token, LIST, { d, s, first })).disclosureRequests as any[];

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_MATCH_KEY_SECRET: SECRET.toString('base64') } });
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
  });
  afterAll(() => t.stop());

  test('received is the requests on its own alerts, sent those it made, each past `first` of the other; both together are the whole', async () => {
    const gdAlerts = await Promise.all([1, 2, 3].map((i) => published(gd, { title: `GD inbox ${i}`, containerNumbers: [containerNo('INB', `00000${i}`)] })));
    const hkAlert = await published(hk, { title: 'HK inbox', containerNumbers: [containerNo('INB', '000009')] });
    const received = [];
    for (const a of gdAlerts) received.push(await ask(hk, a.id));
    const sent = await ask(gd, hkAlert.id);
    // The newest first: GD's one sent request is newer than all three received.
    const both = await list(gd, null, null, 1);
    expect(both.map((r) => r.id)).toEqual([sent]);
    expect((await list(gd, 'RECEIVED', null, 1)).map((r) => r.id)).toEqual([received[2]]);
    expect((await list(gd, 'RECEIVED')).map((r) => r.id)).toEqual([...received].reverse());
    expect((await list(gd, 'SENT')).map((r) => r.id)).toEqual([sent]);
    for (const r of await list(gd, 'RECEIVED')) expect(r.alert.originAgency.code).toBe('GD');
    for (const r of await list(gd, 'SENT')) expect(r.requestingAgency.code).toBe('GD');
    expect((await list(gd, null)).map((r) => r.id).sort()).toEqual([...received, sent].sort());
    // HK's sides mirror GD's; MO is on neither side of any of them.
    expect((await list(hk, 'SENT')).map((r) => r.id)).toEqual([...received].reverse());
    expect((await list(hk, 'RECEIVED')).map((r) => r.id)).toEqual([sent]);
    expect(await list(mo, 'SENT')).toEqual([]);
    expect(await list(mo, 'RECEIVED')).toEqual([]);
    const bad = await t.gql(gd, LIST, { d: 'BOTH' });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('the counts are the PENDING requests of each side, through hit handles too, and move when one is decided', async () => {
    const start = { gd: await counts(gd), hk: await counts(hk), mo: await counts(mo) };
    const a = await published(gd, { title: 'GD counted', consignee: { name: 'Counted Co', country: 'CN', phone: '+86 139 0000 1111' }, containerNumbers: [containerNo('INB', '000011')] });
    const hidden = await published(gd, { title: 'GD hidden', distribution: { scope: 'ORIGINATOR_ONLY' }, consignee: { name: 'Hidden Co', country: 'CN', phone: '+86 139 0000 2222' }, containerNumbers: [containerNo('INB', '000012')] });
    const r1 = await ask(hk, a.id);
    // A request through a hit handle on the alert HK cannot see.
    const probe = await ok(hk, `query ($ids: [IdentifierProbeInput!]!) { matchIdentifiers(identifiers: $ids) { hits { agency { code } handle } } }`, {
      ids: [{ kind: 'PHONE', value: '+86 139 0000 2222', country: 'CN' }],
    });
    const handle = probe.matchIdentifiers[0].hits.find((h: any) => h.agency.code === 'GD').handle;
    const r2 = (await ok(hk, `mutation ($h: String!) { requestDisclosureByHandle(handle: $h, fieldClasses: [], justification: "probe hit") { id } }`, { h: handle })).requestDisclosureByHandle.id;

    expect(await counts(gd)).toEqual({ receivedPending: start.gd.receivedPending + 2, sentPending: start.gd.sentPending });
    expect(await counts(hk)).toEqual({ receivedPending: start.hk.receivedPending, sentPending: start.hk.sentPending + 2 });
    expect(await counts(mo)).toEqual(start.mo);
    // Each count is what the lists hold as PENDING.
    const gdNow = await counts(gd);
    expect((await list(gd, 'RECEIVED', ['PENDING'])).length).toBe(gdNow.receivedPending);
    const hkNow = await counts(hk);
    const hkSent = (await list(hk, 'SENT', ['PENDING'])).filter((r) => !r.viaHandle).length + (await ok(hk, HANDLES, { s: ['PENDING'] })).handleDisclosureRequests.length;
    expect(hkSent).toBe(hkNow.sentPending);
    expect((await list(gd, 'RECEIVED', ['PENDING'])).map((r) => r.id)).toEqual(expect.arrayContaining([r1, r2]));
    void hidden;

    await ok(gd, DECIDE, { r: r1, ok: true, exp: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    await ok(gd, DECIDE, { r: r2, ok: false, note: 'not for this case' });
    expect(await counts(gd)).toEqual(start.gd);
    expect(await counts(hk)).toEqual(start.hk);
  });

  test("a pending request whose alert the requester no longer sees leaves its list and its count; the originator still counts it", async () => {
    const before = { gd: await counts(gd), hk: await counts(hk) };
    const a = await published(gd, { title: 'GD unshared later', containerNumbers: [containerNo('INB', '000021')] });
    const r = await ask(hk, a.id);
    expect((await counts(hk)).sentPending).toBe(before.hk.sentPending + 1);
    expect((await list(hk, 'SENT', ['PENDING'])).map((x) => x.id)).toContain(r);
    await ok(gd, SHARE, { id: a.id, version: a.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
    expect((await list(hk, 'SENT', ['PENDING'])).map((x) => x.id)).not.toContain(r);
    expect((await counts(hk)).sentPending).toBe(before.hk.sentPending);
    expect((await counts(gd)).receivedPending).toBe(before.gd.receivedPending + 1);
    expect((await list(gd, 'RECEIVED', ['PENDING'])).map((x) => x.id)).toContain(r);
  });

  test('every role reads its counts; none is told anything without a token', async () => {
    for (const roles of [['OBSERVER'], ['COORDINATOR'], ['ADMIN']]) {
      const res = await t.gql(await t.token('GD', roles), COUNTS);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.disclosureCounts).toEqual(await counts(gd));
    }
    const anon = await t.gql(null, COUNTS);
    expect(anon.status).toBe(401);
  });
});
