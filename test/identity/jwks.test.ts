import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { TestTrust, TEST_AGENCIES, issuerOf } from '../support/identity';
import { startTestHub, type TestHub } from '../support/hub';

/*
 * Remote JWKS as identity providers run them: keys rotate (a new key is picked up, a removed
 * one is refused once the cache ages out), and an endpoint can hang (that agency fails in
 * seconds, the others are untouched).
 */

const VIEWER = '{ viewer { subject agency { code } } }';

async function rsaKey(kid: string) {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { ...pair, jwk, kid };
}

describe('remote JWKS: rotation and a hanging endpoint', () => {
  let t: TestHub;
  let servers: Server[] = [];
  let served: JWK[] = [];
  let fetches = 0;
  let first: Awaited<ReturnType<typeof rsaKey>>;
  let trust: TestTrust;

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return (server.address() as AddressInfo).port;
  }

  beforeAll(async () => {
    first = await rsaKey('pp-1');
    served = [first.jwk];
    const rotating = await listen((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: served }));
    });
    // Accepts the connection and never answers.
    const hanging = await listen(() => undefined);
    trust = await TestTrust.create(TEST_AGENCIES, [
      { code: 'PP', name: 'Pan-PRD Liaison', jurisdiction: 'Pan-PRD', issuer: issuerOf('PP'), jwksUri: `http://127.0.0.1:${rotating}/jwks.json` },
      { code: 'HG', name: 'Hanging IdP Agency', jurisdiction: 'Nowhere', issuer: issuerOf('HG'), jwksUri: `http://127.0.0.1:${hanging}/jwks.json` },
    ]);
    trust.setKey('PP', first.privateKey, first.kid);
    trust.setKey('HG', (await rsaKey('hg-1')).privateKey, 'hg-1');
    t = await startTestHub({ trust, env: { HUB_JWKS_CACHE_SECONDS: '1', HUB_JWKS_COOLDOWN_SECONDS: '0', HUB_TOKEN_CACHE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t.stop();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    servers = [];
  });

  test('a new key is picked up at once; a removed key is refused once the cache ages out', async () => {
    const before = await t.gql(await trust.token('PP', ['OBSERVER']), VIEWER);
    expect(before.body.data.viewer.agency.code).toBe('PP');

    // The identity provider publishes a second key and starts signing with it.
    const second = await rsaKey('pp-2');
    served = [first.jwk, second.jwk];
    trust.setKey('PP', second.privateKey, second.kid);
    const rotated = await t.gql(await trust.token('PP', ['OBSERVER']), VIEWER);
    expect(rotated.body.errors).toBeUndefined();
    expect(rotated.body.data.viewer.agency.code).toBe('PP');

    // Then withdraws the first (say it leaked): tokens signed with it stop working.
    served = [second.jwk];
    await new Promise((r) => setTimeout(r, 1500));
    trust.setKey('PP', first.privateKey, first.kid);
    const fetchesBefore = fetches;
    const old = await t.gql(await trust.token('PP', ['OBSERVER']), VIEWER);
    expect(old.status).toBe(401);
    expect(old.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(fetches).toBeGreaterThan(fetchesBefore);
    trust.setKey('PP', second.privateKey, second.kid);
    expect((await t.gql(await trust.token('PP', ['OBSERVER']), VIEWER)).body.data.viewer.agency.code).toBe('PP');
  });

  test('a token the hub has verified and kept stops working within HUB_JWKS_CACHE_SECONDS + HUB_TOKEN_CACHE_SECONDS of its key being withdrawn', async () => {
    const third = await rsaKey('pp-3');
    const kept = served;
    served = [...kept, third.jwk];
    trust.setKey('PP', third.privateKey, third.kid);
    // One token string, used again and again as a client does until it expires (600 s).
    const token = await trust.token('PP', ['OBSERVER']);
    for (let i = 0; i < 3; i++) expect((await t.gql(token, VIEWER)).body.data.viewer.agency.code).toBe('PP');

    served = kept;
    // 1 s of JWKS cache, 1 s of token cache, and a margin.
    await new Promise((r) => setTimeout(r, 2500));
    const refused = await t.gql(token, VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('an agency whose JWKS endpoint hangs fails within seconds; the others are served meanwhile', async () => {
    const started = Date.now();
    const hanging = t.gql(await trust.token('HG', ['OBSERVER']), VIEWER).then((res) => ({ res, ms: Date.now() - started }));
    // While that waits, the other agencies' requests go through at their usual speed.
    for (const agency of ['GD', 'HK', 'MO']) {
      const t0 = Date.now();
      const res = await t.gql(await trust.token(agency, ['OBSERVER']), VIEWER);
      expect(res.body.data.viewer.agency.code).toBe(agency);
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    const { res, ms } = await hanging;
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(ms).toBeGreaterThanOrEqual(4000);
    expect(ms).toBeLessThan(8000);
  }, 20_000);
});

describe('an identity provider that is down', () => {
  let t: TestHub;
  let trust: TestTrust;
  const servers: Server[] = [];
  const logs: string[] = [];

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return { server, port: (server.address() as AddressInfo).port };
  }

  beforeAll(async () => {
    const erring = await listen((_req, res) => {
      res.statusCode = 500;
      res.end('internal error');
    });
    const hanging = await listen(() => undefined);
    // A port nothing listens on any more: connections are refused.
    const gone = await listen(() => undefined);
    await new Promise((r) => gone.server.close(r));
    const agency = (code: string, port: number) => ({ code, name: `${code} agency`, jurisdiction: 'Test', issuer: issuerOf(code), jwksUri: `http://127.0.0.1:${port}/jwks.json` });
    trust = await TestTrust.create(TEST_AGENCIES, [agency('EA', erring.port), agency('HA', hanging.port), agency('RA', gone.port)]);
    for (const code of ['EA', 'HA', 'RA']) trust.setKey(code, (await rsaKey(`${code.toLowerCase()}-1`)).privateKey, `${code.toLowerCase()}-1`);
    t = await startTestHub({ trust, logLines: logs, env: { HUB_JWKS_COOLDOWN_SECONDS: '60' } });
  });
  afterAll(async () => {
    await t.stop();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(() => r(undefined)));
    }
  });

  const outageLines = (agency: string) =>
    logs.map((l) => JSON.parse(l)).filter((l) => l.level === 40 && l.agency === agency && /identity provider outage/.test(l.msg));

  async function failures(agency: string): Promise<number> {
    const text = await (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();
    const m = new RegExp(`^hub_jwks_fetch_failures_total\\{agency="${agency}"\\} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  }

  test.each([
    ['EA', 'answers 500', /Expected 200 OK/],
    ['RA', 'refuses connections', /ECONNREFUSED/],
  ])('when %s’s JWKS endpoint %s, its callers get UNAUTHENTICATED, the log says why once per cooldown, the metric counts each failure', async (agency, _what, reason) => {
    for (let i = 0; i < 3; i++) {
      const res = await t.gql(await trust.token(agency, ['OBSERVER']), VIEWER);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(res.body.errors[0].message).toBe("the issuer's keys could not be fetched");
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|500/);
    }
    const lines = outageLines(agency);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ agency, timedOut: false, timeoutMs: 5000 });
    expect(lines[0].reason).toMatch(reason);
    expect(await failures(agency)).toBe(3);
    // The other agencies are untouched, and not counted.
    expect((await t.gql(await trust.token('HK', ['OBSERVER']), VIEWER)).body.data.viewer.agency.code).toBe('HK');
    expect(await failures('HK')).toBe(0);
  });

  test('when its JWKS endpoint hangs, the log line says it timed out', async () => {
    const [a, b] = await Promise.all([0, 1].map(async () => t.gql(await trust.token('HA', ['OBSERVER']), VIEWER)));
    for (const res of [a, b]) expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const lines = outageLines('HA');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ agency: 'HA', timedOut: true, timeoutMs: 5000 });
    expect(lines[0].reason).toMatch(/no answer within 5000 ms/);
    expect(await failures('HA')).toBe(2);
  }, 20_000);
});
