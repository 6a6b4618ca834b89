import { createServer, type AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_AGENCIES, TEST_AUDIENCE, TestTrust } from '../support/identity';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';

/** A port nobody listens on now: the provider must know the hub's callback URL before the hub starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Access tokens live this long, so the console renews one about ten seconds after sign-in (60 s before expiry). */
const ACCESS_TOKEN_TTL = 70;

/** What oidc-client-ts keeps for the HK provider's client, parsed (null when signed out). */
async function storedUser(page: Page, idp: TestOidcProvider): Promise<{ access_token: string; refresh_token?: string; expires_at: number } | null> {
  const raw = (await page.evaluate(`sessionStorage.getItem(${JSON.stringify(`oidc.user:${idp.issuer}:${idp.clientId}`)})`)) as string | null;
  return raw ? JSON.parse(raw) : null;
}

async function signInAtProvider(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Stories of the console's production sign-in: a hub that trusts each agency's own identity
 * provider (a trust file, so no development sign-in), HK's being a real OpenID provider
 * started here, in a real Chromium.
 */
describe('console: production sign-in at the agency’s own OpenID provider', () => {
  let browser: Browser;
  let idp: TestOidcProvider;
  let t: TestHub;
  let hubOrigin: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const port = await freePort();
    hubOrigin = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({
      agency: 'HK',
      agencyName: 'Hong Kong Customs and Excise Department',
      audience: TEST_AUDIENCE,
      redirectUris: [`${hubOrigin}/auth/callback`],
      postLogoutRedirectUris: [`${hubOrigin}/`],
      accessTokenTtl: ACCESS_TOKEN_TTL,
    });
    // GD and MO trust entries without `oidc`: they are not offered on the sign-in page.
    const trust = await TestTrust.create(TEST_AGENCIES.filter((a) => a.code !== 'HK'), [idp.trustEntry()]);
    t = await startTestHub({ trust, env: { PORT: String(port), HUB_INTROSPECTION: 'false' } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await idp?.stop();
  });

  test('the hub offers only the agencies with a provider, issues no development tokens, and its CSP lets the console reach HK’s provider and nothing else', async () => {
    const config = (await (await fetch(consoleUrl(t, '/auth/config'))).json()) as { mode: string; agencies: { code: string; oidc?: Record<string, unknown> }[] };
    expect(config.mode).toBe('production');
    expect(config.agencies.find((a) => a.code === 'HK')?.oidc).toEqual({ authority: idp.issuer, clientId: idp.clientId, scope: 'openid profile', resource: idp.resource });
    expect(config.agencies.filter((a) => a.oidc).map((a) => a.code)).toEqual(['HK']);

    const dev = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency: 'HK', roles: ['ANALYST'] }) });
    expect(dev.status).toBe(403);
    expect(((await dev.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');

    for (const path of ['/', '/auth/callback']) {
      const res = await fetch(consoleUrl(t, path), { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const csp = Object.fromEntries(res.headers.get('content-security-policy')!.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
      expect(csp['connect-src']).toEqual(["'self'", `ws://127.0.0.1:${new URL(hubOrigin).port}`, idp.issuer]);
      expect(csp['form-action']).toEqual(["'self'", idp.issuer]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['default-src']).toEqual(["'self'"]);
    }
  });

  test('an HK analyst signs in at HK’s own provider, is HK ANALYST to the hub, keeps the token in this tab only, renews it silently, and signs out at the provider', async () => {
    const { context, page, problems } = await openConsole(browser, t);
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).origin));
    try {
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).waitFor();
      // No development sign-in on a production hub, and no agency without a provider.
      expect(await page.getByRole('radio').count()).toBe(0);
      expect(await page.getByRole('checkbox').count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Sign in at (GD|MO)/ }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in-oidc-agencies');

      // At HK's provider: its own page, its own form.
      await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).click();
      await page.getByLabel('Username').waitFor();
      expect(new URL(page.url()).origin).toBe(idp.issuer);
      const request = idp.authorizationRequests.at(-1)!;
      expect(request.get('code_challenge_method')).toBe('S256');
      expect(request.get('response_type')).toBe('code');
      expect(request.get('redirect_uri')).toBe(`${hubOrigin}/auth/callback`);
      expect(request.get('resource')).toBe(idp.resource);
      await screenshot(page, 'sign-in-oidc-provider');
      await page.getByLabel('Username').fill('hk.analyst');
      await page.getByLabel('Password').fill('hk.analyst-pass');
      await page.getByRole('button', { name: 'Sign in' }).click();

      // Back at the hub: the header shows what the hub says (viewer query), the callback's URL is gone.
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      await page.getByLabel('Agency: HK — Hong Kong Customs and Excise Department').waitFor();
      expect(await page.getByLabel('Roles').innerText()).toBe('Analyst');
      expect(new URL(page.url()).pathname).toBe('/live');
      expect(await page.evaluate('history.length')).toBeLessThanOrEqual(4);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in-oidc-signed-in');

      // The provider's tokens are in this tab's sessionStorage, nowhere else; no cookie of the hub's.
      const user = await storedUser(page, idp);
      expect(user?.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const local = (await page.evaluate('JSON.stringify(Object.fromEntries(Object.entries(localStorage)))')) as string;
      expect(local).not.toContain(user!.access_token.split('.')[2]);
      expect(await page.evaluate(`sessionStorage.getItem('gba-hub.session')`)).toBeNull();
      const cookies = await context.cookies(hubOrigin);
      expect(cookies.map((c) => c.value).join(' ')).not.toContain(user!.access_token.split('.')[2]);
      // The hub accepts that very token for HK ANALYST.
      const viewer = await t.gql(user!.access_token, '{ viewer { subject roles agency { code } } }');
      expect(viewer.body.data.viewer).toEqual({ subject: 'hk.analyst', roles: ['ANALYST'], agency: { code: 'HK' } });

      // About a minute before expiry the console renews by refresh token, and carries on with the new one.
      // (Polled from here: the page's CSP forbids the eval that waitForFunction with a string needs.)
      const deadline = Date.now() + 30_000;
      while ((await storedUser(page, idp))?.access_token === user!.access_token) {
        if (Date.now() > deadline) throw new Error('the access token was not renewed');
        await page.waitForTimeout(250);
      }
      const renewed = await storedUser(page, idp);
      expect(renewed!.expires_at).toBeGreaterThan(user!.expires_at);
      await page.getByRole('menuitem', { name: 'Alerts' }).click();
      await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await page.getByLabel('Agency: HK — Hong Kong Customs and Excise Department').waitFor();

      // Sign-out ends the provider's session too (its end-session page), and comes back to the console.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(new URL(page.url()).origin).toBe(idp.issuer);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).waitFor();
      expect(new URL(page.url()).origin).toBe(hubOrigin);
      expect(await storedUser(page, idp)).toBeNull();
      // The provider asks for the password again.
      await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).click();
      await page.getByLabel('Password').waitFor();

      expect([...hosts].sort()).toEqual([hubOrigin, idp.issuer].sort());
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('a wrong password keeps the person at HK’s provider, not signed in', async () => {
    const { context, page, problems } = await openConsole(browser, t);
    try {
      await signInAtProvider(page, 'hk.analyst', 'not-the-password');
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
      expect(new URL(page.url()).origin).toBe(idp.issuer);
      await page.goto(consoleUrl(t, '/'));
      await page.getByRole('button', { name: 'Sign in at HK — Hong Kong Customs and Excise Department' }).waitFor();
      expect(await storedUser(page, idp)).toBeNull();
      // The provider answers the refused form with 401, which Chromium reports as a failed load.
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('when renewal fails (the provider is gone) the console signs out cleanly and says so', async () => {
    const { context, page, problems } = await openConsole(browser, t);
    try {
      await signInAtProvider(page, 'hk.duty', 'hk.duty-pass');
      await page.getByLabel('Agency: HK — Hong Kong Customs and Excise Department').waitFor();
      expect(await page.getByLabel('Roles').innerText()).toBe('Observer');
      await idp.stop();
      await page.getByText('Your session ended. Sign in again.').waitFor({ timeout: 30_000 });
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await storedUser(page, idp)).toBeNull();
      expect(await page.getByRole('navigation', { name: 'Main navigation' }).count()).toBe(0);
      await screenshot(page, 'sign-in-oidc-renewal-failed');
      // The renewal's request to the stopped provider fails: Chromium logs that one, and only that.
      expect(problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
