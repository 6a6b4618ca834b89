/*
 * A partner added to the trust file later (defect 14 of the field trial). ALL_PARTNERS means
 * the partners when the alert was published or last shared: an agency that joins afterwards
 * must not see the older alerts at once, through any route, until their originator shares
 * them again. The old partners keep everything they had.
 *
 * The hub is started with GD, HK and MO; GD publishes; the hub is started again on the same
 * database with a trust file that adds a fourth agency, PP, as an operator would.
 */
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_AGENCIES, TestTrust } from '../support/identity';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until, type Subscriber } from '../support/events';
import { generateAlerts } from '../../src/demo/generator';

const FOURTH = { code: 'PP', name: 'Pan-Pearl River Delta Customs Liaison', jurisdiction: 'Pan-PRD' };

const LIST = `query ($f: AlertFilter) { alerts(first: 100, filter: $f) { totalCount edges { node { id title } } } }`;
const GET = `query ($id: ID!) { alert(id: $id) { id title consignor { name } containerNumbers withheld distribution { scope } } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { id version } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { id version } }`;
const SUB = `subscription ($since: String) { alertEvents(since: $since) { cursor kind alert { id title consignor { name } } } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id title } } }`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id } }`;
const OP = `query ($id: ID!) { jointOperation(id: $id) { id alerts(first: 20) { totalCount edges { node { id title } } } } }`;
const DISCLOSE = `mutation ($id: ID!) { requestDisclosure(alertId: $id, fieldClasses: [PARTY_IDENTITY], justification: "joined the hub") { id } }`;

interface Published {
  id: string;
  version: number;
  title: string;
}

/** Words the old alerts alone carry, so that a filter on them would tell. */
const OLD_WORD = 'Oldharbour';

describe('a partner added to the trust file later', () => {
  let db: TestDatabase;
  let before: TestHub | undefined;
  let t: TestHub;
  let first: TestTrust;
  let second: TestTrust;
  /** A cursor from before the old alerts were published. */
  let start: string;
  let oldA: Published;
  let oldB: Published;
  let lateDraft: Published;
  let pp: string;
  let hk: string;
  let mo: string;
  let gd: string;

  async function ok(hub: TestHub, token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await hub.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  async function publish(hub: TestHub, token: string, title: string, publishNow = true): Promise<Published> {
    const created = (await ok(hub, token, CREATE, { input: alertInput({ title, distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
    if (!publishNow) return { id: created.id, version: created.version, title };
    const p = (await ok(hub, token, PUBLISH, { id: created.id, version: created.version })).publishAlert;
    return { id: p.id, version: p.version, title };
  }

  async function ids(token: string, filter?: Record<string, unknown>): Promise<{ ids: string[]; totalCount: number }> {
    const d = await ok(t, token, LIST, { f: filter ?? null });
    return { ids: d.alerts.edges.map((e: any) => e.node.id), totalCount: d.alerts.totalCount };
  }

  const alertIds = (s: Subscriber) => s.events('alertEvents').map((e: any) => e.alert.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await TestTrust.create();
    before = await startTestHub({ databaseUrl: db.url, trust: first });
    const gdBefore = await first.token('GD');
    // A cursor from before GD published anything partners can see.
    const own = await subscribe(before, gdBefore, SUB);
    const marker = (await ok(before, gdBefore, CREATE, { input: alertInput({ title: 'GD only' }) })).createAlert;
    await ok(before, gdBefore, PUBLISH, { id: marker.id, version: marker.version });
    await own.waitFor(1);
    start = own.events()[0].cursor;
    own.dispose();

    oldA = await publish(before, gdBefore, `${OLD_WORD} speakers, published before PP joined`);
    oldB = await publish(before, gdBefore, `${OLD_WORD} handbags, published before PP joined`);
    // Written before PP joined but published after: the publication shares it.
    lateDraft = await publish(before, gdBefore, 'Drafted before PP joined, published after', false);
    await before.stop();
    before = undefined;

    second = await TestTrust.create([...TEST_AGENCIES, FOURTH]);
    t = await startTestHub({ databaseUrl: db.url, trust: second });
    [gd, hk, mo, pp] = await Promise.all([second.token('GD'), second.token('HK', ['ANALYST']), second.token('MO', ['OBSERVER']), second.token('PP', ['ANALYST'])]);
    const published = (await ok(t, gd, PUBLISH, { id: lateDraft.id, version: lateDraft.version })).publishAlert;
    lateDraft = { ...lateDraft, version: published.version };
  });
  afterEach(disposeAll);
  afterAll(async () => {
    await before?.stop();
    await t?.stop();
    await db?.drop();
  });

  test('sees none of the ALL_PARTNERS alerts shared before it joined: not in lists, counts, filters or by id', async () => {
    const mine = await ids(pp);
    expect(mine.ids).toEqual([lateDraft.id]);
    expect(mine.totalCount).toBe(1);
    // A filter that would match only the old alerts must not tell by its count.
    expect(await ids(pp, { text: OLD_WORD })).toEqual({ ids: [], totalCount: 0 });
    expect(await ids(pp, { originAgency: ['GD'], channel: ['SEA_CONTAINER'] })).toEqual({ ids: [lateDraft.id], totalCount: 1 });
    for (const a of [oldA, oldB]) {
      const res = await t.gql(pp, GET, { id: a.id });
      expect(res.body).toEqual({ data: { alert: null } });
    }
    // The old partners keep them.
    for (const token of [hk, mo]) {
      expect((await ids(token, { text: OLD_WORD })).ids.sort()).toEqual([oldA.id, oldB.id].sort());
      expect((await ok(t, token, GET, { id: oldA.id })).alert.title).toBe(oldA.title);
    }
  });

  test('nor through federation, a joint operation it takes part in, or a disclosure request', async () => {
    const ent = await t.gql(pp, ENTITIES, { r: [{ __typename: 'Alert', id: oldA.id }, { __typename: 'Alert', id: lateDraft.id }] });
    expect(ent.body.data._entities).toEqual([null, { id: lateDraft.id, title: lateDraft.title }]);
    const hkEnt = await ok(t, hk, ENTITIES, { r: [{ __typename: 'Alert', id: oldA.id }] });
    expect(hkEnt._entities).toEqual([{ id: oldA.id, title: oldA.title }]);

    const coord = await second.token('GD', ['COORDINATOR']);
    const op = (await ok(t, coord, CREATE_OP, { input: { codeName: 'Joining Tide', objective: 'with the new partner', participants: ['GD', 'HK', 'PP'], startsOn: new Date().toISOString() } })).createJointOperation;
    await ok(t, coord, LINK, { op: op.id, alert: oldB.id });
    expect((await ok(t, pp, OP, { id: op.id })).jointOperation.alerts).toEqual({ totalCount: 0, edges: [] });
    expect((await ok(t, hk, OP, { id: op.id })).jointOperation.alerts).toEqual({ totalCount: 1, edges: [{ node: { id: oldB.id, title: oldB.title } }] });

    const asked = await t.gql(pp, DISCLOSE, { id: oldA.id });
    expect(asked.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(JSON.stringify(asked.body)).not.toContain(oldA.title);
  });

  test('a subscription resumed from before it joined replays none of them; the old partners replay them', async () => {
    const ppReplay = await subscribe(t, pp, SUB, { since: start });
    const hkReplay = await subscribe(t, hk, SUB, { since: start });
    // Published after both subscribed: once it has arrived, everything before it has.
    const fence = await publish(t, gd, 'Fence after the replay');
    await until(() => alertIds(ppReplay).includes(fence.id) && alertIds(hkReplay).includes(fence.id), 'the fence to arrive');
    expect(ppReplay.errors).toEqual([]);
    expect(alertIds(ppReplay)).toEqual([lateDraft.id, fence.id]);
    expect(alertIds(hkReplay)).toEqual([oldA.id, oldB.id, lateDraft.id, fence.id]);
  });

  test('sees an old alert once its originator shares it again, live and in every query; the others stay hidden', async () => {
    const ppLive = await subscribe(t, pp, SUB);
    const hkLive = await subscribe(t, hk, SUB);
    const current = async (a: Published) => (await ok(t, gd, `query ($id: ID!) { alert(id: $id) { version distribution { scope } } }`, { id: a.id })).alert;
    // A change to an old alert that is not shared again does not reach PP.
    await ok(t, gd, UPDATE, { id: oldB.id, version: (await current(oldB)).version, input: { summary: 'updated, not shared again' } });
    // Shared again exactly as it was.
    const a = await current(oldA);
    expect(a.distribution.scope).toBe('ALL_PARTNERS');
    await ok(t, gd, SHARE, { id: oldA.id, version: a.version, d: { scope: 'ALL_PARTNERS' } });

    await until(() => alertIds(ppLive).includes(oldA.id) && alertIds(hkLive).includes(oldA.id), 'the share to arrive');
    expect(ppLive.events().map((e: any) => [e.kind, e.alert.id])).toEqual([['DISTRIBUTION_CHANGED', oldA.id]]);
    // CORE only: joining gives PP no agreement.
    expect(ppLive.events()[0].alert).toMatchObject({ title: oldA.title, consignor: null });
    expect(hkLive.events().map((e: any) => [e.kind, e.alert.id])).toEqual([['UPDATED', oldB.id], ['DISTRIBUTION_CHANGED', oldA.id]]);

    expect((await ids(pp)).ids.sort()).toEqual(expect.arrayContaining([oldA.id, lateDraft.id]));
    expect((await ids(pp)).ids).not.toContain(oldB.id);
    expect(await ids(pp, { text: OLD_WORD })).toEqual({ ids: [oldA.id], totalCount: 1 });
    expect((await ok(t, pp, GET, { id: oldA.id })).alert).toMatchObject({ id: oldA.id, consignor: null, containerNumbers: null, distribution: { scope: 'ALL_PARTNERS' } });
    expect((await ok(t, pp, GET, { id: oldB.id })).alert).toBeNull();
    expect((await ok(t, pp, ENTITIES, { r: [{ __typename: 'Alert', id: oldA.id }] }))._entities).toEqual([{ id: oldA.id, title: oldA.title }]);
    for (const token of [hk, mo]) expect((await ids(token, { text: OLD_WORD })).totalCount).toBe(2);
  });

  test('generated demo alerts are shared when written, with the partners of then, however old they look', async () => {
    await generateAlerts(t.hub.orm.em.fork(), { alerts: 60, seed: 14 });
    // Published (by their dates) long before PP joined; written after.
    const [{ all, selected }] = await t.hub.orm.em.fork().execute(
      `select count(*) filter (where distribution_scope = 'ALL_PARTNERS')::int as all,
              count(*) filter (where distribution_scope = 'SELECTED_AGENCIES' and exists (
                select 1 from alert_distribution_agency d where d.alert_id = alert.id and d.agency_code = 'PP'))::int as selected
         from alert where status <> 'DRAFT' and published_at < now() - interval '1 day'`,
    );
    expect(all).toBeGreaterThan(0);
    const old = await ok(t, pp, `query { alerts(first: 100, filter: { publishedBefore: "${new Date(Date.now() - 86_400_000).toISOString()}" }) { totalCount edges { node { distribution { scope } } } } }`);
    expect(old.alerts.totalCount).toBe(all + selected);
    expect(old.alerts.edges.filter((e: any) => e.node.distribution.scope === 'ALL_PARTNERS')).toHaveLength(all);
  });
});
