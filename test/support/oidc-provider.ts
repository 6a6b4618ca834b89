import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
// ES modules only: jest transforms it (see transformIgnorePatterns), Node 20.19+ requires it.
import type { Configuration } from 'oidc-provider';

/** A person at the agency's identity provider. */
export interface OidcTestUser {
  username: string;
  password: string;
  /** The `name` claim (scope `profile`). */
  name: string;
  /** The hub roles put into the access token's `roles` claim. */
  roles: string[];
}

/** The people every test provider knows, for agency `code` (e.g. `hk.analyst` / `hk.analyst-pass`). */
export function defaultOidcUsers(code: string): OidcTestUser[] {
  const c = code.toLowerCase();
  return [
    { username: `${c}.analyst`, password: `${c}.analyst-pass`, name: `${code} Analyst`, roles: ['ANALYST'] },
    { username: `${c}.duty`, password: `${c}.duty-pass`, name: `${code} Duty Officer`, roles: ['OBSERVER'] },
    { username: `${c}.coordinator`, password: `${c}.coordinator-pass`, name: `${code} Coordinator`, roles: ['COORDINATOR'] },
    { username: `${c}.admin`, password: `${c}.admin-pass`, name: `${code} Administrator`, roles: ['ADMIN', 'ANALYST'] },
  ];
}

export interface OidcProviderOptions {
  /** The agency this provider speaks for (trust entry code). Default `HK`. */
  agency?: string;
  /** Name and jurisdiction for the trust entry. */
  agencyName?: string;
  jurisdiction?: string;
  /** The hub's trust `audience`: the `aud` of access tokens issued for `resource`. */
  audience: string;
  /** Where the console may be sent back to with a code (exact match), e.g. `http://127.0.0.1:PORT/auth/callback`. */
  redirectUris: string[];
  /** Where the console may be sent after signing out at the provider. Default none. */
  postLogoutRedirectUris?: string[];
  /** Default `gba-hub-console`. */
  clientId?: string;
  /** RFC 8707 resource indicator of the hub. Default `urn:gba-hub`. */
  resource?: string;
  /** Access token lifetime in seconds (short ones test expiry). Default 600. */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds. Default 3600. */
  refreshTokenTtl?: number;
  /** Default defaultOidcUsers(agency). */
  users?: OidcTestUser[];
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:PORT`: the `iss` of its tokens and the OIDC authority. */
  issuer: string;
  jwksUri: string;
  clientId: string;
  /** The hub's resource indicator: ask for it (`resource=`) to get an access token for the hub. */
  resource: string;
  /**
   * Another API this provider issues JWT access tokens for (`aud` `urn:other-api`), signed with
   * the same key and carrying the same `roles`: the hub must refuse them.
   */
  otherResource: string;
  users: OidcTestUser[];
  /** An agency entry for a trust file: `jwksUri` and `issuer` of this provider, and `oidc`. */
  trustEntry(): Record<string, unknown>;
  /** Authorization requests seen (their query parameters), newest last: to check what a client sent. */
  authorizationRequests: URLSearchParams[];
  stop(): Promise<void>;
}

/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1 and a port of its own, as
 * one agency's identity provider: one public client (no secret, PKCE S256 required, code flow,
 * refresh tokens that rotate), ES256 keys, JWT access tokens for the hub's resource carrying
 * `roles`, and a plain sign-in form (labels "Username", "Password", button "Sign in") at
 * `/interaction/:uid`. Consent is given at once, as for a first-party application.
 */
export async function startOidcProvider(o: OidcProviderOptions): Promise<TestOidcProvider> {
  const { default: Provider, errors } = await quietly(() => import('oidc-provider'));
  const agency = o.agency ?? 'HK';
  const clientId = o.clientId ?? 'gba-hub-console';
  const resource = o.resource ?? 'urn:gba-hub';
  const otherResource = 'urn:other-api';
  const users = o.users ?? defaultOidcUsers(agency);
  const byName = new Map(users.map((u) => [u.username, u]));
  const accessTokenTtl = o.accessTokenTtl ?? 600;
  const authorizationRequests: URLSearchParams[] = [];

  // Listen first: the issuer names the port.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `${agency.toLowerCase()}-idp-1`, alg: 'ES256', use: 'sig' };
  const origins = new Set([...o.redirectUris, ...(o.postLogoutRedirectUris ?? [])].map((u) => new URL(u).origin));

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: o.redirectUris,
        post_logout_redirect_uris: o.postLogoutRedirectUris ?? [],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    // A public client must prove the code is its own (the package's default too: said here).
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    async findAccount(_ctx, sub) {
      const user = byName.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: user.name, preferred_username: user.username }) };
    },
    // The hub reads the agency's roles from the access token.
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      return { roles: byName.get(token.accountId)?.roles ?? [] };
    },
    // The console renews with a refresh token (rotated at each use) rather than a hidden iframe.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, origin) => origins.has(origin),
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: accessTokenTtl,
      RefreshToken: o.refreshTokenTtl ?? 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      // The provider's own sign-out page, asked for by the console's sign-out (end_session):
      // a plain page of ours, since the package's default loads a web font from outside.
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page(
            `Sign out of ${agency}`,
            `<h1>Sign out of the ${escape(agency)} identity provider?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Signed out', `<h1>Signed out of the ${escape(agency)} identity provider</h1>`);
        },
      },
      resourceIndicators: {
        enabled: true,
        // The token request need not repeat the resource asked for at the authorization endpoint.
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, indicator) {
          const jwt = { accessTokenFormat: 'jwt' as const, accessTokenTTL: accessTokenTtl, jwt: { sign: { alg: 'ES256' as const } } };
          if (indicator === resource) return { scope: 'hub', audience: o.audience, ...jwt };
          if (indicator === otherResource) return { scope: 'hub', audience: 'urn:other-api', ...jwt };
          throw new errors.InvalidTarget();
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sign-in error</h1><p role="alert">${escape(String(out.error))}: ${escape(String(out.error_description ?? ''))}</p>`);
    },
  };
  const provider = await quietly(async () => new Provider(issuer, configuration));
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.InvalidRequest('interaction mismatch');
    if (action === 'abort') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled' }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      if (action !== 'login' || req.method !== 'POST') {
        sendLoginForm(res, uid, 200);
        return;
      }
      const form = new URLSearchParams(await readBody(req));
      const user = byName.get(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) {
        sendLoginForm(res, uid, 401, 'Wrong username or password.');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'consent') {
      // A first-party client: grant what it asked for without a second page.
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new errors.InvalidRequest(`unexpected prompt ${details.prompt.name}`);
  }

  function sendLoginForm(res: ServerResponse, uid: string, status: number, error?: string): void {
    res.statusCode = status;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(
      page(
        `Sign in to ${agency}`,
        `<h1>${escape(agency)} identity provider</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
  <label for="username">Username</label> <input id="username" name="username" required>
  <label for="password">Password</label> <input id="password" name="password" type="password" required>
  <button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Cancel</a></p>`,
      ),
    );
  }

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(url.pathname);
    if (m) {
      interaction(req, res, m[1], m[2]).catch((e) => {
        if (res.headersSent) return;
        res.statusCode = 400;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(page('Sign-in error', `<p role="alert">${escape(e instanceof Error ? e.message : String(e))}</p>`));
      });
      return;
    }
    if (url.pathname === '/auth') authorizationRequests.push(url.searchParams);
    callback(req, res);
  };

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    clientId,
    resource,
    otherResource,
    users,
    authorizationRequests,
    trustEntry: () => ({
      code: agency,
      name: o.agencyName ?? `${agency} Customs`,
      jurisdiction: o.jurisdiction ?? `${agency} jurisdiction`,
      issuer,
      jwksUri: `${issuer}/jwks`,
      oidc: { authority: issuer, clientId, resource },
    }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Runs `f` without two warnings the package always prints here: oidc-provider 9 lists Node 22+
 * (it runs on the Node 20.19+ the hub supports, as these tests show), and its in-memory store is
 * what a test provider wants. Any other warning is printed.
 */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/.test(args[0])) return;
    warn(...args);
  };
  try {
    return await f();
  } finally {
    console.warn = warn;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  // An icon of its own: without it the browser asks for /favicon.ico, and logs the 404 as an error.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

/** What the token endpoint answered. */
export interface OidcTokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

export interface CodeFlowOptions {
  username: string;
  password: string;
  redirectUri: string;
  /** Default `openid profile`. */
  scope?: string;
  /** RFC 8707 resource; default the provider's hub resource; null sends none. */
  resource?: string | null;
  /** false sends no code_challenge (the provider must refuse: PKCE is required). */
  pkce?: boolean;
}

/** Where the browser ended up: the redirect back to the client, or a page the provider showed. */
export interface CodeFlowResult {
  /** Query parameters of the redirect to `redirectUri` (`code` and `state`, or `error`). */
  callback?: URLSearchParams;
  /** Status of the last page when the flow stopped at the provider (e.g. a refused sign-in). */
  stoppedAt?: { status: number; body: string };
  state: string;
  verifier: string;
}

/**
 * Walks the authorization code flow with PKCE as a browser would, over plain HTTP: discovery,
 * the authorization request, the provider's redirects (with its cookies), the sign-in form.
 * Stops at the redirect back to the client. Exchange the code with exchangeCode.
 */
export async function authorize(p: TestOidcProvider, o: CodeFlowOptions): Promise<CodeFlowResult> {
  const meta = await discover(p.issuer);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: p.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri,
    scope: o.scope ?? 'openid profile',
    state,
    nonce: randomBytes(16).toString('base64url'),
    ...(o.pkce === false ? {} : { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }),
    ...(o.resource === null ? {} : { resource: o.resource ?? p.resource }),
  }).toString();

  const jar = new Map<string, string>();
  let next: { url: string; init: RequestInit } = { url: url.toString(), init: {} };
  for (let hops = 0; hops < 20; hops++) {
    const res = await fetch(next.url, { ...next.init, redirect: 'manual', headers: { ...(next.init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location')!, next.url);
      await res.arrayBuffer();
      if (location.toString().startsWith(o.redirectUri)) return { callback: location.searchParams, state, verifier };
      next = { url: location.toString(), init: {} };
      continue;
    }
    const body = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(body);
    // The sign-in page: fill it in once; shown again, it refused the password.
    if (res.status === 200 && form && !next.init.method) {
      next = {
        url: new URL(form[1].replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n))), next.url).toString(),
        init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: o.username, password: o.password }).toString() },
      };
      continue;
    }
    return { stoppedAt: { status: res.status, body }, state, verifier };
  }
  throw new Error('too many redirects');
}

/** POSTs to the token endpoint as a public client; returns the status and the JSON answer. */
export async function tokenRequest(p: TestOidcProvider, params: Record<string, string>): Promise<{ status: number; body: any }> {
  const meta = await discover(p.issuer);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: p.clientId, ...params }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

/** Exchanges the code of a completed authorize() with its PKCE verifier. @throws when refused. */
export async function exchangeCode(p: TestOidcProvider, flow: CodeFlowResult, redirectUri: string, verifier = flow.verifier): Promise<OidcTokens> {
  const code = flow.callback?.get('code');
  if (!code) throw new Error(`no code: ${flow.callback?.toString() ?? flow.stoppedAt?.status}`);
  const { status, body } = await tokenRequest(p, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
  if (status !== 200) throw new Error(`token endpoint answered ${status}: ${JSON.stringify(body)}`);
  return body as OidcTokens;
}

/** The whole flow for one user: sign in, exchange the code. */
export async function signIn(p: TestOidcProvider, o: CodeFlowOptions): Promise<OidcTokens> {
  return exchangeCode(p, await authorize(p, o), o.redirectUri);
}

async function discover(issuer: string): Promise<{ issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string; end_session_endpoint?: string }> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  return (await res.json()) as any;
}
