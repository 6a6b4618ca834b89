/*
 * Match keys against the real database (src/correlation/match-keys.ts, match-key-rotation.ts):
 * written in the transaction of every change of an alert, none for drafts and withdrawn alerts,
 * equal for the same identifier however the three administrations spell it, never holding a
 * value, and re-keyed from the raw identifiers when HUB_MATCH_KEY_SECRET changes.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Client } from 'pg';
import { ConfigError, SecretBytes, loadConfig } from '../../src/config';
import { IdentifierKind } from '../../src/common/enums';
import { normalizeIdentifier } from '../../src/correlation/identifier-normalize';
import { rekeyMatchKeys } from '../../src/correlation/match-key-rotation';
import { MatchKeyring } from '../../src/correlation/match-keys';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { CREATE, PUBLISH, airWaybillNo, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { TestTrust } from '../support/identity';

const K = IdentifierKind;
const secretA = randomBytes(32).toString('base64');
const secretB = randomBytes(48).toString('base64url');
const keyringOf = (base64: string) => new MatchKeyring(new SecretBytes(Buffer.from(base64, 'base64'), 'environment'));

interface KeyRow {
  kind: string;
  field_class: string;
  role: string | null;
  key: string;
  secret_id: string;
  agency_code: string;
  published_at: Date | null;
}

describe('match keys', () => {
  let db: TestDatabase;
  let trust: TestTrust;
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

  async function created(token: string, overrides: Record<string, unknown>, publish = true): Promise<{ id: string; version: number; publishedAt: string | null }> {
    let a = (await ok(token, CREATE, { input: alertInput(overrides) })).createAlert;
    if (publish) a = (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
    return a;
  }

  async function keysOf(alertId: string): Promise<KeyRow[]> {
    return (
      await sql.query<KeyRow>(
        `select kind, field_class, role, encode(key, 'hex') as key, encode(secret_id, 'hex') as secret_id, agency_code, published_at
           from match_key where alert_id = $1 order by kind, role nulls first, key`,
        [alertId],
      )
    ).rows;
  }

  const start = async (secret: string, progressLines?: string[]) => {
    t = await startTestHub({ databaseUrl: db.url, trust, env: { HUB_MATCH_KEY_SECRET: secret }, progressLines });
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    trust = await TestTrust.create();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    await start(secretA);
  });
  afterAll(async () => {
    await sql.end();
    await t.stop();
    await db.drop();
  });

  // One Guangdong alert with every kind of identifier, used through the file.
  const container = containerNo('GBX', '310077');
  const gdIdentifiers = {
    containerNumbers: [container],
    billOfLading: 'SHK-BL-2001',
    airWaybill: airWaybillNo('160', '1234567'),
    trackingNumbers: ['SF1234567890123', 'YT8801234567'],
    consignor: { name: 'Pearl River Trading Co., Ltd.', address: 'Flat B, 12/F, Kam Lai Building, 123 Nathan Road', country: 'HK', identifier: '12345678-000-07-22-0', phone: '9123 4567', email: 'Sales@PearlRiver.example' },
    consignee: {
      name: '深圳市华强北电子贸易有限公司',
      address: '深圳市福田区华强北路1001号赛格广场2座1203室',
      country: 'CN',
      identifier: '91350100M000100Y43',
      phone: '138 0013 8000',
      email: 'ring.leader@example.com',
    },
  };
  /** The raw values of gdIdentifiers with their kind and party, and the normalizing context. */
  const gdValues: { kind: IdentifierKind; role: string | null; raw: string; country?: string }[] = [
    { kind: K.CONTAINER, role: null, raw: container },
    { kind: K.BILL_OF_LADING, role: null, raw: 'SHK-BL-2001' },
    { kind: K.AIR_WAYBILL, role: null, raw: airWaybillNo('160', '1234567') },
    { kind: K.TRACKING_NUMBER, role: null, raw: 'SF1234567890123' },
    { kind: K.TRACKING_NUMBER, role: null, raw: 'YT8801234567' },
    ...(['consignor', 'consignee'] as const).flatMap((party) => {
      const p = gdIdentifiers[party];
      const role = party.toUpperCase();
      return [
        { kind: K.PARTY_NAME, role, raw: p.name },
        { kind: K.ADDRESS, role, raw: p.address },
        { kind: K.PHONE, role, raw: p.phone, country: p.country },
        { kind: K.COMPANY_REGISTRATION, role, raw: p.identifier },
        { kind: K.EMAIL, role, raw: p.email },
      ];
    }),
  ];
  const expectedKeys = (keyring: MatchKeyring) =>
    gdValues.map((v) => ({
      kind: v.kind,
      field_class: v.role ? 'PARTY_IDENTITY' : 'SHIPMENT_IDENTIFIERS',
      role: v.role,
      key: keyring.key(v.kind, normalizeIdentifier(v.kind, v.raw, { country: v.country, agency: 'GD' })!).toString('hex'),
    }));
  const sorted = <T extends { kind: string; role: string | null; key: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.kind.localeCompare(b.kind) || (a.role ?? '').localeCompare(b.role ?? '') || a.key.localeCompare(b.key));

  let gdAlert: { id: string; version: number };

  test('a draft keeps no keys; publishing writes one per identifier with its kind, class and party, keyed with the secret', async () => {
    const draft = await created(gd, { ...gdIdentifiers, distribution: { scope: 'ALL_PARTNERS' } }, false);
    expect(await keysOf(draft.id)).toEqual([]);
    const published = (await ok(gd, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;
    gdAlert = published;
    const keyring = keyringOf(secretA);
    const rows = await keysOf(draft.id);
    expect(sorted(rows.map(({ kind, field_class, role, key }) => ({ kind, field_class, role, key })))).toEqual(sorted(expectedKeys(keyring)));
    for (const r of rows) {
      expect(r).toMatchObject({ agency_code: 'GD', secret_id: keyring.secretId.toString('hex') });
      expect(r.published_at?.toISOString()).toBe(published.publishedAt);
    }
    // The hub keys with the same secret the test does.
    expect(t.hub.matchKeys.secretId.equals(keyring.secretId)).toBe(true);
  });

  test('keys follow the identifiers: a change replaces the changed ones; status changes and shares keep them; withdrawal removes them all', async () => {
    const a = await created(gd, { trackingNumbers: ['JD000111222333'], consignee: { name: 'Jade Gate Ltd', country: 'HK', phone: '+852 6123 4567' } });
    const keyring = keyringOf(secretA);
    const key = (kind: IdentifierKind, raw: string, country?: string) => keyring.key(kind, normalizeIdentifier(kind, raw, { agency: 'GD', country })!).toString('hex');
    const before = await keysOf(a.id);
    expect(before.map((r) => r.key)).toEqual(expect.arrayContaining([key(K.TRACKING_NUMBER, 'JD000111222333'), key(K.PHONE, '+852 6123 4567')]));

    const updated = (
      await ok(gd, `mutation ($id: ID!, $v: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $v, input: $input) { version } }`, {
        id: a.id,
        v: a.version,
        input: { trackingNumbers: ['JD000111222444'], consignee: { name: 'Jade Gate Ltd', country: 'HK', phone: '6123 4568' } },
      })
    ).updateAlert;
    const after = await keysOf(a.id);
    const keys = after.map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining([key(K.TRACKING_NUMBER, 'JD000111222444'), key(K.PHONE, '6123 4568', 'HK'), key(K.PARTY_NAME, 'Jade Gate Ltd')]));
    expect(keys).not.toContain(key(K.TRACKING_NUMBER, 'JD000111222333'));
    expect(keys).not.toContain(key(K.PHONE, '+852 6123 4567'));
    expect(after).toHaveLength(before.length);

    const moved = (await ok(gd, `mutation ($id: ID!, $v: Int!) { setAlertStatus(id: $id, version: $v, status: UNDER_INSPECTION) { version } }`, { id: a.id, v: updated.version })).setAlertStatus;
    const shared = (await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: SELECTED_AGENCIES, agencies: ["MO"] }) { version } }`, { id: a.id, v: moved.version })).shareAlert;
    expect(await keysOf(a.id)).toEqual(after);

    await ok(gd, `mutation ($id: ID!, $v: Int!) { withdrawAlert(id: $id, version: $v, reason: "source retracted") { status } }`, { id: a.id, v: shared.version });
    expect(await keysOf(a.id)).toEqual([]);
    // A withdrawn alert cannot be changed, so nothing keys it again.
  });

  test('a change refused (a stale version) leaves the keys as they were', async () => {
    const a = await created(gd, { trackingNumbers: ['EA100200300CN'] });
    const before = await keysOf(a.id);
    // A stale version: CONFLICT after nothing was written.
    const res = await t.gql(gd, `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { trackingNumbers: ["EA999999999CN"] }) { version } }`, { id: a.id, v: a.version + 5 });
    expect(res.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(await keysOf(a.id)).toEqual(before);
  });

  test('the same consignee, address, phone, registration, e-mail, parcel and waybill written by Guangdong and by Hong Kong have the same keys; a neighbour does not', async () => {
    // Guangdong writes Simplified Chinese and half-width digits (gdAlert above); Hong Kong the
    // same in Traditional Chinese, full-width digits, its own phone format, without the party's country.
    const hkAlert = await created(hk, {
      airWaybill: '１６０ 1234 5675',
      trackingNumbers: ['ｓｆ 1234-5678-90123'],
      consignee: {
        name: '「深圳市華強北電子貿易有限責任公司」',
        address: '深圳市福田區華強北路１００１號賽格廣場２棟１２０３室',
        identifier: '９１３５ ０１００ Ｍ０００ １００Ｙ ４３',
        phone: '(86) 138-0013-8000',
        email: 'Ring.Leader@Example.COM',
      },
    });
    // Macao: the next flat, another phone, another company.
    const moAlert = await created(mo, {
      trackingNumbers: ['SF1234567890132'],
      consignee: { name: '深圳市华强北电子科技有限公司', address: '深圳市福田区华强北路1001号赛格广场2座1204室', country: 'CN', phone: '+86 138 0013 8001' },
    });
    const shared = async (x: string, y: string) =>
      (
        await sql.query<{ kind: string }>(
          `select distinct m1.kind from match_key m1 join match_key m2 on m2.kind = m1.kind and m2.key = m1.key
            where m1.alert_id = $1 and m2.alert_id = $2 order by m1.kind`,
          [x, y],
        )
      ).rows.map((r) => r.kind);
    expect(await shared(gdAlert.id, hkAlert.id)).toEqual(['ADDRESS', 'AIR_WAYBILL', 'COMPANY_REGISTRATION', 'EMAIL', 'PARTY_NAME', 'PHONE', 'TRACKING_NUMBER']);
    expect(await shared(gdAlert.id, moAlert.id)).toEqual([]);
    // Each side keys under its own agency and party.
    const hkRows = await keysOf(hkAlert.id);
    expect(new Set(hkRows.map((r) => r.agency_code))).toEqual(new Set(['HK']));
    const kindsOf = (role: string) => hkRows.filter((r) => r.role === role).map((r) => `${r.field_class}:${r.kind}`).sort();
    expect(kindsOf('CONSIGNEE')).toEqual(['PARTY_IDENTITY:ADDRESS', 'PARTY_IDENTITY:COMPANY_REGISTRATION', 'PARTY_IDENTITY:EMAIL', 'PARTY_IDENTITY:PARTY_NAME', 'PARTY_IDENTITY:PHONE']);
    // The fixture's consignor: a name and a registration number.
    expect(kindsOf('CONSIGNOR')).toEqual(['PARTY_IDENTITY:COMPANY_REGISTRATION', 'PARTY_IDENTITY:PARTY_NAME']);
  });

  test('match_key holds no identifier, raw or normalized: only kinds, classes, parties, 32-byte keys and 8-byte secret ids', async () => {
    const columns = (await sql.query(`select column_name from information_schema.columns where table_name = 'match_key' order by ordinal_position`)).rows.map((r) => r.column_name);
    expect(columns).toEqual(['id', 'alert_id', 'agency_code', 'kind', 'field_class', 'role', 'key', 'secret_id', 'published_at']);
    const stateColumns = (await sql.query(`select column_name from information_schema.columns where table_name = 'match_key_state' order by ordinal_position`)).rows.map((r) => r.column_name);
    expect(stateColumns).toEqual(['id', 'secret_id', 'keyed_at']);
    const sizes = (await sql.query(`select distinct octet_length(key) as k, octet_length(secret_id) as s from match_key`)).rows;
    expect(sizes).toEqual([{ k: 32, s: 8 }]);
    // Every value, as written and as normalized, as text and as the hex of its bytes.
    const values = gdValues.flatMap((v) => [v.raw, normalizeIdentifier(v.kind, v.raw, { country: v.country, agency: 'GD' })!]);
    const needles = values.flatMap((v) => [v, Buffer.from(v).toString('hex')]).filter((v) => v.length >= 6);
    const everything = JSON.stringify((await sql.query(`select to_jsonb(m) as row from match_key m`)).rows) + JSON.stringify((await sql.query(`select to_jsonb(s) as row from match_key_state s`)).rows);
    expect(needles.filter((n) => everything.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    // Nor the secret.
    expect(everything).not.toContain(Buffer.from(secretA, 'base64').toString('hex'));
  });

  test('a new secret at start-up re-keys every alert from the raw identifiers; keys of the old secret match no more', async () => {
    const keyA = keyringOf(secretA);
    const keyB = keyringOf(secretB);
    const phone = (keyring: MatchKeyring) => keyring.key(K.PHONE, '+8613800138000').toString('hex');
    const count = async (key: string) => Number((await sql.query(`select count(*) as n from match_key where kind = 'PHONE' and key = decode($1, 'hex')`, [key])).rows[0].n);
    expect(await count(phone(keyA))).toBeGreaterThanOrEqual(2);
    const before = (await sql.query(`select alert_id, kind, role from match_key order by alert_id, kind, role, key`)).rows;
    const perAlert = (rows: { alert_id: string }[]) => rows.reduce((m, r) => m.set(r.alert_id, (m.get(r.alert_id) ?? 0) + 1), new Map<string, number>());

    await t.stop();
    const lines: string[] = [];
    await start(secretB, lines);
    expect(lines.find((l) => l.includes('HUB_MATCH_KEY_SECRET has changed'))).toMatch(new RegExp(`keying \\d+ alert\\(s\\) with secret ${keyB.fingerprint}`));
    expect(lines.some((l) => /^match keys: \d+ alert\(s\) keyed, \d+ key\(s\) written$/.test(l))).toBe(true);
    // Every row is of the new secret; the same alerts have the same number of keys of the same kinds.
    expect((await sql.query(`select distinct encode(secret_id, 'hex') as s from match_key`)).rows).toEqual([{ s: keyB.secretId.toString('hex') }]);
    const after = (await sql.query(`select alert_id, kind, role from match_key order by alert_id, kind, role, key`)).rows;
    expect(perAlert(after)).toEqual(perAlert(before));
    // The identifier now matches under the new key, and its old key finds nothing.
    expect(await count(phone(keyB))).toBeGreaterThanOrEqual(2);
    expect(await count(phone(keyA))).toBe(0);
    const rows = await keysOf(gdAlert.id);
    expect(sorted(rows.map(({ kind, field_class, role, key }) => ({ kind, field_class, role, key })))).toEqual(sorted(expectedKeys(keyB)));
    expect((await sql.query(`select encode(secret_id, 'hex') as s from match_key_state`)).rows).toEqual([{ s: keyB.secretId.toString('hex') }]);

    // Started again with the same secret: nothing to do.
    await t.stop();
    const again: string[] = [];
    await start(secretB, again);
    expect(again.filter((l) => l.startsWith('match keys:'))).toEqual([]);
  });

  test('re-keying runs in batches, telling its progress, and gives the same keys; a row of another secret is re-keyed with its alert', async () => {
    const keyring = t.hub.matchKeys;
    const snapshot = async () => (await sql.query(`select alert_id, kind, role, encode(key, 'hex') as key from match_key order by alert_id, kind, role, key`)).rows;
    const before = await snapshot();
    const alerts = Number((await sql.query(`select count(*) as n from alert`)).rows[0].n);
    await sql.query(`delete from match_key_state`);
    const lines: string[] = [];
    const result = await rekeyMatchKeys(t.hub.orm, keyring, { batch: 2, progress: (l) => lines.push(l) });
    expect(result).toMatchObject({ alerts, reason: 'secret' });
    expect(lines[0]).toMatch(/no alert keyed yet: keying \d+ alert\(s\)/);
    expect(lines.filter((l) => / of \d+ alert\(s\) keyed$/.test(l))).toEqual(Array.from({ length: Math.ceil(alerts / 2) }, (_, i) => `match keys: ${Math.min(alerts, 2 * (i + 1))} of ${alerts} alert(s) keyed`));
    expect(await snapshot()).toEqual(before);

    // A hub still on the old secret wrote a key meanwhile: its alert is re-keyed at the next start.
    await sql.query(`insert into match_key (alert_id, agency_code, kind, field_class, role, key, secret_id) values ($1, 'GD', 'PHONE', 'PARTY_IDENTITY', 'CONSIGNEE', $2, $3)`, [
      gdAlert.id,
      keyringOf(secretA).key(K.PHONE, '+85290000000'),
      keyringOf(secretA).secretId,
    ]);
    const stale = await rekeyMatchKeys(t.hub.orm, keyring, {});
    expect(stale).toMatchObject({ alerts: 1, reason: 'stale' });
    expect(await snapshot()).toEqual(before);
    expect(await rekeyMatchKeys(t.hub.orm, keyring, {})).toBeNull();
  });
});

describe('HUB_MATCH_KEY_SECRET', () => {
  const production = { NODE_ENV: 'production', HUB_TRUST_CONFIG: 'trust.json' };

  test('production needs one: base64 of at least 32 bytes; a bad value is refused without being shown', () => {
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig(production)).toThrow(/^HUB_MATCH_KEY_SECRET: expected base64 of at least 32 random bytes/);
    for (const bad of ['not base64 at all!', Buffer.alloc(31, 9).toString('base64'), 'c2hvcnQ=']) {
      let message = '';
      try {
        loadConfig({ ...production, HUB_MATCH_KEY_SECRET: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^HUB_MATCH_KEY_SECRET: /);
      expect(message).not.toContain(bad);
    }
    const good = randomBytes(32);
    for (const written of [good.toString('base64'), good.toString('base64url'), ` ${good.toString('base64')}\n`]) {
      const secret = loadConfig({ ...production, HUB_MATCH_KEY_SECRET: written }).matchKeySecret;
      expect(secret.source).toBe('environment');
      expect(secret.reveal().equals(good)).toBe(true);
    }
  });

  test('development derives one from the data directory: the same on every start there, another elsewhere', () => {
    const a = loadConfig({ NODE_ENV: 'development', HUB_DATA_DIR: '/tmp/hub-a' }).matchKeySecret;
    expect(a.source).toBe('development');
    expect(a.reveal()).toHaveLength(32);
    expect(loadConfig({ NODE_ENV: 'test', HUB_DATA_DIR: '/tmp/hub-a' }).matchKeySecret.reveal().equals(a.reveal())).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', HUB_DATA_DIR: '/tmp/hub-b' }).matchKeySecret.reveal().equals(a.reveal())).toBe(false);
  });

  test('the configuration never prints it: JSON, inspection and text show a placeholder', () => {
    const good = randomBytes(32);
    const config = loadConfig({ ...production, HUB_MATCH_KEY_SECRET: good.toString('base64') });
    const printed = [JSON.stringify(config), inspect(config, { depth: 5, showHidden: true }), String(config.matchKeySecret), `${config.matchKeySecret}`];
    for (const p of printed) {
      for (const form of [good.toString('base64'), good.toString('hex'), good.toString('base64url')]) expect(p).not.toContain(form);
    }
    expect(JSON.stringify(config)).toContain('"matchKeySecret":"[secret]"');
  });

  test('a hub started without it in development says so in its log, and never logs a secret', async () => {
    const logLines: string[] = [];
    const t = await startTestHub({ logLines });
    try {
      const warning = logLines.map((l) => JSON.parse(l)).find((l) => /HUB_MATCH_KEY_SECRET is not set/.test(l.msg));
      expect(warning).toMatchObject({ level: 40, secretId: t.hub.matchKeys.fingerprint });
      const derived = loadConfig({ NODE_ENV: 'test' }).matchKeySecret.reveal();
      expect(logLines.join('\n')).not.toContain(derived.toString('hex'));
      expect(logLines.join('\n')).not.toContain(derived.toString('base64'));
    } finally {
      await t.stop();
    }
    const quiet: string[] = [];
    const secret = randomBytes(32);
    const u = await startTestHub({ logLines: quiet, env: { HUB_MATCH_KEY_SECRET: secret.toString('base64') } });
    try {
      expect(quiet.filter((l) => /HUB_MATCH_KEY_SECRET/.test(l))).toEqual([]);
      expect(quiet.join('\n')).not.toContain(secret.toString('base64'));
    } finally {
      await u.stop();
    }
  });
});

describe('demo data', () => {
  test('the demo alerts are keyed as they are written: those out of draft and not withdrawn have keys, the others none', async () => {
    const t = await startTestHub({ demoData: true });
    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      const n = async (query: string, params: unknown[] = []) => Number((await sql.query(query, params)).rows[0].n);
      expect(await n(`select count(*) as n from alert`)).toBeGreaterThan(2000);
      // Every alert that is matched has its consignee's name keyed, field-fact and generated alike.
      expect(
        await n(`select count(*) as n from alert a where a.status not in ('DRAFT', 'WITHDRAWN') and a.consignee_name is not null
                   and not exists (select 1 from match_key m where m.alert_id = a.id and m.kind = 'PARTY_NAME' and m.role = 'CONSIGNEE')`),
      ).toBe(0);
      expect(await n(`select count(*) as n from match_key m join alert a on a.id = m.alert_id where a.status in ('DRAFT', 'WITHDRAWN')`)).toBe(0);
      expect(await n(`select count(*) as n from match_key where secret_id <> $1`, [t.hub.matchKeys.secretId])).toBe(0);
      const kinds = (await sql.query(`select distinct kind from match_key order by kind`)).rows.map((r) => r.kind);
      expect(kinds).toEqual(expect.arrayContaining(['AIR_WAYBILL', 'BILL_OF_LADING', 'CONTAINER', 'PARTY_NAME', 'PHONE', 'TRACKING_NUMBER']));
      // A generated parcel's tracking number has the key the hub would give it.
      const [parcel] = (
        await sql.query(`select a.tracking_numbers[1] as t from alert a where a.tracking_numbers is not null and a.status in ('PUBLISHED', 'SEIZED') limit 1`)
      ).rows;
      const key = t.hub.matchKeys.key(K.TRACKING_NUMBER, normalizeIdentifier(K.TRACKING_NUMBER, parcel.t)!);
      expect(await n(`select count(*) as n from match_key where kind = 'TRACKING_NUMBER' and key = $1`, [key])).toBeGreaterThanOrEqual(1);
    } finally {
      await sql.end();
      await t.stop();
    }
  }, 120_000);
});
