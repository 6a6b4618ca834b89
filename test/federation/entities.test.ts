import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readTrustConfig } from '../../src/identity/trust-config';
import { TestTrust, TEST_AGENCIES } from '../support/identity';
import { startTestHub, type TestHub } from '../support/hub';

/*
 * The two fields @apollo/subgraph adds, as a production hub serves them (introspection off):
 * `_entities` takes a page of references, not the whole database in one request, and pays for
 * them in the rate limit; `_service { sdl }` (the whole schema) is for the router identity only.
 */

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code } } }`;
const reps = (n: number) => ({ r: Array.from({ length: n }, () => ({ __typename: 'Agency', code: 'HK' })) });

describe('_entities and _service in production', () => {
  let t: TestHub;
  let trust: TestTrust;

  beforeAll(async () => {
    trust = await TestTrust.create(TEST_AGENCIES.map((a) => (a.code === 'HK' ? { ...a, routerSubjects: ['hk-router'] } : a)));
    // A burst of 25: one request of 100 references takes 10 tokens.
    t = await startTestHub({ trust, env: { HUB_INTROSPECTION: 'false', HUB_RATE_LIMIT_PER_MINUTE: '60', HUB_RATE_LIMIT_BURST: '25' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  test('100 representations are answered; 101 are BAD_USER_INPUT and nothing is resolved', async () => {
    const hk = await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-100' });
    const ok = await t.gql(hk, ENTITIES, reps(100));
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data._entities).toHaveLength(100);

    const over = await t.gql(await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-101' }), ENTITIES, reps(101));
    expect(over.status).toBe(400);
    expect(over.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(over.body.errors[0].message).toMatch(/at most 100 representations/);
    expect(over.body.data?._entities ?? null).toBeNull();
  });

  test('the cap counts every _entities field of the request together (aliases and inline lists)', async () => {
    const hk = await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-aliases' });
    const list = Array.from({ length: 60 }, () => '{ __typename: "Agency", code: "HK" }').join(', ');
    const res = await t.gql(hk, `{ a: _entities(representations: [${list}]) { __typename } b: _entities(representations: [${list}]) { __typename } }`);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.data?.a ?? null).toBeNull();
  });

  test('representations are counted in the rate limit: a request of 100 takes 10 tokens, so the third in a burst of 25 is 429', async () => {
    const hk = await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-rate' });
    expect((await t.gql(hk, ENTITIES, reps(100))).body.errors).toBeUndefined();
    expect((await t.gql(hk, ENTITIES, reps(100))).body.errors).toBeUndefined();
    const third = await t.gql(hk, ENTITIES, reps(100));
    expect(third.status).toBe(429);
    expect(third.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.body.data?._entities ?? null).toBeNull();
  });

  test('representations count in the cost limit: a costly entity selection times its references stays within 30,000', async () => {
    // Each reference may list 100 alerts of an operation: about 3,660 a reference, so 8 fit and 9 do not.
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on JointOperation { id alerts(first: 100) { edges { node { id title } } } } } }`;
    const ops = (n: number) => ({ r: Array.from({ length: n }, () => ({ __typename: 'JointOperation', id: randomUUID() })) });
    const fits = await t.gql(await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-cost-8' }), q, ops(8));
    expect(fits.body.errors).toBeUndefined();
    expect(fits.body.data._entities).toEqual(new Array(8).fill(null));
    const over = await t.gql(await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-cost-9' }), q, ops(9));
    expect(over.status).toBe(400);
    expect(over.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(over.body.errors[0].message).toMatch(/cost limit of 30000/);
  });

  test('over WebSocket the same cap applies', async () => {
    const client = t.ws(await trust.token('HK', ['OBSERVER'], { sub: 'hk-analyst-ws' }));
    const errors = await new Promise<any[]>((resolve) => {
      client.subscribe({ query: ENTITIES, variables: reps(101) }, { next: (r: any) => resolve(r.errors ?? []), error: (e: any) => resolve(Array.isArray(e) ? e : [e]), complete: () => undefined });
    });
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a partner token may not read the subgraph SDL while introspection is off; the router identity may', async () => {
    for (const [agency, roles] of [['HK', []], ['HK', ['ADMIN']], ['GD', ['ANALYST']]] as const) {
      const res = await t.gql(await trust.token(agency, [...roles]), '{ _service { sdl } }');
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(res.body.errors[0].message).toMatch(/router identity/);
      expect(JSON.stringify(res.body)).not.toContain('type Alert');
    }
    // The same subject at another agency is not HK's router: the issuer decides.
    const elsewhere = await t.gql(await trust.token('MO', [], { sub: 'hk-router' }), '{ _service { sdl } }');
    expect(elsewhere.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const router = await t.gql(await trust.token('HK', [], { sub: 'hk-router' }), '{ _service { sdl } }');
    expect(router.body.errors).toBeUndefined();
    expect(router.body.data._service.sdl).toContain('type Alert');
  });

  test('a trust file whose routerSubjects is not a list of subjects is refused', async () => {
    const bad = await TestTrust.create(TEST_AGENCIES.map((a) => (a.code === 'HK' ? { ...a, routerSubjects: 'hk-router' } : a)));
    expect(() => readTrustConfig(bad.path)).toThrow(/HUB_TRUST_CONFIG: .*routerSubjects/);
    rmSync(bad.dir, { recursive: true, force: true });
  });
});
