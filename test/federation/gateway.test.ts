import { rmSync } from 'node:fs';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { startTestHub, type TestHub } from '../support/hub';
import { TestTrust, TEST_AGENCIES } from '../support/identity';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';

/*
 * The hub as one subgraph of an agency's supergraph. A second subgraph, written here, stands
 * for Hong Kong's case-management service: it adds `caseFile` to Alert through its key and
 * lists case files that point at alerts. A gateway in this process composes both; every
 * query goes through it as each agency, with the caller's own token forwarded to the hub.
 */

const CASES_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Alert @key(fields: "id") { id: ID! caseFile: CaseFile }
  type CaseFile { number: String! officer: String! alert: Alert }
  type Query { caseFiles: [CaseFile!]! }
`;

interface Gateway {
  url: string;
  stop(): Promise<void>;
}

describe('the hub in a federated supergraph', () => {
  let t: TestHub;
  const alerts: Record<'shared' | 'secret' | 'selected', { id: string; title: string }> = {} as never;
  const stops: (() => Promise<void>)[] = [];
  let gateway: Gateway;
  let hints: string[] = [];

  async function publish(key: keyof typeof alerts, overrides: Record<string, unknown>) {
    const gd = await t.token('GD');
    const created = (await t.gql(gd, CREATE, { input: alertInput(overrides) })).body.data.createAlert;
    alerts[key] = (await t.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
  }

  beforeAll(async () => {
    // As in production: introspection off, the SDL for HK's router identity only.
    const trust = await TestTrust.create(TEST_AGENCIES.map((a) => (a.code === 'HK' ? { ...a, routerSubjects: ['hk-router'] } : a)));
    t = await startTestHub({ trust, env: { HUB_INTROSPECTION: 'false' } });
    stops.push(async () => rmSync(trust.dir, { recursive: true, force: true }));
    stops.push(() => t.stop());
    await publish('shared', { title: 'shared with all partners', distribution: { scope: 'ALL_PARTNERS' } });
    await publish('secret', { title: 'Guangdong eyes only' });
    await publish('selected', { title: 'for Hong Kong only', distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });

    // Hong Kong's case files, one per alert, the secret one included: the hub decides what shows.
    const cases = new Map(Object.values(alerts).map((a, i) => [a.id, { number: `HK-CASE-${i + 1}`, officer: 'Chan', alertId: a.id }]));
    const casesServer = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(CASES_SDL),
        resolvers: {
          Query: { caseFiles: () => [...cases.values()] },
          Alert: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }), caseFile: (alert: { id: string }) => cases.get(alert.id) ?? null },
          CaseFile: { alert: (c: { alertId: string }) => ({ __typename: 'Alert', id: c.alertId }) },
        } as never,
      }),
    });
    const { url: casesUrl } = await startStandaloneServer(casesServer, { listen: { port: 0, host: '127.0.0.1' } });
    stops.push(() => casesServer.stop());

    // The router's view: the hub's SDL as `_service { sdl }` answers it, to the router's own token.
    const sdl = (await t.gql(await t.trust.token('HK', [], { sub: 'hk-router' }), '{ _service { sdl } }')).body.data._service.sdl as string;
    const composed = composeServices([
      { name: 'hub', url: t.url, typeDefs: parse(sdl) },
      { name: 'cases', url: casesUrl, typeDefs: parse(CASES_SDL) },
    ]);
    if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
    hints = composed.hints.map((h) => `${h.definition.code}: ${h.message}`);

    const gw = new ApolloServer<{ authorization?: string }>({
      gateway: new ApolloGateway({
        supergraphSdl: composed.supergraphSdl,
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource<{ authorization?: string }>({
            url,
            // The agency's router forwards its caller's token; the hub trusts nothing else.
            willSendRequest({ request, context }) {
              if (context.authorization) request.http?.headers.set('authorization', context.authorization);
            },
          }),
      }),
    });
    const started = await startStandaloneServer(gw, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({ authorization: req.headers.authorization }),
    });
    stops.push(() => gw.stop());
    gateway = { url: started.url, stop: () => gw.stop() };
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  async function viaGateway(token: string, query: string) {
    const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return (await res.json()) as { data?: any; errors?: any[] };
  }

  test('composition succeeds without errors, and with no hint that matters', () => {
    expect(hints).toEqual([]);
  });

  test("a partner's own token does not get the SDL, directly or through the gateway", async () => {
    const direct = await t.gql(await t.token('HK', ['OBSERVER']), '{ _service { sdl } }');
    expect(direct.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const viaGw = await viaGateway(await t.token('HK', ['OBSERVER']), '{ _service { sdl } }');
    expect(JSON.stringify(viaGw)).not.toContain('type Alert');
  });

  const ALERTS = `{ alerts(first: 20) { edges { node { id title consignor { name } containerNumbers withheld caseFile { number } } } } }`;

  test.each([
    ['GD', ['shared', 'secret', 'selected']],
    ['HK', ['shared', 'selected']],
    ['MO', ['shared']],
  ] as const)('%s gets the alerts it may see joined with the case files, withheld classes null', async (agency, visible) => {
    const body = await viaGateway(await t.token(agency, ['OBSERVER']), ALERTS);
    expect(body.errors).toBeUndefined();
    const nodes = body.data.alerts.edges.map((e: any) => e.node);
    const byId = new Map(nodes.map((n: any) => [n.id, n]));
    for (const key of ['shared', 'secret', 'selected'] as const) {
      const node: any = byId.get(alerts[key].id);
      if (!(visible as readonly string[]).includes(key)) {
        expect(node).toBeUndefined();
        expect(JSON.stringify(body)).not.toContain(alerts[key].title);
        continue;
      }
      expect(node.caseFile.number).toMatch(/^HK-CASE-/);
      if (agency === 'GD') {
        expect(node.consignor).toEqual({ name: 'Shenzhen Trading Co.' });
      } else {
        expect(node.consignor).toBeNull();
        expect(node.containerNumbers).toBeNull();
        expect(node.withheld).toEqual(expect.arrayContaining(['PARTY_IDENTITY', 'SHIPMENT_IDENTIFIERS']));
      }
    }
  });

  test.each(['HK', 'MO'])('through the case files (entity references into the hub), %s sees only what the access rules allow', async (agency) => {
    const body = await viaGateway(await t.token(agency, ['ANALYST']), `{ caseFiles { number alert { id title consignor { name } source { reference } withheld } } }`);
    expect(body.errors).toBeUndefined();
    const byAlert = new Map(body.data.caseFiles.map((c: any) => [c.number, c.alert]));
    expect(body.data.caseFiles).toHaveLength(3);
    const seen = body.data.caseFiles.filter((c: any) => c.alert).map((c: any) => c.alert.id).sort();
    const expected = (agency === 'HK' ? [alerts.shared.id, alerts.selected.id] : [alerts.shared.id]).sort();
    expect(seen).toEqual(expected);
    for (const a of byAlert.values() as Iterable<any>) {
      if (!a) continue;
      expect(a.consignor).toBeNull();
      expect(a.source).toBeNull();
    }
    const text = JSON.stringify(body);
    expect(text).not.toContain(alerts.secret.title);
    expect(text).not.toContain('Shenzhen Trading Co.');
    expect(text).not.toContain('RP-1');
  });

  test('a crafted _entities call for an invisible alert returns null and leaks nothing; visible ones are projected; the read is logged as federation', async () => {
    const hk = await t.token('HK', ['ANALYST']);
    const res = await t.gql(
      hk,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id title consignor { name } withheld } } }`,
      { r: [{ __typename: 'Alert', id: alerts.secret.id }, { __typename: 'Alert', id: alerts.shared.id }, { __typename: 'Alert', id: '01234567-89ab-7def-8123-456789abcdef' }, { __typename: 'Alert', id: 'not-a-uuid' }] },
    );
    expect(res.body.errors).toBeUndefined();
    const [secret, shared, unknown, malformed] = res.body.data._entities;
    expect(secret).toBeNull();
    expect(unknown).toBeNull();
    expect(malformed).toBeNull();
    expect(shared).toMatchObject({ id: alerts.shared.id, title: alerts.shared.title, consignor: null });
    expect(JSON.stringify(res.body)).not.toContain(alerts.secret.title);

    const log = await t.gql(await t.token('GD'), `query ($id: ID!) { alertAccessLog(alertId: $id, first: 100) { edges { node { agency { code } via } } } }`, { id: alerts.shared.id });
    const reads = log.body.data.alertAccessLog.edges.map((e: any) => `${e.node.agency.code}:${e.node.via}`);
    expect(reads).toContain('HK:federation');
    const secretLog = await t.gql(await t.token('GD'), `query ($id: ID!) { alertAccessLog(alertId: $id) { totalCount } }`, { id: alerts.secret.id });
    expect(secretLog.body.data.alertAccessLog.totalCount).toBe(0);
  });

  test("other entities resolve by their keys for participants only: another agency's operation is null", async () => {
    const coord = await t.token('GD', ['COORDINATOR']);
    const op = (await t.gql(coord, `mutation { createJointOperation(input: { codeName: "Fed Gate", objective: "x", participants: ["HK"], startsOn: "2026-11-01T00:00:00Z" }) { id } }`)).body.data.createJointOperation;
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on JointOperation { id codeName } ... on Agency { code name } } }`;
    const reps = { r: [{ __typename: 'JointOperation', id: op.id }, { __typename: 'Agency', code: 'HK' }] };
    const hk = await t.gql(await t.token('HK', ['OBSERVER']), q, reps);
    expect(hk.body.data._entities).toEqual([{ id: op.id, codeName: 'Fed Gate' }, { code: 'HK', name: expect.any(String) }]);
    const mo = await t.gql(await t.token('MO', ['OBSERVER']), q, reps);
    expect(mo.body.data._entities[0]).toBeNull();
    expect(JSON.stringify(mo.body)).not.toContain('Fed Gate');
  });

  test('through the gateway, an agreement and the OPERATION scope apply as on the hub itself, and the reads are logged as federation', async () => {
    // GD gives HK its shipment identifiers by agreement, and shares one alert with an operation HK takes part in.
    const admin = await t.token('GD', ['ADMIN']);
    const agreed = await t.gql(admin, `mutation { setSharingAgreement(partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
    expect(agreed.body.errors).toBeUndefined();
    const coord = await t.token('GD', ['COORDINATOR']);
    const op = (await t.gql(coord, `mutation { createJointOperation(input: { codeName: "Gateway Tide", objective: "x", participants: ["HK"], startsOn: "2026-11-01T00:00:00Z" }) { id } }`)).body.data.createJointOperation;
    const gd = await t.token('GD');
    const created = (await t.gql(gd, CREATE, { input: alertInput({ title: 'for the operation only' }) })).body.data.createAlert;
    const pub = (await t.gql(gd, PUBLISH, { id: created.id, version: created.version })).body.data.publishAlert;
    const shared = await t.gql(gd, `mutation ($id: ID!, $v: Int!, $op: ID!) { shareAlert(id: $id, version: $v, distribution: { scope: OPERATION, operationId: $op }) { id } }`, { id: pub.id, v: pub.version, op: op.id });
    expect(shared.body.errors).toBeUndefined();

    const q = `{ alerts(first: 50) { edges { node { id title containerNumbers consignor { name } caseFile { number } } } } }`;
    const hk = await viaGateway(await t.token('HK', ['OBSERVER']), q);
    const hkNodes = new Map<string, any>(hk.data.alerts.edges.map((e: any) => [e.node.id, e.node]));
    expect(hkNodes.get(pub.id)).toMatchObject({ title: 'for the operation only', consignor: null });
    expect(hkNodes.get(alerts.shared.id).containerNumbers).toEqual(expect.any(Array));
    expect(hkNodes.get(alerts.shared.id).consignor).toBeNull();
    const mo = await viaGateway(await t.token('MO', ['OBSERVER']), q);
    const moNodes = new Map<string, any>(mo.data.alerts.edges.map((e: any) => [e.node.id, e.node]));
    expect(moNodes.has(pub.id)).toBe(false);
    expect(moNodes.get(alerts.shared.id).containerNumbers).toBeNull();
    expect(JSON.stringify(mo)).not.toContain('for the operation only');

    // The case files reach the hub through _entities: HK's read of the shared alert is logged as federation.
    await viaGateway(await t.token('HK', ['OBSERVER']), `{ caseFiles { alert { id containerNumbers } } }`);
    const log = await t.gql(gd, `query ($id: ID!) { alertAccessLog(alertId: $id, first: 100) { edges { node { agency { code } via disclosed } } } }`, { id: alerts.shared.id });
    const federated = log.body.data.alertAccessLog.edges.filter((e: any) => e.node.via === 'federation' && e.node.agency.code === 'HK');
    expect(federated.length).toBeGreaterThan(0);
    expect(federated.some((e: any) => e.node.disclosed.includes('SHIPMENT_IDENTIFIERS'))).toBe(true);
  });

  test('without the caller’s token the hub answers nothing through the gateway', async () => {
    const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ caseFiles { alert { title } } }' }) });
    const body = (await res.json()) as any;
    expect(JSON.stringify(body)).not.toContain('shared with all partners');
  });
});
