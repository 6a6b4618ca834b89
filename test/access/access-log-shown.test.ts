import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, UPDATE, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until } from '../support/events';

/*
 * The access log records what a read showed, no more and no less: the classes of the fields
 * that resolved with a value the reader was given. A count, a page's cursors or a typename
 * shows no field of an alert and writes nothing; a withheld field shows nothing either. Over
 * the three routes that show partners' alerts: query, subscription and federation.
 */

const LOG = `query ($a: ID!) { alertAccessLog(alertId: $a, first: 100) { totalCount edges { node { agency { code } subject disclosed via } } } }`;

describe('the access log records what was shown', () => {
  let t: TestHub;
  let gd: string;
  let hk: string;
  let mo: string;
  let alert: { id: string; version: number };
  const title = `Shown-probe ${Date.now().toString(36)}`;
  const list = (selection: string) => `query ($f: AlertFilter) { alerts(first: 10, filter: $f) { ${selection} } }`;
  const filter = { f: { text: title } };

  beforeAll(async () => {
    t = await startTestHub();
    const admin = await t.token('GD', ['ADMIN']);
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.trust.token('HK', ['ANALYST'], { sub: 'hk-reader' }), t.trust.token('MO', ['ANALYST'], { sub: 'mo-reader' })]);
    // Hong Kong gets shipment identifiers by agreement; Macao gets CORE only.
    const agreed = await t.gql(admin, `mutation { setSharingAgreement(partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
    expect(agreed.body.errors).toBeUndefined();
    const created = (await t.gql(gd, CREATE, { input: alertInput({ title, distribution: { scope: 'ALL_PARTNERS' } }) })).body.data.createAlert;
    alert = (await t.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
  });
  afterEach(() => disposeAll());
  afterAll(() => t.stop());

  /** The log's entries written by `act`, oldest first, as `agency subject via CLASSES`. */
  async function logged(act: () => Promise<unknown>): Promise<string[]> {
    const before = (await t.gql(gd, LOG, { a: alert.id })).body.data.alertAccessLog.totalCount as number;
    await act();
    const log = (await t.gql(gd, LOG, { a: alert.id })).body.data.alertAccessLog;
    return log.edges
      .slice(0, log.totalCount - before)
      .reverse()
      .map((e: any) => `${e.node.agency.code} ${e.node.subject} ${e.node.via} ${e.node.disclosed.join('+')}`);
  }

  async function read(token: string, query: string, variables: Record<string, unknown> = filter) {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }

  test.each([
    ['totalCount', 'totalCount'],
    ['pageInfo', 'pageInfo { hasNextPage endCursor }'],
    ["the edges' cursors", 'edges { cursor }'],
    ["the nodes' typename", 'edges { node { __typename } }'],
  ])('a query of %s alone shows no alert and logs nothing', async (_name, selection) => {
    expect(
      await logged(async () => {
        const data = await read(hk, list(selection));
        if (selection === 'totalCount') expect(data.alerts.totalCount).toBe(1);
        await read(mo, list(selection));
      }),
    ).toEqual([]);
  });

  test('a query logs exactly the classes of the fields it showed', async () => {
    expect(await logged(() => read(hk, list('edges { node { reference title } }')))).toEqual(['HK hk-reader query CORE']);
    expect(await logged(() => read(hk, list('edges { node { containerNumbers } }')))).toEqual(['HK hk-reader query SHIPMENT_IDENTIFIERS']);
    // PARTY_IDENTITY and SOURCE are withheld from Hong Kong: null, and not logged as disclosed.
    expect(await logged(() => read(hk, list('totalCount edges { cursor node { title billOfLading consignor { name } source { kind } } }')))).toEqual([
      'HK hk-reader query CORE+SHIPMENT_IDENTIFIERS',
    ]);
    expect(await logged(() => read(mo, `query ($id: ID!) { alert(id: $id) { title containerNumbers withheld } }`, { id: alert.id }))).toEqual(['MO mo-reader query CORE']);
    // Every field asked for is withheld: nothing was shown.
    expect(await logged(() => read(mo, `query ($id: ID!) { alert(id: $id) { containerNumbers consignee { name } operationalNotes } }`, { id: alert.id }))).toEqual([]);
    // The same alert in two places of one query is one read of everything shown in both.
    expect(await logged(() => read(hk, `query ($id: ID!) { a: alert(id: $id) { id } b: alert(id: $id) { conveyanceReference } }`, { id: alert.id }))).toEqual([
      'HK hk-reader query CORE+SHIPMENT_IDENTIFIERS',
    ]);
  });

  test('a subscription event logs what it showed to whom; an event showing no alert field logs nothing', async () => {
    const counter = await t.trust.token('HK', ['OBSERVER'], { sub: 'hk-counter' });
    const watcher = await t.trust.token('HK', ['OBSERVER'], { sub: 'hk-watcher' });
    const moWatcher = await t.trust.token('MO', ['OBSERVER'], { sub: 'mo-watcher' });
    const subs = [
      await subscribe(t, counter, `subscription ($f: AlertFilter) { alertEvents(filter: $f) { cursor kind occurredAt } }`, filter),
      await subscribe(t, watcher, `subscription ($f: AlertFilter) { alertEvents(filter: $f) { kind alert { title containerNumbers consignor { name } } } }`, filter),
      await subscribe(t, moWatcher, `subscription ($f: AlertFilter) { alertEvents(filter: $f) { alert { id billOfLading } } }`, filter),
    ];
    const rows = await logged(async () => {
      const updated = await t.gql(gd, UPDATE, { id: alert.id, version: alert.version, input: { summary: 'Watched, counted and logged.' } });
      expect(updated.body.errors).toBeUndefined();
      alert = updated.body.data.updateAlert;
      for (const s of subs) await s.waitFor(1);
      // The rows are written as the events are sent.
      await until(async () => (await t.gql(gd, LOG, { a: alert.id })).body.data.alertAccessLog.edges.filter((e: any) => e.node.via === 'subscription').length >= 2, 'the rows');
    });
    expect(subs.map((s) => s.errors)).toEqual([[], [], []]);
    expect(rows.sort()).toEqual(['HK hk-watcher subscription CORE+SHIPMENT_IDENTIFIERS', 'MO mo-watcher subscription CORE']);
  });

  test('a federation entity read logs what it showed, under federation', async () => {
    const entities = (selection: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { ${selection} } } }`;
    const reps = { r: [{ __typename: 'Alert', id: alert.id }] };
    expect(await logged(() => read(hk, entities('__typename'), reps))).toEqual([]);
    expect(await logged(() => read(hk, entities('containerNumbers'), reps))).toEqual(['HK hk-reader federation SHIPMENT_IDENTIFIERS']);
    expect(await logged(() => read(mo, entities('title consignor { name } source { kind }'), reps))).toEqual(['MO mo-reader federation CORE']);
  });
});
