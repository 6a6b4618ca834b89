import { startTestHub, type TestHub } from '../support/hub';

/*
 * What the hub answers is for its viewer alone: no cache may keep it. Apollo's cache-control
 * plugin (which wrapped every field resolver to compute hints the hub never sets) is off; the
 * hub says `no-store` itself, on every answer of /graphql, and never a max-age.
 */

describe('cache-control on /graphql', () => {
  let t: TestHub;
  let hk: string;
  beforeAll(async () => {
    t = await startTestHub();
    hk = await t.token('HK', ['ANALYST']);
  });
  afterAll(() => t.stop());

  test('a query over POST and over GET, an error and a refused token: no-store, never a max-age', async () => {
    const answered = await t.gql(hk, '{ viewer { subject } alerts(first: 2) { totalCount } }');
    expect(answered.body.errors).toBeUndefined();
    const invalid = await t.gql(hk, '{ viewer { nope } }');
    expect(invalid.status).toBe(400);
    const refused = await t.gql('not-a-token', '{ viewer { subject } }');
    expect(refused.status).toBe(401);
    const get = await fetch(`${t.url}?query=${encodeURIComponent('{ viewer { subject } }')}`, {
      headers: { authorization: `Bearer ${hk}`, 'apollo-require-preflight': 'true' },
    });
    expect(((await get.json()) as any).data.viewer.subject).toBe('hk-officer-1');
    for (const res of [answered, invalid, refused, get]) {
      expect([res.status, res.headers.get('cache-control')]).toEqual([res.status, 'no-store']);
    }
  });
});
