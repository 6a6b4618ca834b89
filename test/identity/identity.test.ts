import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../src/config';
import { TestTrust, TEST_AGENCIES, TEST_AUDIENCE, issuerOf } from '../support/identity';
import { startTestHub, type TestHub } from '../support/hub';

const VIEWER = '{ viewer { subject agency { code } roles } }';

describe('agency identity over HTTP', () => {
  let t: TestHub;
  let jwksServer: Server;
  let extraKey: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    // A fourth partner whose keys are served over HTTP, as a real identity provider's would be.
    extraKey = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(extraKey.publicKey)), kid: 'pp-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
    const port = (jwksServer.address() as AddressInfo).port;
    const trust = await TestTrust.create(TEST_AGENCIES, [
      { code: 'PP', name: 'Pan-Pearl River Delta Customs Liaison', jurisdiction: 'Pan-PRD', issuer: issuerOf('PP'), jwksUri: `http://127.0.0.1:${port}/jwks.json` },
    ]);
    trust.setKey('PP', extraKey.privateKey, 'pp-1');
    t = await startTestHub({ trust });
  });
  afterAll(async () => {
    await t.stop();
    await new Promise((r) => jwksServer.close(r));
  });

  async function expectUnauthenticated(authorization: string | undefined) {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
      body: JSON.stringify({ query: VIEWER }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/stack|at \w+ \(/);
    return body.errors[0].message as string;
  }

  test('a valid token names the subject, the agency of its issuer and its roles', async () => {
    const res = await t.gql(await t.trust.token('HK', ['ANALYST', 'OBSERVER']), VIEWER);
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ subject: 'hk-officer-1', agency: { code: 'HK' }, roles: ['ANALYST', 'OBSERVER'] });
  });

  test('no Authorization header is 401 UNAUTHENTICATED', async () => {
    await expectUnauthenticated(undefined);
  });

  test('a header that is not "Bearer <JWT>" is 401', async () => {
    await expectUnauthenticated('Basic dXNlcjpwYXNz');
    await expectUnauthenticated('Bearer not-a-jwt');
    await expectUnauthenticated('Bearer ');
  });

  test('a token from an issuer the hub does not trust is 401', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { iss: 'https://idp.evil.test' })}`);
  });

  test("a Hong Kong key cannot sign for Guangdong's issuer", async () => {
    const forged = await t.trust.token('GD', ['ADMIN'], { keyOf: 'HK' });
    await expectUnauthenticated(`Bearer ${forged}`);
  });

  test('a claim naming another agency does not change the agency: the issuer decides', async () => {
    const token = await t.trust.token('HK', ['ANALYST'], { extraClaims: { agency: 'GD', agencyCode: 'GD', org: 'GD' } });
    const res = await t.gql(token, VIEWER);
    expect(res.body.data.viewer.agency.code).toBe('HK');
  });

  test('a symmetric (HS256) token is refused even when its secret is the public key text', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(TEST_AGENCIES));
    const hs = await new SignJWT({ roles: ['ANALYST'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'hk-1' })
      .setIssuer(issuerOf('HK'))
      .setAudience(TEST_AUDIENCE)
      .setSubject('x')
      .setExpirationTime('10m')
      .sign(secret);
    await expectUnauthenticated(`Bearer ${hs}`);
  });

  test('an unsigned (alg none) token is refused', async () => {
    const none = new UnsecuredJWT({ roles: ['ANALYST'] }).setIssuer(issuerOf('HK')).setAudience(TEST_AUDIENCE).setSubject('x').setExpirationTime('10m').encode();
    await expectUnauthenticated(`Bearer ${none}`);
  });

  test('a token with a tampered payload is refused', async () => {
    const [h, , s] = (await t.trust.token('HK', ['OBSERVER'])).split('.');
    const payload = Buffer.from(
      JSON.stringify({ roles: ['ADMIN'], iss: issuerOf('HK'), aud: TEST_AUDIENCE, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    await expectUnauthenticated(`Bearer ${h}.${payload}.${s}`);
  });

  test('a token expired beyond the 60 s clock tolerance is refused; within it, accepted', async () => {
    const msg = await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { expiresIn: -120 })}`);
    expect(msg).toMatch(/expired/);
    const res = await t.gql(await t.trust.token('HK', ['ANALYST'], { expiresIn: -20 }), VIEWER);
    expect(res.status).toBe(200);
  });

  test('a token whose lifetime exceeds HUB_MAX_TOKEN_TTL (24 h) is refused: exp in year 3000, 25 h; 23 h is accepted', async () => {
    const year3000 = Date.UTC(3000, 0, 1) / 1000 - Math.floor(Date.now() / 1000);
    const msg = await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { expiresIn: year3000 })}`);
    expect(msg).toMatch(/lifetime/);
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { expiresIn: 25 * 3600 })}`);
    // Issued 2 h ago for 25 h: 23 h are left, but the lifetime is what counts.
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { issuedAt: -2 * 3600, expiresIn: 23 * 3600 })}`);
    // An iat in the future cannot shorten the lifetime a token claims.
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { issuedAt: 24 * 3600, expiresIn: 25 * 3600 })}`);
    const ok = await t.gql(await t.trust.token('HK', ['ANALYST'], { expiresIn: 23 * 3600 }), VIEWER);
    expect(ok.status).toBe(200);
    expect(ok.body.data.viewer.agency.code).toBe('HK');
  });

  test('without iat the same rule holds for exp - now', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { issuedAt: null, expiresIn: 25 * 3600 })}`);
    const ok = await t.gql(await t.trust.token('HK', ['ANALYST'], { issuedAt: null, expiresIn: 23 * 3600 }), VIEWER);
    expect(ok.status).toBe(200);
  });

  test('HUB_MAX_TOKEN_TTL sets the bound', async () => {
    const short = await startTestHub({ trust: t.trust, shareDatabaseOf: t, env: { HUB_MAX_TOKEN_TTL: '1h' } });
    try {
      await expect(short.gql(await t.trust.token('HK', ['ANALYST'], { expiresIn: 2 * 3600 }), VIEWER)).resolves.toMatchObject({ status: 401 });
      await expect(short.gql(await t.trust.token('HK', ['ANALYST'], { expiresIn: 3000 }), VIEWER)).resolves.toMatchObject({ status: 200 });
    } finally {
      await short.stop();
    }
  });

  test('a token without exp is refused', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { expiresIn: null })}`);
  });

  test('a token without sub is refused', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { sub: null })}`);
  });

  test('a token for another audience is refused', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST'], { aud: 'some-other-service' })}`);
  });

  test('a roles claim that is missing, not an array, or names an unknown role is refused', async () => {
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', undefined, { roles: 'ANALYST' })}`);
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', ['ANALYST', 'SUPERUSER'])}`);
    await expectUnauthenticated(`Bearer ${await t.trust.token('HK', [{ role: 'ADMIN' }])}`);
  });

  test('a token signed with a key that is not in the JWKS is refused', async () => {
    const rogue = await generateKeyPair('ES256');
    const token = await new SignJWT({ roles: ['ANALYST'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'hk-1' })
      .setIssuer(issuerOf('HK'))
      .setAudience(TEST_AUDIENCE)
      .setSubject('x')
      .setExpirationTime('10m')
      .sign(rogue.privateKey);
    await expectUnauthenticated(`Bearer ${token}`);
  });

  test('an agency trusted through a remote JWKS (RS256) is accepted and appears in the agencies list', async () => {
    const res = await t.gql(await t.trust.token('PP', ['OBSERVER']), '{ viewer { agency { code name } } agencies { code } }');
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.agency).toEqual({ code: 'PP', name: 'Pan-Pearl River Delta Customs Liaison' });
    expect(res.body.data.agencies.map((a: { code: string }) => a.code)).toEqual(['GD', 'HK', 'MO', 'PP']);
  });

  test('health and readiness need no token', async () => {
    const base = t.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', pendingMigrations: [] });
  });
});

describe('agency identity over WebSocket', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.stop());

  /** Opens a raw graphql-ws socket, sends connection_init with the payload, and resolves with the close code or 'ack'. */
  function connect(payload: unknown): Promise<{ code: number | 'ack'; socket: WebSocket }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
      socket.on('message', (m) => {
        if (JSON.parse(String(m)).type === 'connection_ack') resolve({ code: 'ack', socket });
      });
      socket.on('close', (code) => resolve({ code, socket }));
      socket.on('error', reject);
    });
  }

  test('a socket without a token is closed with 4401', async () => {
    expect((await connect({})).code).toBe(4401);
  });

  test('a socket with a bad token is closed with 4403', async () => {
    expect((await connect({ authorization: 'Bearer nonsense.token.here' })).code).toBe(4403);
    expect((await connect({ authorization: `Bearer ${await t.trust.token('HK', ['ANALYST'], { keyOf: 'GD' })}` })).code).toBe(4403);
  });

  test('a socket with a valid token is acknowledged and runs operations as that agency', async () => {
    const client = t.ws(await t.trust.token('MO', ['OBSERVER']));
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: VIEWER }, { next: resolve, error: reject, complete: () => undefined });
    });
    expect(result.data.viewer.agency.code).toBe('MO');
  });

  test('a socket closes with 4403 when its token expires', async () => {
    const { code, socket } = await connect({ authorization: `Bearer ${await t.trust.token('HK', ['OBSERVER'], { expiresIn: 2 })}` });
    expect(code).toBe('ack');
    const closed = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(closed).toBe(4403);
  });
});

describe('configuration', () => {
  test('a bad value names the variable and what it expects', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT', 'a port number from 0 to 65535', 'eighty'));
    expect(() => loadConfig({ HUB_DEMO_DATA: 'maybe' })).toThrow(/HUB_DEMO_DATA: expected true or false/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected a postgres/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ HUB_HEAP_GROWING_PERCENT: '-5' })).toThrow(/HUB_HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HUB_WS_KEEPALIVE_SECONDS: '0' })).toThrow(/HUB_WS_KEEPALIVE_SECONDS/);
    expect(() => loadConfig({ HUB_WS_WRITE_SLICE: '0' })).toThrow(/HUB_WS_WRITE_SLICE/);
    // Each setting becomes a `-c` argument of the server: nothing but a plain name and value.
    for (const bad of ['track_commit_timestamp', 'fsync=off -c log_directory=/', 'a=b;c', 'x=', "work_mem='1GB'"]) {
      expect(() => loadConfig({ HUB_EMBEDDED_POSTGRES_SETTINGS: bad })).toThrow(/HUB_EMBEDDED_POSTGRES_SETTINGS: expected comma-separated PostgreSQL settings/);
    }
    expect(loadConfig({ HUB_EMBEDDED_POSTGRES_SETTINGS: 'track_commit_timestamp=on, work_mem=64MB' }).embeddedPostgresSettings).toEqual(['track_commit_timestamp=on', 'work_mem=64MB']);
    // The pool keeps at most what it may hold.
    expect(() => loadConfig({ HUB_DB_POOL_SIZE: '0' })).toThrow(/HUB_DB_POOL_SIZE/);
    expect(() => loadConfig({ HUB_DB_POOL_SIZE: '4', HUB_DB_POOL_KEEP: '5' })).toThrow(/HUB_DB_POOL_KEEP: expected a whole number from 0 to HUB_DB_POOL_SIZE \(4\)/);
    expect(loadConfig({ HUB_DB_POOL_SIZE: '4' })).toMatchObject({ dbPoolSize: 4, dbPoolKeep: 4 });
    expect(loadConfig({ HUB_DB_POOL_SIZE: '4', HUB_DB_POOL_KEEP: '0' })).toMatchObject({ dbPoolSize: 4, dbPoolKeep: 0 });
    for (const bad of ['forever', '0', '59', '31d', '-1h', '1.5h']) {
      expect(() => loadConfig({ HUB_MAX_TOKEN_TTL: bad })).toThrow(/HUB_MAX_TOKEN_TTL: expected seconds or a duration/);
    }
    expect(loadConfig({ HUB_MAX_TOKEN_TTL: '8h' }).maxTokenTtlSeconds).toBe(8 * 3600);
    expect(loadConfig({ HUB_MAX_TOKEN_TTL: '3600' }).maxTokenTtlSeconds).toBe(3600);
    expect(loadConfig({ HUB_MAX_TOKEN_TTL: '2d' }).maxTokenTtlSeconds).toBe(2 * 86_400);
    expect(loadConfig({})).toMatchObject({ dbEventPoolSize: 3 });
    expect(loadConfig({ HUB_DB_EVENT_POOL_SIZE: '5' })).toMatchObject({ dbEventPoolSize: 5 });
    expect(() => loadConfig({ HUB_DB_EVENT_POOL_SIZE: '0' })).toThrow(/HUB_DB_EVENT_POOL_SIZE/);
  });

  test('defaults: port 4000, data in .data, demo data on', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.dataDir).toMatch(/\.data$/);
    expect(c.demoData).toBe(true);
    expect(c.heapGrowingPercent).toBe(50);
    expect(c.wsKeepAliveSeconds).toBe(12);
    expect(c.wsWriteSlice).toBe(100);
    expect(c.embeddedPostgresSettings).toEqual([]);
    expect(c.dbPoolSize).toBe(10);
    expect(c.dbPoolKeep).toBe(10);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.maxTokenTtlSeconds).toBe(24 * 3600);
  });

  test('listening: loopback and /metrics on the main port in development; all interfaces and /metrics apart in production', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', metricsPort: undefined });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ host: '127.0.0.1', metricsPort: undefined });
    expect(loadConfig({ NODE_ENV: 'production', HUB_TRUST_CONFIG: 'trust.json', HUB_MATCH_KEY_SECRET: Buffer.alloc(32, 1).toString('base64') })).toMatchObject({ host: undefined, metricsPort: 9464, metricsHost: undefined });
    expect(loadConfig({ HOST: '0.0.0.0', HUB_METRICS_PORT: '9100', HUB_METRICS_HOST: '10.0.0.5' })).toMatchObject({ host: '0.0.0.0', metricsPort: 9100, metricsHost: '10.0.0.5' });
    expect(() => loadConfig({ HUB_METRICS_PORT: '70000' })).toThrow(/HUB_METRICS_PORT: expected a port number/);
  });
});
