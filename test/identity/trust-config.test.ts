import { ConfigError } from '../../src/config';
import { publicSignInConfig } from '../../src/identity/sign-in-config';
import { parseTrustConfig } from '../../src/identity/trust-config';

/** A trust file with one agency whose entry carries `oidc`, plus one without. */
function trustWith(oidc: unknown, extra: Record<string, unknown> = {}) {
  return {
    audience: 'gba-hub',
    agencies: [
      { code: 'HK', name: 'Hong Kong Customs and Excise Department', jurisdiction: 'Hong Kong SAR', issuer: 'https://idp.customs.gov.hk', jwksUri: 'https://idp.customs.gov.hk/jwks.json', routerSubjects: ['svc-router'], ...(oidc === undefined ? {} : { oidc }), ...extra },
      { code: 'MO', name: 'Macao Customs Service', jurisdiction: 'Macao SAR', issuer: 'https://idp.customs.gov.mo', jwksFile: 'mo.jwks.json' },
    ],
  };
}

const parse = (raw: unknown) => parseTrustConfig(raw, '/etc/hub', 'trust.json');

describe('an agency’s OpenID Connect settings in the trust file', () => {
  test('authority and client id are enough; the scope defaults to "openid profile"', () => {
    const trust = parse(trustWith({ authority: 'https://idp.customs.gov.hk', clientId: 'gba-hub-console' }));
    expect(trust.agencies[0].oidc).toEqual({ authority: 'https://idp.customs.gov.hk', clientId: 'gba-hub-console', scope: 'openid profile' });
    expect(trust.agencies[1].oidc).toBeUndefined();
  });

  test('a scope and an RFC 8707 resource are kept; repeated scopes are said once', () => {
    const trust = parse(trustWith({ authority: 'http://127.0.0.1:4000/realms/hk', clientId: 'console', scope: 'openid  email openid offline_access', resource: 'urn:gba-hub' }));
    expect(trust.agencies[0].oidc).toEqual({ authority: 'http://127.0.0.1:4000/realms/hk', clientId: 'console', scope: 'openid email offline_access', resource: 'urn:gba-hub' });
  });

  test.each([
    ['not an object', 'https://idp', /agencies\[0\]\.oidc: an object/],
    ['an array', [], /agencies\[0\]\.oidc: an object/],
    ['no authority', { clientId: 'c' }, /oidc\.authority: the identity provider's issuer/],
    ['an authority that is no URL', { authority: 'idp.customs.gov.hk', clientId: 'c' }, /oidc\.authority/],
    ['an authority of another scheme', { authority: 'ftp://idp.customs.gov.hk', clientId: 'c' }, /oidc\.authority/],
    ['an authority with credentials', { authority: 'https://user:pw@idp.customs.gov.hk', clientId: 'c' }, /oidc\.authority/],
    ['an authority with a query', { authority: 'https://idp.customs.gov.hk/?tenant=1', clientId: 'c' }, /oidc\.authority/],
    ['an authority with a fragment', { authority: 'https://idp.customs.gov.hk/#x', clientId: 'c' }, /oidc\.authority/],
    ['no client id', { authority: 'https://idp.customs.gov.hk' }, /oidc\.clientId: a non-empty string/],
    ['a blank client id', { authority: 'https://idp.customs.gov.hk', clientId: '  ' }, /oidc\.clientId/],
    ['a client id of 201 characters', { authority: 'https://idp.customs.gov.hk', clientId: 'c'.repeat(201) }, /oidc\.clientId/],
    ['a scope without openid', { authority: 'https://idp.customs.gov.hk', clientId: 'c', scope: 'profile' }, /oidc\.scope: space-separated scopes including "openid"/],
    ['a scope that is no string', { authority: 'https://idp.customs.gov.hk', clientId: 'c', scope: ['openid'] }, /oidc\.scope/],
    ['a scope with a quote', { authority: 'https://idp.customs.gov.hk', clientId: 'c', scope: 'openid "x"' }, /oidc\.scope/],
    ['a resource that is no URI', { authority: 'https://idp.customs.gov.hk', clientId: 'c', resource: 'gba hub' }, /oidc\.resource: an absolute URI/],
    ['a resource with a fragment', { authority: 'https://idp.customs.gov.hk', clientId: 'c', resource: 'https://hub.example/#api' }, /oidc\.resource/],
    ['a client secret', { authority: 'https://idp.customs.gov.hk', clientId: 'c', clientSecret: 's3cret' }, /oidc\.clientSecret: not allowed; the console is a public client/],
    ['a misspelt key', { authority: 'https://idp.customs.gov.hk', clientID: 'c' }, /oidc\.clientID: unknown; expected only authority, clientId, scope, resource/],
  ])('%s is refused with a ConfigError naming the field', (_what, oidc, message) => {
    let error: unknown;
    try {
      parse(trustWith(oidc));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^HUB_TRUST_CONFIG: expected /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/\(in trust\.json\)/);
  });

  test('the published sign-in settings carry names and OIDC settings only, and leave suspended agencies out', () => {
    const trust = parse(trustWith({ authority: 'https://idp.customs.gov.hk', clientId: 'gba-hub-console', resource: 'urn:gba-hub' }));
    expect(publicSignInConfig(trust)).toEqual([
      { code: 'HK', name: 'Hong Kong Customs and Excise Department', oidc: { authority: 'https://idp.customs.gov.hk', clientId: 'gba-hub-console', scope: 'openid profile', resource: 'urn:gba-hub' } },
      { code: 'MO', name: 'Macao Customs Service' },
    ]);
    const text = JSON.stringify(publicSignInConfig(trust));
    for (const hidden of ['jwks', 'svc-router', 'issuer', 'Hong Kong SAR']) expect(text).not.toContain(hidden);
    const suspended = parse(trustWith({ authority: 'https://idp.customs.gov.hk', clientId: 'gba-hub-console' }, { suspended: true }));
    expect(publicSignInConfig(suspended).map((a) => a.code)).toEqual(['MO']);
  });
});
