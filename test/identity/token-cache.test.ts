/*
 * The verified-token cache: a client's next requests skip the ES256 signature check, and it
 * never accepts a token that verifying it again would refuse (past its `exp`, refused for any
 * other reason, of a suspended agency). Signature checks are counted on jose's jwtVerify.
 */
jest.mock('jose', () => {
  const actual = jest.requireActual('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});

import { jwtVerify } from 'jose';
import { Role } from '../../src/common/enums';
import { UnauthenticatedError } from '../../src/common/errors';
import { loadConfig } from '../../src/config';
import { SuspendedAgencyError, TokenVerifier, type TokenRules } from '../../src/identity/token-verifier';
import { readTrustConfig } from '../../src/identity/trust-config';
import { TestTrust } from '../support/identity';

const verifications = jwtVerify as unknown as jest.Mock;

describe('verified-token cache', () => {
  let trust: TestTrust;

  beforeAll(async () => {
    trust = await TestTrust.create();
  });
  beforeEach(() => verifications.mockClear());
  afterEach(() => jest.useRealTimers());

  function verifier(rules: TokenRules = {}): TokenVerifier {
    return new TokenVerifier(readTrustConfig(trust.path), {}, rules);
  }

  /** Only the clock moves: timers, promises and crypto run as usual. */
  function fakeClock(now: number): void {
    jest.useFakeTimers({
      now,
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
  }

  test('the same token string verifies its signature once; each request gets a Viewer of its own', async () => {
    const v = verifier();
    const token = await trust.token('HK', ['ANALYST', 'OBSERVER']);
    const first = await v.verify(token);
    first.roles.push(Role.ADMIN);
    const second = await v.verify(token);
    const third = await v.verifyAuthorization(`Bearer ${token}`);
    expect(verifications).toHaveBeenCalledTimes(1);
    expect(second).toEqual({ subject: 'hk-officer-1', agencyCode: 'HK', roles: ['ANALYST', 'OBSERVER'], expiresAt: first.expiresAt });
    expect(third).toEqual(second);
    expect(third).not.toBe(second);
    // Another token of the same officer is another entry.
    await v.verify(await trust.token('HK', ['ANALYST']));
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  test('a kept token past its exp (and the clock tolerance) is refused', async () => {
    const start = Date.now();
    fakeClock(start);
    const v = verifier({ cacheSeconds: 300 });
    const token = await trust.token('GD', ['ANALYST'], { expiresIn: 120 });
    await v.verify(token);
    jest.setSystemTime(start + 100_000);
    await v.verify(token);
    expect(verifications).toHaveBeenCalledTimes(1);
    // Kept for 300 s, but expired 120 s after it was issued and past jose's 60 s tolerance.
    jest.setSystemTime(start + 185_000);
    await expect(v.verify(token)).rejects.toThrow(new UnauthenticatedError('token expired'));
    await expect(v.verify(token)).rejects.toThrow(new UnauthenticatedError('token expired'));
    expect(verifications).toHaveBeenCalledTimes(3);
  });

  test('a kept token is verified again after the cache time (60 s by default)', async () => {
    const start = Date.now();
    fakeClock(start);
    const v = verifier();
    const token = await trust.token('MO', ['OBSERVER'], { expiresIn: 600 });
    await v.verify(token);
    jest.setSystemTime(start + 59_000);
    await v.verify(token);
    expect(verifications).toHaveBeenCalledTimes(1);
    jest.setSystemTime(start + 61_000);
    await v.verify(token);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  test('a refused token is not kept: it is verified, and refused, every time', async () => {
    const v = verifier({ maxTtlSeconds: 3600 });
    const badRoles = await trust.token('HK', ['ANALYST', 'SUPERUSER']);
    const tooLong = await trust.token('HK', ['ANALYST'], { expiresIn: 2 * 3600 });
    const badSubject = await trust.token('HK', ['ANALYST'], { sub: ' ' });
    for (let i = 0; i < 2; i++) {
      await expect(v.verify(badRoles)).rejects.toThrow(/token "roles" must be an array of Role names/);
      await expect(v.verify(tooLong)).rejects.toThrow(/token lifetime \(exp - iat\) exceeds the hub's maximum of 3600 s/);
      await expect(v.verify(badSubject)).rejects.toThrow(/token "sub" must be a non-empty string/);
    }
    expect(verifications).toHaveBeenCalledTimes(6);
  });

  test("a suspended agency's token is refused every time, and logged every time", async () => {
    const lines: unknown[] = [];
    trust.rewrite({ suspended: ['HK'] });
    try {
      const v = verifier({ log: { info: (o: unknown) => void lines.push(o) } as never });
      const token = await trust.token('HK', ['ANALYST']);
      await expect(v.verify(token)).rejects.toThrow(SuspendedAgencyError);
      await expect(v.verify(token)).rejects.toThrow(SuspendedAgencyError);
      expect(verifications).toHaveBeenCalledTimes(2);
      expect(lines).toHaveLength(2);
      // Its partners' tokens are kept as usual.
      const gd = await trust.token('GD', ['ANALYST']);
      await v.verify(gd);
      await v.verify(gd);
      expect(verifications).toHaveBeenCalledTimes(3);
    } finally {
      trust.rewrite();
    }
  });

  test('the number of tokens kept is bounded, the oldest going first; cacheSeconds 0 keeps none', async () => {
    const v = verifier({ cacheEntries: 2 });
    const [a, b, c] = await Promise.all([trust.token('GD'), trust.token('HK'), trust.token('MO')]);
    for (const token of [a, b, c]) await v.verify(token);
    expect(verifications).toHaveBeenCalledTimes(3);
    await v.verify(c);
    await v.verify(b);
    expect(verifications).toHaveBeenCalledTimes(3);
    await v.verify(a);
    expect(verifications).toHaveBeenCalledTimes(4);

    verifications.mockClear();
    const none = verifier({ cacheSeconds: 0 });
    await none.verify(a);
    await none.verify(a);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  test('HUB_TOKEN_CACHE_SECONDS: 60 by default, 0 to 300', () => {
    expect(loadConfig({}).tokenCacheSeconds).toBe(60);
    expect(loadConfig({ HUB_TOKEN_CACHE_SECONDS: '0' }).tokenCacheSeconds).toBe(0);
    expect(loadConfig({ HUB_TOKEN_CACHE_SECONDS: '300' }).tokenCacheSeconds).toBe(300);
    for (const bad of ['301', '-1', '1m', 'x']) {
      expect(() => loadConfig({ HUB_TOKEN_CACHE_SECONDS: bad })).toThrow(/HUB_TOKEN_CACHE_SECONDS: expected a whole number from 0 to 300/);
    }
  });
});
