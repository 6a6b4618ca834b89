/*
 * Correlation on publish (issue 20, point 3; src/correlation/correlate.ts): against the real hub
 * over HTTP and graphql-ws. Two alerts that share an identifier correlate as one is published or
 * changed, for their two originators only, and stop when the identifier goes; a third agency
 * learns nothing, through the query, its count, its errors or the events.
 */
import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import { SecretBytes } from '../../src/config';
import { HitHandles } from '../../src/correlation/hit-handle';
import { MatchKeyring } from '../../src/correlation/match-keys';
import { correlateAll } from '../../src/correlation/correlate';
import { numberedPlaceholders } from '../../src/db/sql';
import { disposeAll, subscribe, until } from '../support/events';
import { CREATE, PUBLISH, UPDATE, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const secret = randomBytes(32);

const CORRELATION_FIELDS = `
  id kind fieldClass sameAgency otherAgency { code } otherReference handle createdAt endedAt
  alert { id reference }
  other { id reference withheld containerNumbers trackingNumbers consignor { name phone address } consignee { name phone address } }`;

const CORRELATIONS = `query ($alertId: ID, $first: Int, $after: String) {
  correlations(alertId: $alertId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { ${CORRELATION_FIELDS} } }
  }
}`;

const EVENTS = `subscription ($since: String) { correlationEvents(since: $since) { cursor kind occurredAt correlation { ${CORRELATION_FIELDS} } } }`;

const WITHDRAW = `mutation ($id: ID!, $version: Int!) { withdrawAlert(id: $id, version: $version, reason: "entered in error") { id version status } }`;

/** A fresh Hong Kong mobile number, in the spelling `style` asks for. */
function phone(): { digits: string; spelled: (style: number) => string } {
  const digits = `9${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  return {
    digits,
    spelled: (style) => [`${digits.slice(0, 4)} ${digits.slice(4)}`, `+852-${digits}`, `(852) ${digits.slice(0, 4)}-${digits.slice(4)}`][style % 3],
  };
}

/** The number appears in none of its spellings (nor its digits run together). */
function expectNoPhone(text: string, p: ReturnType<typeof phone>): void {
  for (const spelled of [p.digits, p.spelled(0), p.spelled(1), p.spelled(2)]) expect(text).not.toContain(spelled);
}

let serial = randomInt(100_000, 800_000);
/** Identifiers no other alert of the file has: each test shares only what it means to. */
function unique(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = serial++;
  return {
    containerNumbers: [containerNo('CRL', String(n).padStart(6, '0'))],
    billOfLading: `CRL-BL-${n}`,
    consignor: { name: `Consignor ${n} Trading Ltd`, country: 'CN' },
    consignee: { name: `Consignee ${n} Ltd`, country: 'HK' },
    ...overrides,
  };
}

describe('correlations', () => {
  let t: TestHub;
  let sql: Client;
  let gd: string;
  let gd2: string;
  let hk: string;
  let mo: string;
  let gdObserver: string;
  const handles = new HitHandles(new MatchKeyring(new SecretBytes(Buffer.from(secret), 'environment')));

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }

  async function created(token: string, overrides: Record<string, unknown>, publish = true): Promise<{ id: string; version: number; reference: string }> {
    let a = (await ok(token, CREATE, { input: alertInput(unique(overrides)) })).createAlert;
    if (publish) a = (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
    return a;
  }

  async function correlations(token: string, alertId?: string, first?: number, after?: string): Promise<any> {
    return (await ok(token, CORRELATIONS, { alertId, first, after })).correlations;
  }

  const nodes = async (token: string, alertId?: string) => (await correlations(token, alertId)).edges.map((e: any) => e.node);

  beforeAll(async () => {
    t = await startTestHub({ env: { HUB_MATCH_KEY_SECRET: secret.toString('base64') } });
    [gd, gd2, hk, mo, gdObserver] = await Promise.all([t.token('GD'), t.token('GD'), t.token('HK'), t.token('MO'), t.token('GD', ['OBSERVER'])]);
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterEach(() => disposeAll());
  afterAll(async () => {
    await sql?.end();
    await t?.stop();
  });

  test('a Guangdong and a Hong Kong alert with one phone number, spelled apart, correlate when the second is published: each originator sees its own side, with a handle', async () => {
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Wing Fat Logistics', country: 'HK', phone: p.spelled(0) } });
    const draft = await created(hk, { consignor: { name: 'Kowloon Parts Co', country: 'HK', phone: p.spelled(1) } }, false);
    // A draft is its agency's alone: no correlation yet.
    expect(await nodes(gd, a.id)).toEqual([]);
    const b = (await ok(hk, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;

    const [mine] = await nodes(gd, a.id);
    expect(mine).toMatchObject({
      kind: 'PHONE',
      fieldClass: 'PARTY_IDENTITY',
      sameAgency: false,
      otherAgency: { code: 'HK' },
      alert: { id: a.id, reference: a.reference },
      // HK shares it with no one (ORIGINATOR_ONLY): Guangdong sees neither the alert nor its reference.
      other: null,
      otherReference: null,
      endedAt: null,
    });
    expect(mine.handle).toMatch(/^hit1\./);
    expect(await nodes(gd, a.id)).toHaveLength(1);

    const [theirs] = await nodes(hk, b.id);
    expect(theirs).toMatchObject({ kind: 'PHONE', fieldClass: 'PARTY_IDENTITY', sameAgency: false, otherAgency: { code: 'GD' }, alert: { id: b.id }, other: null, otherReference: null });
    expect(theirs.id).not.toBe(mine.id);

    // The handle names Hong Kong's alert, for Guangdong alone.
    expect(handles.open(mine.handle, 'GD')).toMatchObject({ alertId: b.id, holderAgency: 'HK', kind: 'PHONE', fieldClass: 'PARTY_IDENTITY', issuedTo: 'GD' });
    expect(handles.open(mine.handle, 'HK')).toBeNull();
    expect(handles.open(mine.handle, 'MO')).toBeNull();
    expect(handles.open(theirs.handle, 'HK')).toMatchObject({ alertId: a.id, holderAgency: 'GD', issuedTo: 'HK' });
    expect(handles.open(theirs.handle, 'GD')).toBeNull();

    // Never the value, in any spelling.
    expectNoPhone(JSON.stringify([mine, theirs]), p);
    // Nor Hong Kong's register reference.
    expect(JSON.stringify(mine)).not.toContain(b.reference);
  });

  test('a third agency finds nothing: no rows, a count of 0, and the errors of any alert it may not read', async () => {
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Third Party Test', country: 'HK', phone: p.spelled(0) }, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
    const b = await created(hk, { consignee: { name: 'Third Party Test HK', country: 'HK', phone: p.spelled(2) } });
    expect(await nodes(gd, a.id)).toHaveLength(1);

    const list = await correlations(mo);
    expect(list.totalCount).toBe(0);
    expect(list.edges).toEqual([]);
    // Macao may read Guangdong's alert, yet only its originator reads its correlations.
    const onA = await t.gql(mo, CORRELATIONS, { alertId: a.id });
    expect(onA.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(onA.body.data?.correlations ?? null).toBeNull();
    // Hong Kong's alert is not Macao's to see: the same answer as for an alert that does not exist.
    const onB = await t.gql(mo, CORRELATIONS, { alertId: b.id });
    const unknown = await t.gql(mo, CORRELATIONS, { alertId: '00000000-0000-4000-8000-000000000000' });
    expect(onB.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(unknown.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(onB.body.errors[0].message.replace(b.id, 'X')).toBe(unknown.body.errors[0].message.replace('00000000-0000-4000-8000-000000000000', 'X'));
    for (const r of [onA, onB]) expect(JSON.stringify(r.body)).not.toMatch(/PHONE|PARTY_IDENTITY|hit1\./);
  });

  test('an edit that removes the shared identifier ends the correlation; one that adds another makes a new one', async () => {
    const p = phone();
    const box = containerNo('EDT', String(serial++).padStart(6, '0'));
    const a = await created(gd, { containerNumbers: [box], consignee: { name: 'Edit Test', country: 'HK', phone: p.spelled(0) } });
    const b = await created(hk, { consignee: { name: 'Edit Test HK', country: 'HK', phone: p.spelled(1) } });
    const [before] = await nodes(gd, a.id);
    expect(before.kind).toBe('PHONE');

    const edited = (await ok(hk, UPDATE, { id: b.id, version: b.version, input: { consignee: { name: 'Edit Test HK', country: 'HK', phone: phone().spelled(0) } } })).updateAlert;
    expect(await nodes(gd, a.id)).toEqual([]);
    expect(await nodes(hk, b.id)).toEqual([]);
    const ended = await sql.query(`select ended_at from correlation where id = $1`, [before.id]);
    expect(ended.rows[0].ended_at).toBeInstanceOf(Date);

    await ok(hk, UPDATE, { id: b.id, version: edited.version, input: { containerNumbers: [box] } });
    const after = await nodes(gd, a.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ kind: 'CONTAINER', fieldClass: 'SHIPMENT_IDENTIFIERS', otherAgency: { code: 'HK' } });
    expect(after[0].id).not.toBe(before.id);
  });

  test('withdrawing an alert ends every correlation it had, on both sides', async () => {
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Withdraw Test', country: 'HK', phone: p.spelled(0) } });
    const b = await created(hk, { consignee: { name: 'Withdraw Test', country: 'HK', phone: p.spelled(1) } });
    const c = await created(mo, { consignee: { name: 'Withdraw Test', country: 'HK', phone: p.spelled(2) } });
    // Name and phone, each with both others.
    expect((await nodes(gd, a.id)).map((n: any) => `${n.otherAgency.code} ${n.kind}`).sort()).toEqual(['HK PARTY_NAME', 'HK PHONE', 'MO PARTY_NAME', 'MO PHONE']);

    await ok(hk, WITHDRAW, { id: b.id, version: b.version });
    expect((await nodes(gd, a.id)).map((n: any) => n.otherAgency.code)).toEqual(['MO', 'MO']);
    expect(await nodes(hk, b.id)).toEqual([]);
    expect((await nodes(mo, c.id)).map((n: any) => n.otherAgency.code)).toEqual(['GD', 'GD']);
  });

  test("within one agency a correlation shows both alerts in full, each from its own side", async () => {
    const p = phone();
    const a1 = await created(gd, { consignee: { name: 'Same Agency One', country: 'HK', phone: p.spelled(0), address: 'Flat 3, 12/F, Tak Fat Building, 8 Canton Road' } });
    const a2 = await created(gd2, { consignee: { name: 'Same Agency Two', country: 'HK', phone: p.spelled(1), address: 'Flat 3, 12th Floor, Tak Fat Bldg, 8 Canton Rd' } });
    const fromA1 = await nodes(gd, a1.id);
    expect(fromA1.map((n: any) => n.kind).sort()).toEqual(['ADDRESS', 'PHONE']);
    for (const n of fromA1) {
      expect(n).toMatchObject({ sameAgency: true, otherAgency: { code: 'GD' }, handle: null, otherReference: a2.reference, other: { id: a2.id, reference: a2.reference, withheld: [] } });
      expect(n.other.consignee.phone).toBe(p.spelled(1));
    }
    const fromA2 = await nodes(gd, a2.id);
    expect(fromA2.map((n: any) => n.other.id)).toEqual([a1.id, a1.id]);
    // The list of all shows both sides, under ids of their own.
    const ids = new Set((await nodes(gd)).filter((n: any) => [a1.id, a2.id].includes(n.alert.id)).map((n: any) => n.id));
    expect(ids.size).toBe(4);
  });

  test('a partner alert the viewer may read but whose matched class it was not given is a handle, never named', async () => {
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Partner View', country: 'HK', phone: p.spelled(0) } });
    const b = await created(hk, { consignee: { name: 'Partner View HK', country: 'HK', phone: p.spelled(2) }, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['GD'] } });
    // GD may read b, but not its PARTY_IDENTITY: naming b here would tell GD b's consignee phone.
    const seen = await ok(gd, `query ($id: ID!) { alert(id: $id) { withheld } }`, { id: b.id });
    expect(seen.alert.withheld).toContain('PARTY_IDENTITY');
    const [n] = await nodes(gd, a.id);
    expect(n).toMatchObject({ fieldClass: 'PARTY_IDENTITY', otherAgency: { code: 'HK' }, other: null, otherReference: null });
    expect(handles.open(n.handle, 'GD')).toMatchObject({ alertId: b.id, holderAgency: 'HK', fieldClass: 'PARTY_IDENTITY' });
    expectNoPhone(JSON.stringify(n), p);
    expect(JSON.stringify(n)).not.toContain(b.id);
  });

  test('a partner that may read the other alert and holds the matched class gets its reference and the alert, still without the classes it was not given', async () => {
    const n0 = serial++;
    const box = containerNo('CRS', String(n0).padStart(6, '0'));
    // GD shares SHIPMENT_IDENTIFIERS with HK by agreement: HK's correlation on the container names GD's alert.
    const gdAdmin = await t.token('GD', ['ADMIN']);
    const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;
    await ok(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS'] });
    const a = await created(gd, { containerNumbers: [box], distribution: { scope: 'ALL_PARTNERS' } });
    const b = await created(hk, { containerNumbers: [box] });
    const [n] = await nodes(hk, b.id);
    expect(n).toMatchObject({ fieldClass: 'SHIPMENT_IDENTIFIERS', otherAgency: { code: 'GD' }, handle: null });
    expect(n.otherReference).toMatch(/^GD-[0-9A-Z]{12}$/);
    expect(n.otherReference).not.toBe(a.reference);
    expect(n.other).toMatchObject({ id: a.id, reference: n.otherReference, consignee: null, consignor: null, containerNumbers: [box] });
    expect(n.other.withheld).toEqual(expect.arrayContaining(['PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL']));
    // Showing it was a read of Guangdong's alert: it is in Guangdong's access log.
    const log = await ok(gd, `query ($id: ID!) { alertAccessLog(alertId: $id) { edges { node { agency { code } via disclosed } } } }`, { id: a.id });
    expect(log.alertAccessLog.edges.map((e: any) => e.node)).toContainEqual({ agency: { code: 'HK' }, via: 'query', disclosed: expect.arrayContaining(['CORE', 'SHIPMENT_IDENTIFIERS']) });
    // GD's side: HK gave GD no class beyond CORE, so GD's correlation is a handle.
    const [m] = await nodes(gd, a.id);
    expect(m).toMatchObject({ other: null, otherReference: null, otherAgency: { code: 'HK' } });
    expect(handles.open(m.handle, 'GD')).toMatchObject({ alertId: b.id, holderAgency: 'HK' });
    await ok(gdAdmin, AGREE, { p: 'HK', c: [] });
  });

  test('one pair sharing a class the viewer holds and one it does not is named on no row: a named row beside a handle would tie the handle to it', async () => {
    const gdAdmin = await t.token('GD', ['ADMIN']);
    const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;
    await ok(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS'] });
    try {
      const p = phone();
      const box = containerNo('CRP', String(serial++).padStart(6, '0'));
      const a = await created(gd, { containerNumbers: [box], consignee: { name: 'Pair Both', country: 'HK', phone: p.spelled(0) }, distribution: { scope: 'ALL_PARTNERS' } });
      const b = await created(hk, { containerNumbers: [box], consignee: { name: 'Pair Both HK', country: 'HK', phone: p.spelled(1) } });
      const rows = await nodes(hk, b.id);
      expect(rows.map((n: any) => n.kind).sort()).toEqual(['CONTAINER', 'PHONE']);
      for (const n of rows) {
        expect(n).toMatchObject({ other: null, otherReference: null, otherAgency: { code: 'GD' } });
        expect(handles.open(n.handle, 'HK')).toMatchObject({ alertId: a.id });
      }
      expect(JSON.stringify(rows)).not.toContain(a.id);
      expectNoPhone(JSON.stringify(rows), p);
    } finally {
      await ok(gdAdmin, AGREE, { p: 'HK', c: [] });
    }
  });

  test('pages: newest first, a count of all, a cursor to go on, and bad arguments refused', async () => {
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Paging', country: 'HK', phone: p.spelled(0) } });
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await created(hk, { consignee: { name: `Paging ${i}`, country: 'HK', phone: p.spelled(i) } }));
    const first = await correlations(gd, a.id, 2);
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await correlations(gd, a.id, 2, first.pageInfo.endCursor);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((e: any) => e.node);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((n: any) => n.id)).size).toBe(3);
    const times = seen.map((n: any) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    for (const [vars, code] of [
      [{ alertId: a.id, first: 101 }, 'BAD_USER_INPUT'],
      [{ alertId: a.id, after: 'bm90IGEgY3Vyc29y' }, 'BAD_USER_INPUT'],
      [{ alertId: a.id, after: first.edges[0].cursor.slice(0, -2) }, 'BAD_USER_INPUT'],
      [{ alertId: 'not-an-id' }, 'NOT_FOUND'],
    ] as const) {
      const res = await t.gql(gd, CORRELATIONS, vars);
      expect(res.body.errors?.[0].extensions.code).toBe(code);
      expect(JSON.stringify(res.body.errors)).not.toMatch(/select|correlation c|stack/i);
    }
  });

  test('only analysts read correlations, by query or subscription', async () => {
    const res = await t.gql(gdObserver, CORRELATIONS, {});
    expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const s = await subscribe(t, gdObserver, EVENTS);
    await until(() => s.results.length > 0 || s.errors.length > 0, 'the refusal');
    expect(JSON.stringify(s.results.length ? s.results[0] : s.errors[0])).toContain('FORBIDDEN');
  });

  test('events: NEW and ENDED reach both originators live, each its own side, nothing reaches a third agency, and since resumes without a gap or a repeat', async () => {
    const gdS = await subscribe(t, gd, EVENTS);
    const hkS = await subscribe(t, hk, EVENTS);
    const moS = await subscribe(t, mo, EVENTS);
    const p = phone();
    const a = await created(gd, { consignee: { name: 'Live One', country: 'HK', phone: p.spelled(0) }, distribution: { scope: 'ALL_PARTNERS' } });
    const b = await created(hk, { consignee: { name: 'Live Two', country: 'HK', phone: p.spelled(1) } });

    await gdS.waitFor(1);
    await hkS.waitFor(1);
    const [gdNew] = gdS.events();
    const [hkNew] = hkS.events();
    expect(gdNew).toMatchObject({ kind: 'NEW', correlation: { kind: 'PHONE', alert: { id: a.id }, otherAgency: { code: 'HK' }, other: null, endedAt: null } });
    // HK may read a, but not the PARTY_IDENTITY the phone came from: a handle, not a's name.
    expect(hkNew).toMatchObject({ kind: 'NEW', correlation: { kind: 'PHONE', alert: { id: b.id }, otherAgency: { code: 'GD' }, other: null, otherReference: null } });
    expect(handles.open(hkNew.correlation.handle, 'HK')).toMatchObject({ alertId: a.id });
    expect(handles.open(gdNew.correlation.handle, 'GD')).toMatchObject({ alertId: b.id });
    // The query says the same.
    expect((await nodes(gd, a.id)).map((n: any) => n.id)).toEqual([gdNew.correlation.id]);

    await ok(hk, WITHDRAW, { id: b.id, version: b.version });
    await gdS.waitFor(2);
    await hkS.waitFor(2);
    expect(gdS.events()[1]).toMatchObject({ kind: 'ENDED', correlation: { id: gdNew.correlation.id, alert: { id: a.id }, endedAt: expect.any(String) } });
    expect(hkS.events()[1]).toMatchObject({ kind: 'ENDED', correlation: { id: hkNew.correlation.id, alert: { id: b.id } } });

    await t.quiesce();
    await new Promise((r) => setTimeout(r, 300));
    expect(moS.results).toEqual([]);
    expect(moS.errors).toEqual([]);
    expect(gdS.results).toHaveLength(2);
    expectNoPhone(JSON.stringify([gdS.results, hkS.results]), p);

    // Back after the NEW one: the ENDED one, once.
    gdS.dispose();
    const resumed = await subscribe(t, gd, EVENTS, { since: gdNew.cursor });
    await resumed.waitFor(1);
    await t.quiesce();
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.events().map((e: any) => [e.kind, e.correlation.id])).toEqual([['ENDED', gdNew.correlation.id]]);
    // Macao, resuming from the same place with a cursor it was handed, still gets nothing.
    const moResumed = await subscribe(t, mo, EVENTS, { since: gdNew.cursor });
    await t.quiesce();
    await new Promise((r) => setTimeout(r, 300));
    expect(moResumed.results).toEqual([]);
  });

  test('alerts with one identifier published at the same moment by three agencies all end up correlated with each other', async () => {
    const tracking = `CRLTRK${randomInt(1e9, 9e9)}`;
    const tokens = [gd, gd2, hk, hk, mo, mo];
    const drafts = [];
    for (const token of tokens) drafts.push({ token, alert: await created(token, { trackingNumbers: [tracking] }, false) });
    await Promise.all(drafts.map(({ token, alert }) => ok(token, PUBLISH, { id: alert.id, version: alert.version })));
    const ids = drafts.map((d) => d.alert.id);
    const rows = await sql.query(`select alert_id, other_alert_id from correlation where kind = 'TRACKING_NUMBER' and ended_at is null and alert_id = any($1::uuid[])`, [ids]);
    expect(rows.rows).toHaveLength(6 * 5);
    for (const { token, alert } of drafts) {
      const mine = (await nodes(token, alert.id)).filter((n: any) => n.kind === 'TRACKING_NUMBER');
      expect(mine).toHaveLength(5);
    }
  });

  test('alerts written in bulk (the demo generator) are correlated by correlateAll as publishing them one by one did', async () => {
    const p = phone();
    const name = `Bulk ${serial}`;
    const made = [];
    for (const token of [gd, hk, mo, hk]) made.push(await created(token, { consignee: { name, country: 'HK', phone: p.spelled(made.length) } }));
    const ids = made.map((a) => a.id);
    const pairs = `select alert_id, other_alert_id, agency_code, other_agency_code, kind, field_class, same_agency from correlation
                    where ended_at is null and alert_id = any($1::uuid[]) order by alert_id, other_alert_id, kind`;
    const live = (await sql.query(pairs, [ids])).rows;
    // Name and phone, each alert with the three others.
    expect(live).toHaveLength(4 * 3 * 2);
    await sql.query(`delete from correlation where alert_id = any($1::uuid[]) or other_alert_id = any($1::uuid[])`, [ids]);
    const query = async (text: string, params: readonly unknown[]) => (await sql.query(numberedPlaceholders(text), [...params])).rows;
    expect(await correlateAll(query as never)).toBe(4 * 3 * 2);
    expect((await sql.query(pairs, [ids])).rows).toEqual(live);
    // Run again, it makes none twice.
    expect(await correlateAll(query as never)).toBe(0);
  });
});
