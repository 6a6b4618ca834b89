/*
 * A partner suspended in the trust file, taken out of it, and put back (the deployment guide's
 * "adding, suspending and removing an agency"). While it is away its tokens are refused and it
 * is named in nothing new. When it comes back it rejoins: ALL_PARTNERS means the partners when
 * the alert was last shared, and it was no partner then, whether the alert was shared while it
 * was away or before it left (the conservative rule: it may have been suspended for what it did
 * with them); its originators share again what it should have. Alerts that name it
 * (SELECTED_AGENCIES) keep applying. MO is unaffected throughout.
 *
 * One database; the hub is started again for each edit of the trust file, as an operator would.
 */
import WebSocket from 'ws';
import { ConfigError } from '../../src/config';
import { parseTrustConfig } from '../../src/identity/trust-config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHub, type TestHub } from '../support/hub';
import { TestTrust } from '../support/identity';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';

const LIST = `query { alerts(first: 100) { totalCount edges { node { id } } } }`;
const GET = `query ($id: ID!) { alert(id: $id) { id title } }`;
const VERSION = `query ($id: ID!) { alert(id: $id) { version } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { id } }`;
const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id } }`;
const REQUEST = `mutation ($id: ID!) { requestDisclosure(alertId: $id, fieldClasses: [PARTY_IDENTITY], justification: "before leaving") { id } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!, $until: DateTime) { decideDisclosure(requestId: $id, approve: $approve, expiresAt: $until) { status } }`;
const AGENCIES = `query { agencies { code leftAt } }`;
const ACCESS_LOG = `query ($id: ID!) { alertAccessLog(alertId: $id, first: 100) { edges { node { agency { code } } } } }`;

describe('a partner suspended, taken out of the trust file and put back', () => {
  let db: TestDatabase;
  let trust: TestTrust;
  let t: TestHub | undefined;
  let logLines: string[];
  /** GD's, shared with all partners before HK left; HK read it then. */
  let before: string;
  /** GD's, naming HK, before HK left. */
  let namingHk: string;
  /** HK's own, shared with all partners before it left. */
  let hkOwn: string;
  /** GD's, shared with all partners while HK was suspended, and while it was out of the file. */
  let whileSuspended: string;
  let whileRemoved: string;
  /** HK's request for more of `before`, made before it left and still pending. */
  let pending: string;

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t!.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  async function publish(token: string, title: string, distribution: Record<string, unknown> = { scope: 'ALL_PARTNERS' }): Promise<string> {
    const created = (await ok(token, CREATE, { input: alertInput({ title, distribution }) })).createAlert;
    return (await ok(token, PUBLISH, { id: created.id, version: created.version })).publishAlert.id;
  }

  async function ids(token: string): Promise<string[]> {
    const d = await ok(token, LIST);
    expect(d.alerts.totalCount).toBe(d.alerts.edges.length);
    return d.alerts.edges.map((e: any) => e.node.id).sort();
  }

  /** Starts the hub again on the same database with the trust file as it is now. */
  async function restart(): Promise<TestHub> {
    await t?.stop();
    t = undefined;
    logLines = [];
    t = await startTestHub({ databaseUrl: db.url, trust, logLines });
    return t;
  }

  /** A raw graphql-ws connect with the token: 'ack', or the close code and reason. */
  function connect(token: string): Promise<{ code: number | 'ack'; reason?: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(t!.wsUrl, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (m) => {
        if (JSON.parse(String(m)).type === 'connection_ack') {
          socket.close();
          resolve({ code: 'ack' });
        }
      });
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      socket.on('error', reject);
    });
  }

  async function membership(code: string): Promise<{ joined: Date; left: Date | null }> {
    const [row] = await t!.hub.orm.em.fork().execute(`select joined_at as joined, left_at as "left" from agency where code = ?`, [code]);
    return { joined: new Date(row.joined), left: row.left ? new Date(row.left) : null };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    trust = await TestTrust.create();
    await restart();
    const [gd, hk] = await Promise.all([trust.token('GD'), trust.token('HK')]);
    before = await publish(gd, 'Shared with all partners before HK left');
    namingHk = await publish(gd, 'Named HK before it left', { scope: 'SELECTED_AGENCIES', agencies: ['HK'] });
    hkOwn = await publish(hk, "HK's own, shared with all partners before it left");
    expect(await ids(hk)).toEqual([before, namingHk, hkOwn].sort());
    expect((await ok(hk, GET, { id: before })).alert.id).toBe(before);
    pending = (await ok(hk, REQUEST, { id: before })).requestDisclosure.id;
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  test('a trust entry\'s "suspended" must be true or false', () => {
    const entry = { code: 'HK', name: 'Hong Kong', jurisdiction: 'HK', issuer: 'https://idp.hk.test', jwksFile: 'hk.json' };
    expect(parseTrustConfig({ audience: 'a', agencies: [{ ...entry, suspended: true }] }, '/').agencies[0].suspended).toBe(true);
    expect(parseTrustConfig({ audience: 'a', agencies: [{ ...entry, suspended: false }] }, '/').agencies[0].suspended).toBeUndefined();
    expect(() => parseTrustConfig({ audience: 'a', agencies: [{ ...entry, suspended: 'yes' }] }, '/')).toThrow(ConfigError);
    expect(() => parseTrustConfig({ audience: 'a', agencies: [{ ...entry, suspended: 'yes' }] }, '/')).toThrow(/agencies\[0\]\.suspended: true or false/);
  });

  test('suspended: its tokens are refused over HTTP and at the WebSocket connect, saying why; its own alerts stay with their partners', async () => {
    trust.rewrite({ suspended: ['HK'] });
    await restart();
    const [gd, hk, mo] = await Promise.all([trust.token('GD'), trust.token('HK', ['ANALYST'], { sub: 'hk-officer-7' }), trust.token('MO', ['OBSERVER'])]);

    const res = await t!.gql(hk, LIST);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toEqual([expect.objectContaining({ message: 'agency HK is suspended on this hub', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(await connect(hk)).toEqual({ code: 4403, reason: 'agency HK is suspended on this hub' });
    const said = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'token refused: the agency is suspended on this hub');
    expect(said.length).toBeGreaterThanOrEqual(2);
    expect(said[0]).toMatchObject({ level: 30, agency: 'HK', subject: 'hk-officer-7' });
    // A token HK did not sign learns nothing about HK.
    const forged = await t!.gql(await trust.token('HK', ['ANALYST'], { keyOf: 'MO' }), LIST);
    expect(JSON.stringify(forged.body)).not.toContain('suspended');

    const left = (await membership('HK')).left;
    expect(left).not.toBeNull();
    expect((await membership('MO')).left).toBeNull();
    // Partners learn that HK has left (so that they stop naming it), not why.
    expect((await ok(mo, AGENCIES)).agencies).toEqual([
      { code: 'GD', leftAt: null },
      { code: 'HK', leftAt: left!.toISOString() },
      { code: 'MO', leftAt: null },
    ]);
    expect(await connect(mo)).toEqual({ code: 'ack' });
    // HK's own alert stays in the hub, visible to the partners it was shared with.
    expect(await ids(mo)).toEqual([before, hkOwn].sort());
    whileSuspended = await publish(gd, 'Shared with all partners while HK was suspended');
    expect(await ids(mo)).toEqual([before, hkOwn, whileSuspended].sort());
  });

  test('while away it is named in nothing new: no distribution, operation or widened agreement; taking back stays possible', async () => {
    const gd = await trust.token('GD', ['ANALYST', 'ADMIN', 'COORDINATOR']);
    const refused = async (query: string, variables: Record<string, unknown>) => {
      const res = await t!.gql(gd, query, variables);
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(res.body.errors[0].message).toContain('agency HK has left the hub');
    };
    await refused(CREATE, { input: alertInput({ title: 'Naming HK while away', distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK', 'MO'] } }) });
    const v = (await ok(gd, VERSION, { id: before })).alert.version;
    await refused(SHARE, { id: before, version: v, d: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });
    await refused(CREATE_OP, { input: { codeName: 'Away Tide', objective: 'with a suspended partner', participants: ['GD', 'HK'], startsOn: new Date().toISOString() } });
    await refused(AGREE, { p: 'HK', c: ['PARTY_IDENTITY'] });
    await refused(DECIDE, { id: pending, approve: true, until: new Date(Date.now() + 86_400_000).toISOString() });
    // An alert that named HK already may be shared again as it is.
    const n = (await ok(gd, VERSION, { id: namingHk })).alert.version;
    await ok(gd, SHARE, { id: namingHk, version: n, d: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });
    expect((await ok(gd, AGREE, { p: 'MO', c: ['PARTY_IDENTITY'] })).setSharingAgreement.fieldClasses).toEqual(['PARTY_IDENTITY']);
    expect((await ok(gd, AGREE, { p: 'MO', c: [] })).setSharingAgreement.fieldClasses).toEqual([]);
    expect((await ok(gd, AGREE, { p: 'HK', c: [] })).setSharingAgreement.fieldClasses).toEqual([]);
    expect((await ok(gd, DECIDE, { id: pending, approve: false })).decideDisclosure.status).toBe('DENIED');
  });

  test('taken out of the file: still refused, still away since it left, and a restart with the same file changes nothing', async () => {
    const away = await membership('HK');
    trust.rewrite({ without: ['HK'] });
    await restart();
    const [gd, hk, mo] = await Promise.all([trust.token('GD'), trust.token('HK'), trust.token('MO')]);
    expect((await t!.gql(hk, LIST)).body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await connect(hk)).code).toBe(4403);
    expect(await membership('HK')).toEqual(away);
    whileRemoved = await publish(gd, 'Shared with all partners while HK was out of the file');

    await restart();
    expect(await membership('HK')).toEqual(away);
    expect(await membership('MO')).toMatchObject({ left: null });
    expect(await ids(mo)).toEqual([before, hkOwn, whileSuspended, whileRemoved].sort());
  });

  test('back in the file it rejoins: no ALL_PARTNERS alert shared before it came back until shared again; alerts naming it still apply', async () => {
    const away = await membership('HK');
    trust.rewrite();
    await restart();
    const rejoined = await membership('HK');
    expect(rejoined.left).toBeNull();
    expect(rejoined.joined.getTime()).toBeGreaterThan(away.left!.getTime());
    // A restart with the same file moves nothing.
    await restart();
    expect(await membership('HK')).toEqual(rejoined);

    const [gd, hk, mo] = await Promise.all([trust.token('GD', ['ANALYST', 'ADMIN']), trust.token('HK'), trust.token('MO')]);
    expect(await connect(hk)).toEqual({ code: 'ack' });
    expect((await ok(hk, AGENCIES)).agencies.map((a: any) => a.leftAt)).toEqual([null, null, null]);
    // Shared before it left (though it saw it then), while suspended, while out of the file: none.
    expect(await ids(hk)).toEqual([namingHk, hkOwn].sort());
    for (const id of [before, whileSuspended, whileRemoved]) expect((await t!.gql(hk, GET, { id })).body).toEqual({ data: { alert: null } });
    expect((await ok(hk, GET, { id: namingHk })).alert.id).toBe(namingHk);
    // MO never left: it kept everything.
    expect(await ids(mo)).toEqual([before, hkOwn, whileSuspended, whileRemoved].sort());

    // GD shares one again: HK is a partner of that share.
    const v = (await ok(gd, VERSION, { id: whileSuspended })).alert.version;
    await ok(gd, SHARE, { id: whileSuspended, version: v, d: { scope: 'ALL_PARTNERS' } });
    expect(await ids(hk)).toEqual([namingHk, hkOwn, whileSuspended].sort());
    // And it is a partner of what is shared from now on, and can be named again.
    const after = await publish(gd, 'Shared with all partners after HK rejoined');
    expect(await ids(hk)).toEqual([namingHk, hkOwn, whileSuspended, after].sort());
    expect((await ok(gd, AGREE, { p: 'HK', c: ['PARTY_IDENTITY'] })).setSharingAgreement.fieldClasses).toEqual(['PARTY_IDENTITY']);

    // The access log keeps the read HK made before it left.
    const log = (await ok(gd, ACCESS_LOG, { id: before })).alertAccessLog.edges.map((e: any) => e.node.agency.code);
    expect(log).toContain('HK');
  });
});
