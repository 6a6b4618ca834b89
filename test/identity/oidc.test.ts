import { decodeJwt, decodeProtectedHeader } from 'jose';
import { publicSignInConfig } from '../../src/identity/sign-in-config';
import { startTestHub, type TestHub } from '../support/hub';
import { TestTrust, TEST_AGENCIES } from '../support/identity';
import { authorize, exchangeCode, signIn, startOidcProvider, tokenRequest, type TestOidcProvider } from '../support/oidc-provider';

const VIEWER = '{ viewer { subject roles agency { code } } }';
const REDIRECT = 'http://127.0.0.1:9/auth/callback';

describe('production sign-in: authorization code flow with PKCE at the agency’s own OpenID provider', () => {
  let idp: TestOidcProvider;
  let t: TestHub;
  let trust: TestTrust;

  beforeAll(async () => {
    idp = await startOidcProvider({ agency: 'HK', agencyName: 'Hong Kong Customs and Excise Department', audience: 'gba-hub-test', redirectUris: [REDIRECT] });
    trust = await TestTrust.create(TEST_AGENCIES.filter((a) => a.code !== 'HK'), [idp.trustEntry()]);
    t = await startTestHub({ trust });
  });
  afterAll(async () => {
    await t?.stop();
    await idp?.stop();
  });

  test('an HK analyst signs in at the HK provider and the hub knows them as HK with the roles the provider gave', async () => {
    const tokens = await signIn(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT });
    expect(tokens.token_type).toBe('Bearer');
    // A JWT access token for the hub, as the agency's provider issues it.
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'gba-hub-test', sub: 'hk.analyst', roles: ['ANALYST'], client_id: idp.clientId });
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(decodeJwt(tokens.id_token)).toMatchObject({ iss: idp.issuer, aud: idp.clientId, sub: 'hk.analyst', name: 'HK Analyst' });
    const res = await t.gql(tokens.access_token, VIEWER);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.viewer).toEqual({ subject: 'hk.analyst', roles: ['ANALYST'], agency: { code: 'HK' } });
  });

  test('an HK duty officer is an OBSERVER at the hub', async () => {
    const tokens = await signIn(idp, { username: 'hk.duty', password: 'hk.duty-pass', redirectUri: REDIRECT });
    const res = await t.gql(tokens.access_token, VIEWER);
    expect(res.body.data.viewer).toEqual({ subject: 'hk.duty', roles: ['OBSERVER'], agency: { code: 'HK' } });
  });

  test('a wrong password shows the sign-in form again and no code is issued', async () => {
    const flow = await authorize(idp, { username: 'hk.analyst', password: 'not-it', redirectUri: REDIRECT });
    expect(flow.callback).toBeUndefined();
    expect(flow.stoppedAt?.status).toBe(401);
    expect(flow.stoppedAt?.body).toMatch(/Wrong username or password/);
  });

  test('the code is bound to its PKCE verifier: another verifier, or none, is refused', async () => {
    const flow = await authorize(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT });
    expect(flow.callback?.get('state')).toBe(flow.state);
    await expect(exchangeCode(idp, flow, REDIRECT, 'x'.repeat(43))).rejects.toThrow(/invalid_grant/);
    // A code is spent by its first exchange, right or wrong: a fresh one for the second try.
    const again = await authorize(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT });
    const { status, body } = await tokenRequest(idp, { grant_type: 'authorization_code', code: again.callback!.get('code')!, redirect_uri: REDIRECT });
    expect(status).toBe(400);
    expect(body.error).toMatch(/invalid_(grant|request)/);
  });

  test('an authorization request without a PKCE challenge is sent back with an error, before any sign-in', async () => {
    const flow = await authorize(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT, pkce: false });
    expect(flow.callback?.get('code')).toBeNull();
    expect(flow.callback?.get('error')).toBe('invalid_request');
    expect(flow.callback?.get('error_description')).toMatch(/PKCE/);
  });

  test('an access token the same provider issued for another API is refused by the hub', async () => {
    const tokens = await signIn(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT, resource: idp.otherResource });
    const res = await t.gql(tokens.access_token, VIEWER);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors[0].message).toMatch(/"aud"/);
  });

  test('the ID token is not a bearer token for the hub', async () => {
    const tokens = await signIn(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT });
    const res = await t.gql(tokens.id_token, VIEWER);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('without a resource the provider issues no token for the hub, and the hub refuses what it got', async () => {
    const tokens = await signIn(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT, resource: null });
    const res = await t.gql(tokens.access_token, VIEWER);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a refresh token renews the access token once: it rotates, and the spent one is refused', async () => {
    const tokens = await signIn(idp, { username: 'hk.analyst', password: 'hk.analyst-pass', redirectUri: REDIRECT });
    expect(tokens.refresh_token).toBeTruthy();
    const renewed = await tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(tokens.access_token);
    expect(renewed.body.refresh_token).not.toBe(tokens.refresh_token);
    const res = await t.gql(renewed.body.access_token, VIEWER);
    expect(res.body.data.viewer).toEqual({ subject: 'hk.analyst', roles: ['ANALYST'], agency: { code: 'HK' } });
    const replay = await tokenRequest(idp, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
  });

  test('the published sign-in settings name this provider, and its discovery document agrees', async () => {
    const published = publicSignInConfig(t.hub.trust);
    const hk = published.find((a) => a.code === 'HK')!;
    expect(hk).toEqual({ code: 'HK', name: 'Hong Kong Customs and Excise Department', oidc: { authority: idp.issuer, clientId: idp.clientId, scope: 'openid profile', resource: idp.resource } });
    expect(published.find((a) => a.code === 'GD')).toEqual({ code: 'GD', name: TEST_AGENCIES[0].name });
    const meta = (await (await fetch(`${hk.oidc!.authority}/.well-known/openid-configuration`)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
    expect(meta.issuer).toBe(hk.oidc!.authority);
    expect(meta.code_challenge_methods_supported).toContain('S256');
  });
});
