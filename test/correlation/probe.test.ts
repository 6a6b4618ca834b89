/*
 * The probe (matchIdentifiers), its quota and disclosure through a hit handle, against the real
 * hub over HTTP, as a partner would try it: no partner's value or reference through a hit, an
 * error or an echo; handles bound to their agency; the quota held under concurrency; every
 * hit in the holder's access log; a handle's request followed to its end.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SecretBytes } from '../../src/config';
import { HitHandles } from '../../src/correlation/hit-handle';
import { MatchKeyring } from '../../src/correlation/match-keys';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const SECRET = randomBytes(32);
const LIMIT = 10;

const PROBE = `query ($ids: [IdentifierProbeInput!]!) {
  matchIdentifiers(identifiers: $ids) { kind value normalized hits { agency { code } fieldClass role reference handle alert { id reference consignee { phone } containerNumbers withheld } } }
}`;
const QUOTA = `{ probeQuota { limit used remaining resetsAt } }`;
const BY_HANDLE = `mutation ($h: String!, $c: [FieldClass!]!, $j: String!) {
  requestDisclosureByHandle(handle: $h, fieldClasses: $c, justification: $j) { id holderAgency { code } kind fieldClass fieldClasses status alert { id } }
}`;
const MINE = `{ handleDisclosureRequests { id status kind fieldClass expiresAt alert { id reference consignee { phone } containerNumbers withheld } } }`;
const REQUESTS = `query ($a: ID) { disclosureRequests(alertId: $a) { id viaHandle matchedKind requestingAgency { code } requestedBy justification status alert { id } } }`;
const DECIDE = `mutation ($r: ID!, $ok: Boolean!, $exp: DateTime) { decideDisclosure(requestId: $r, approve: $ok, expiresAt: $exp) { id status } }`;
const LOG = `query ($a: ID!) { alertAccessLog(alertId: $a, first: 100) { edges { node { agency { code } subject disclosed via } } } }`;
const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;

describe('probe: matchIdentifiers', () => {
  let t: TestHub;
  let sql: Client;
  let gd: string;
  let gdAdmin: string;
  let mo: string;
  let moAdmin: string;
  let hk: string;
  const officer = (agency: string, sub: string, roles = ['ANALYST']) => t.trust.token(agency, roles, { sub });
  const handles = new HitHandles(new MatchKeyring(new SecretBytes(SECRET, 'environment')));

  const PHONE = '138 0013 8000';
  const TRACKING = 'SF7700112233445';
  const EMAIL = 'denied.ring@example.com';
  /** GD's alerts: shared with all (CORE + SHIPMENT by agreement), kept to itself, kept to itself (deny path). */
  let gdShared: any;
  let gdOwn: any;
  let gdDeny: any;
  let moShared: any;
  let hkOwn: any;
  /** Everything of GD's that HK must never read through a probe. */
  let gdSecrets: string[];

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }
  async function published(token: string, overrides: Record<string, unknown>) {
    const a = (await ok(token, CREATE, { input: alertInput(overrides) })).createAlert;
    return (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
  }
  const logOf = async (token: string, alertId: string) => (await ok(token, LOG, { a: alertId })).alertAccessLog.edges.map((e: any) => e.node);

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_MATCH_KEY_SECRET: SECRET.toString('base64'), HUB_PROBE_DAILY_LIMIT: String(LIMIT) } });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    [gd, gdAdmin, mo, moAdmin, hk] = await Promise.all([t.token('GD'), t.token('GD', ['ADMIN']), t.token('MO'), t.token('MO', ['ADMIN']), t.token('HK')]);
    await ok(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS'] });
    await ok(moAdmin, AGREE, { p: 'HK', c: ['PARTY_IDENTITY'] });
    const consignee = { name: '深圳市华强北电子贸易有限公司', address: '深圳市福田区华强北路1001号', country: 'CN', phone: PHONE };
    gdShared = await published(gd, { distribution: { scope: 'ALL_PARTNERS' }, trackingNumbers: [TRACKING], containerNumbers: [containerNo('GDX', '100001')], consignee });
    gdOwn = await published(gd, { distribution: { scope: 'ORIGINATOR_ONLY' }, containerNumbers: [containerNo('GDX', '100002')], consignee: { ...consignee, phone: '+86 138-0013-8000' } });
    gdDeny = await published(gd, { distribution: { scope: 'ORIGINATOR_ONLY' }, containerNumbers: [containerNo('GDX', '100003')], consignee: { name: 'Ring Ltd', country: 'CN', email: EMAIL } });
    moShared = await published(mo, { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] }, containerNumbers: [containerNo('MOX', '200001')], consignee: { name: 'Macau Ring', country: 'CN', phone: '8613800138000' } });
    // Hong Kong writes the same phone and tracking number into an alert of its own.
    hkOwn = await published(hk, { distribution: { scope: 'ORIGINATOR_ONLY' }, trackingNumbers: ['sf 7700-1122-33445'], containerNumbers: [containerNo('HKX', '300001')], consignee: { name: 'HK side', country: 'CN', phone: '(86) 138 0013 8000' } });
    gdSecrets = [gdShared.reference, gdShared.id, gdOwn.reference, gdOwn.id, gdDeny.id, gdDeny.reference, '深圳市华强北', '华强北路', 'GDXU100002', 'Ring Ltd', EMAIL];
    const gdPartnerRefs = (await ok(gd, `query ($a: ID!, $b: ID!, $c: ID!) { a: alert(id: $a) { partnerReference } b: alert(id: $b) { partnerReference } c: alert(id: $c) { partnerReference } }`, { a: gdShared.id, b: gdOwn.id, c: gdDeny.id }));
    gdSecrets.push(gdPartnerRefs.b.partnerReference, gdPartnerRefs.c.partnerReference);
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
  });

  test("an HK analyst probing a phone gets GD's hits as handles only, its own alert and MO's shared one by reference, and no value of GD's anywhere", async () => {
    const prober = await officer('HK', 'hk-prober');
    const res = await t.gql(prober, PROBE, { ids: [{ kind: 'PHONE', value: PHONE, country: 'CN' }] });
    expect(res.body.errors).toBeUndefined();
    const [m] = res.body.data.matchIdentifiers;
    expect(m).toMatchObject({ kind: 'PHONE', value: PHONE, normalized: '+8613800138000' });
    const byAgency = (code: string) => m.hits.filter((h: any) => h.agency.code === code);
    // GD: one hit on the alert HK sees without PARTY_IDENTITY, one on the alert it cannot see.
    expect(byAgency('GD')).toHaveLength(2);
    for (const h of byAgency('GD')) {
      expect(h).toMatchObject({ fieldClass: 'PARTY_IDENTITY', role: 'CONSIGNEE', reference: null, alert: null });
      expect(h.handle).toMatch(/^hit1\./);
    }
    expect(byAgency('GD')[0].handle).not.toBe(byAgency('GD')[1].handle);
    expect(byAgency('HK')).toEqual([expect.objectContaining({ reference: hkOwn.reference, handle: null, alert: expect.objectContaining({ id: hkOwn.id }) })]);
    const [moHit] = byAgency('MO');
    expect(moHit).toMatchObject({ handle: null, reference: moShared.partnerReference ?? expect.any(String), alert: { id: moShared.id, consignee: { phone: '8613800138000' } } });
    // Nothing of GD's: not its references, ids, parties or containers, anywhere in the answer.
    const body = JSON.stringify(res.body);
    for (const secret of gdSecrets) expect(body).not.toContain(secret);
  });

  test('a value the prober itself wrote shows its own alert by reference and a partner alert whose class it holds by reference; a withheld class is a handle', async () => {
    const prober = await officer('HK', 'hk-own-values');
    const [m] = (await ok(prober, PROBE, { ids: [{ kind: 'TRACKING_NUMBER', value: 'SF 7700 1122 33445' }] })).matchIdentifiers;
    // HK holds SHIPMENT_IDENTIFIERS on GD's shared alert by agreement: the tracking hit is open.
    expect(m.hits.map((h: any) => [h.agency.code, h.handle === null])).toEqual([
      ['GD', true],
      ['HK', true],
    ]);
    // The phone (PARTY_IDENTITY, withheld) of the same GD alert stays a handle (first test).
    const hkPhone = (await ok(prober, PROBE, { ids: [{ kind: 'PHONE', value: '(86) 138 0013 8000' }] })).matchIdentifiers[0];
    expect(hkPhone.hits.filter((h: any) => h.agency.code === 'GD').every((h: any) => h.reference === null && h.alert === null && h.handle)).toBe(true);
    expect(JSON.stringify(hkPhone)).not.toContain(gdShared.id);
  });

  test("GD's access log shows every hit with the route match, HK's agency and subject, and nothing disclosed; HK's own alert is not logged", async () => {
    for (const a of [gdShared, gdOwn]) {
      const matches = (await logOf(gd, a.id)).filter((n: any) => n.via === 'match');
      expect(matches).toEqual(expect.arrayContaining([{ agency: { code: 'HK' }, subject: 'hk-prober', disclosed: [], via: 'match' }]));
    }
    const moLog = await logOf(mo, moShared.id);
    expect(moLog).toEqual(expect.arrayContaining([{ agency: { code: 'HK' }, subject: 'hk-prober', disclosed: [], via: 'match' }]));
    expect(moLog.some((n: any) => n.via === 'query' && n.subject === 'hk-prober')).toBe(true);
    expect(await logOf(hk, hkOwn.id)).toEqual([]);
  });

  test('unusable values echo null and hit nothing; too many values, bad countries and non-analysts are refused with nothing counted', async () => {
    const prober = await officer('HK', 'hk-bad-input');
    const res = (await ok(prober, PROBE, { ids: [{ kind: 'PHONE', value: '12' }, { kind: 'AIR_WAYBILL', value: '160-123' }, { kind: 'EMAIL', value: '   ' }] })).matchIdentifiers;
    expect(res.map((m: any) => [m.normalized, m.hits])).toEqual([
      [null, []],
      [null, []],
      [null, []],
    ]);
    const many = Array.from({ length: 51 }, (_, i) => ({ kind: 'TRACKING_NUMBER', value: `ZZ${100000 + i}` }));
    expect((await t.gql(prober, PROBE, { ids: many })).body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identifiers' });
    expect((await t.gql(prober, PROBE, { ids: [{ kind: 'PHONE', value: PHONE, country: 'XX' }] })).body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identifiers[0].country' });
    const admin = await officer('HK', 'hk-admin', ['ADMIN']);
    expect((await t.gql(admin, PROBE, { ids: [{ kind: 'PHONE', value: PHONE }] })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ok(prober, QUOTA)).probeQuota).toMatchObject({ limit: LIMIT, used: 0, remaining: LIMIT });
  });

  test('a handle issued to HK fails for MO; a tampered, expired or own-alert handle fails with the same error', async () => {
    const prober = await officer('HK', 'hk-handles');
    const [m] = (await ok(prober, PROBE, { ids: [{ kind: 'PHONE', value: PHONE, country: 'CN' }] })).matchIdentifiers;
    const handle = m.hits.find((h: any) => h.handle).handle as string;
    const tampered = handle.slice(0, -4) + (handle.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const old = handles.seal({ alertId: gdOwn.id, holderAgency: 'GD', kind: 'PHONE' as any, fieldClass: 'PARTY_IDENTITY' as any, issuedTo: 'HK', issuedAt: Math.floor(Date.now() / 1000) - 31 * 86_400 });
    const ownAlert = handles.seal({ alertId: hkOwn.id, holderAgency: 'HK', kind: 'PHONE' as any, fieldClass: 'PARTY_IDENTITY' as any, issuedTo: 'HK' });
    const attempts = [
      [mo, handle],
      [prober, tampered],
      [prober, old],
      [prober, ownAlert],
      [prober, 'GD-2026-000001'],
    ] as const;
    const messages = new Set<string>();
    for (const [token, h] of attempts) {
      const res = await t.gql(token, BY_HANDLE, { h, c: ['PARTY_IDENTITY'], j: 'follow-up of a probe hit' });
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'handle' });
      messages.add(res.body.errors[0].message);
      for (const secret of gdSecrets) expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expect(messages.size).toBe(1);
    const [{ n }] = (await sql.query(`select count(*)::int as n from disclosure_request where via_handle`)).rows;
    expect(n).toBe(0);
  });

  test('a disclosure through a handle, end to end: nothing of the alert while pending, the alert with CORE and the approved class after approval, nothing once expired', async () => {
    const prober = await officer('HK', 'hk-follow-up');
    const [m] = (await ok(prober, PROBE, { ids: [{ kind: 'PHONE', value: PHONE, country: 'CN' }] })).matchIdentifiers;
    // Which GD hit is the hidden alert is not told; request through each and let GD tell them apart.
    const gdHandles = m.hits.filter((h: any) => h.agency.code === 'GD').map((h: any) => h.handle as string);
    const made = [];
    for (const h of gdHandles) made.push((await ok(prober, BY_HANDLE, { h, c: [], j: 'Consignee phone matches HK case 2026/117' })).requestDisclosureByHandle);
    for (const r of made) expect(r).toMatchObject({ holderAgency: { code: 'GD' }, kind: 'PHONE', fieldClass: 'PARTY_IDENTITY', fieldClasses: ['PARTY_IDENTITY'], status: 'PENDING', alert: null });
    // Pending: not in HK's disclosureRequests (not even on the GD alert HK can see), the hidden alert not readable.
    expect((await ok(prober, REQUESTS, {})).disclosureRequests.filter((r: any) => r.viaHandle)).toEqual([]);
    expect((await ok(prober, REQUESTS, { a: gdShared.id })).disclosureRequests).toEqual([]);
    expect((await ok(prober, `query ($id: ID!) { alert(id: $id) { id } }`, { id: gdOwn.id })).alert).toBeNull();
    // HK cannot decide its own request, and the answer is the same for both alerts.
    const own = await Promise.all(made.map((r) => t.gql(prober, DECIDE, { r: r.id, ok: true, exp: new Date(Date.now() + 86_400_000).toISOString() })));
    expect(own.map((r) => r.body.errors[0].extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    // GD sees them as ordinary requests on its alerts, with who asked and why.
    const gdView = (await ok(gd, REQUESTS, {})).disclosureRequests.filter((r: any) => r.viaHandle);
    expect(gdView).toHaveLength(2);
    for (const r of gdView) expect(r).toMatchObject({ matchedKind: 'PHONE', requestingAgency: { code: 'HK' }, requestedBy: 'hk-follow-up', justification: 'Consignee phone matches HK case 2026/117', status: 'PENDING' });
    const hidden = gdView.find((r: any) => r.alert.id === gdOwn.id);
    const visible = gdView.find((r: any) => r.alert.id === gdShared.id);
    await ok(gd, DECIDE, { r: hidden.id, ok: true, exp: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    await ok(gd, DECIDE, { r: visible.id, ok: false });

    // Approved: the one alert, with CORE and PARTY_IDENTITY; the agreement's SHIPMENT_IDENTIFIERS do not come with it.
    const a = (await ok(prober, `query ($id: ID!) { alert(id: $id) { id consignee { phone } containerNumbers withheld } }`, { id: gdOwn.id })).alert;
    expect(a).toEqual({ id: gdOwn.id, consignee: { phone: '+86 138-0013-8000' }, containerNumbers: null, withheld: ['SHIPMENT_IDENTIFIERS', 'SOURCE', 'OPERATIONAL'] });
    const mine = (await ok(prober, MINE)).handleDisclosureRequests;
    const approved = mine.find((r: any) => r.status === 'APPROVED');
    const denied = mine.find((r: any) => r.status === 'DENIED');
    expect(approved.alert).toMatchObject({ id: gdOwn.id, consignee: { phone: '+86 138-0013-8000' } });
    expect(denied.alert).toBeNull();
    expect(JSON.stringify(denied)).not.toContain(gdShared.id);
    // The approved one is now an ordinary request HK can see; the denied one is not listed.
    expect((await ok(prober, REQUESTS, {})).disclosureRequests.filter((r: any) => r.viaHandle).map((r: any) => r.alert.id)).toEqual([gdOwn.id]);
    expect((await logOf(gd, gdOwn.id)).some((n: any) => n.via === 'query' && n.subject === 'hk-follow-up' && n.disclosed.includes('PARTY_IDENTITY'))).toBe(true);
    // The other handle's alert (HK sees it, PARTY_IDENTITY withheld) still shows no phone.
    expect((await ok(prober, `query ($id: ID!) { alert(id: $id) { consignee { phone } } }`, { id: gdShared.id })).alert.consignee).toBeNull();

    // Expired: nothing of the alert any more.
    await sql.query(`update disclosure_request set expires_at = now() - interval '1 minute' where id = $1`, [hidden.id]);
    expect((await ok(prober, `query ($id: ID!) { alert(id: $id) { id } }`, { id: gdOwn.id })).alert).toBeNull();
    expect((await ok(prober, MINE)).handleDisclosureRequests.find((r: any) => r.id === hidden.id)).toMatchObject({ status: 'EXPIRED', alert: null });
    expect((await ok(prober, REQUESTS, {})).disclosureRequests.filter((r: any) => r.viaHandle)).toEqual([]);
  });

  test('a denied request through a handle shows nothing of the alert', async () => {
    const prober = await officer('HK', 'hk-denied');
    const [m] = (await ok(prober, PROBE, { ids: [{ kind: 'EMAIL', value: 'Denied.Ring@Example.com' }] })).matchIdentifiers;
    expect(m.hits).toHaveLength(1);
    const r = (await ok(prober, BY_HANDLE, { h: m.hits[0].handle, c: ['PARTY_IDENTITY', 'SOURCE'], j: 'same ring' })).requestDisclosureByHandle;
    const gdReq = (await ok(gd, REQUESTS, { a: gdDeny.id })).disclosureRequests[0];
    expect(gdReq).toMatchObject({ id: r.id, viaHandle: true, requestingAgency: { code: 'HK' } });
    await ok(gd, DECIDE, { r: r.id, ok: false });
    const res = await t.gql(prober, MINE);
    expect(res.body.data.handleDisclosureRequests.find((x: any) => x.id === r.id)).toMatchObject({ status: 'DENIED', alert: null });
    expect((await ok(prober, `query ($id: ID!) { alert(id: $id) { id } }`, { id: gdDeny.id })).alert).toBeNull();
    for (const secret of gdSecrets) expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  describe('quota', () => {
    const values = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ kind: 'TRACKING_NUMBER', value: `${prefix}${100000 + i}` }));

    test('values count per officer and day; over the quota nothing is probed or counted; duplicates and unusable values cost nothing', async () => {
      const prober = await officer('HK', 'hk-quota');
      await ok(prober, PROBE, { ids: [...values(4, 'QA'), ...values(4, 'QA'), { kind: 'PHONE', value: '1' }] });
      expect((await ok(prober, QUOTA)).probeQuota).toMatchObject({ limit: LIMIT, used: 4, remaining: LIMIT - 4 });
      const before = (await logOf(gd, gdShared.id)).length;
      const over = await t.gql(prober, PROBE, { ids: [...values(6, 'QB'), { kind: 'TRACKING_NUMBER', value: TRACKING }] });
      expect(over.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfter: expect.any(Number) });
      expect(over.body.data).toBeNull();
      expect((await logOf(gd, gdShared.id)).length).toBe(before);
      expect((await ok(prober, QUOTA)).probeQuota.used).toBe(4);
      await ok(prober, PROBE, { ids: values(6, 'QB') });
      expect((await ok(prober, QUOTA)).probeQuota).toMatchObject({ used: LIMIT, remaining: 0 });
      expect((await t.gql(prober, PROBE, { ids: values(1, 'QC') })).body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
      // Another officer of the same agency has its own count.
      expect((await ok(await officer('HK', 'hk-quota-2'), QUOTA)).probeQuota.used).toBe(0);
      // Another hub on the same database (a restart, a second instance) counts on from the same row.
      const other = await startTestHub({ shareDatabaseOf: t, trust: t.trust, env: { HUB_MATCH_KEY_SECRET: SECRET.toString('base64'), HUB_PROBE_DAILY_LIMIT: String(LIMIT) } });
      try {
        expect((await other.gql(prober, QUOTA)).body.data.probeQuota.used).toBe(LIMIT);
        expect((await other.gql(prober, PROBE, { ids: values(1, 'QD') })).body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
      } finally {
        await other.stop();
      }
      // The next UTC day starts from nothing: the stored day moved back, as midnight would.
      await sql.query(`update probe_quota set day = day - 1 where subject = 'hk-quota'`);
      expect((await ok(prober, QUOTA)).probeQuota.used).toBe(0);
      await ok(prober, PROBE, { ids: values(2, 'QE') });
      expect((await ok(prober, QUOTA)).probeQuota.used).toBe(2);
    });

    test('probes at once at the limit: exactly the limit pass', async () => {
      const prober = await officer('HK', 'hk-concurrent');
      const results = await Promise.all(values(LIMIT + 6, 'QF').map((v) => t.gql(prober, PROBE, { ids: [v] })));
      const passed = results.filter((r) => !r.body.errors).length;
      const refused = results.filter((r) => r.body.errors?.[0].extensions.code === 'TOO_MANY_REQUESTS').length;
      expect([passed, refused]).toEqual([LIMIT, 6]);
      const { rows } = await sql.query(`select used from probe_quota where subject = 'hk-concurrent'`);
      expect(rows).toEqual([{ used: LIMIT }]);
    });
  });
});
