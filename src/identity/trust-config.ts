import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config';

/** One agency the hub trusts, and where its signing keys are. */
export interface TrustedAgency {
  code: string;
  name: string;
  jurisdiction: string;
  /** The `iss` of this agency's tokens; an issuer only ever speaks for its own agency. */
  issuer: string;
  /** HTTPS (or, for local set-ups, HTTP) URL of the agency's JWKS. */
  jwksUri?: string;
  /** Absolute path of a JWKS file (resolved against the trust file's folder). */
  jwksFile?: string;
  /**
   * `sub`s of this agency's tokens that a federation router (or its composition pipeline)
   * uses: only they may read the subgraph SDL (`_service { sdl }`) while introspection is off.
   */
  routerSubjects?: string[];
  /**
   * The agency's tokens are refused while this is true; it has left the hub (see syncAgencies)
   * and rejoins when the flag is taken away. Default false.
   */
  suspended?: boolean;
  /**
   * How the console signs this agency's people in (OpenID Connect authorization code flow
   * with PKCE against the agency's own identity provider). Absent: the agency's people use
   * their own clients with tokens from elsewhere, and the console offers no sign-in for it.
   */
  oidc?: AgencyOidc;
}

/**
 * An agency's OpenID Connect settings for the console: a public client (no secret), so
 * everything here may be published to browsers (see publicSignInConfig).
 */
export interface AgencyOidc {
  /** The OpenID provider's issuer URL; its `/.well-known/openid-configuration` is read from here. */
  authority: string;
  /** The console's client id, registered at the agency's provider as a public client with PKCE. */
  clientId: string;
  /** Space-separated scopes asked for; always contains `openid`. Default `openid profile`. */
  scope: string;
  /**
   * RFC 8707 resource indicator sent with the authorization request, for providers that issue
   * an access token for the hub (with `aud` the hub's audience) only when asked by resource.
   */
  resource?: string;
}

/** Scopes asked for when an agency's `oidc` names none. */
export const DEFAULT_OIDC_SCOPE = 'openid profile';

const OIDC_KEYS = new Set(['authority', 'clientId', 'scope', 'resource']);
/** RFC 6749 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export interface TrustConfig {
  /** The `aud` every token must carry. */
  audience: string;
  agencies: TrustedAgency[];
}

const CODE = /^[A-Z][A-Z0-9]{1,15}$/;

function fail(path: string, what: string): never {
  throw new ConfigError('HUB_TRUST_CONFIG', `${what} (in ${path})`);
}

function str(v: unknown, max = 500): v is string {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max;
}

/**
 * Checks a trust configuration object. A fourth partner is one more entry here: agencies
 * are data, not code.
 * @param baseDir folder that relative `jwksFile` paths are resolved against.
 * @throws ConfigError naming HUB_TRUST_CONFIG and the first problem found.
 */
export function parseTrustConfig(raw: unknown, baseDir: string, source = 'trust config'): TrustConfig {
  if (typeof raw !== 'object' || raw === null) fail(source, 'a JSON object');
  const obj = raw as Record<string, unknown>;
  if (!str(obj.audience, 200)) fail(source, '"audience": a non-empty string');
  if (!Array.isArray(obj.agencies) || obj.agencies.length === 0) fail(source, '"agencies": a non-empty array');
  const codes = new Set<string>();
  const issuers = new Set<string>();
  const agencies = obj.agencies.map((a: unknown, i: number): TrustedAgency => {
    const at = `agencies[${i}]`;
    if (typeof a !== 'object' || a === null) fail(source, `${at}: an object`);
    const e = a as Record<string, unknown>;
    if (typeof e.code !== 'string' || !CODE.test(e.code)) fail(source, `${at}.code: 2 to 16 capital letters or digits`);
    if (!str(e.name, 200)) fail(source, `${at}.name: a non-empty string`);
    if (!str(e.jurisdiction, 200)) fail(source, `${at}.jurisdiction: a non-empty string`);
    if (!str(e.issuer)) fail(source, `${at}.issuer: a non-empty string`);
    if (codes.has(e.code)) fail(source, `${at}.code: unique, but ${e.code} appears twice`);
    if (issuers.has(e.issuer)) fail(source, `${at}.issuer: unique, one issuer speaks for one agency`);
    codes.add(e.code);
    issuers.add(e.issuer);
    const hasUri = e.jwksUri !== undefined;
    const hasFile = e.jwksFile !== undefined;
    if (hasUri === hasFile) fail(source, `${at}: exactly one of "jwksUri" or "jwksFile"`);
    if (hasUri) {
      let url: URL | undefined;
      try {
        url = new URL(String(e.jwksUri));
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail(source, `${at}.jwksUri: an http(s) URL`);
    } else if (!str(e.jwksFile, 1000)) {
      fail(source, `${at}.jwksFile: a path`);
    }
    if (e.routerSubjects !== undefined && (!Array.isArray(e.routerSubjects) || !e.routerSubjects.every((x) => str(x, 200)))) {
      fail(source, `${at}.routerSubjects: an array of token subjects (non-empty strings of at most 200 characters)`);
    }
    if (e.suspended !== undefined && typeof e.suspended !== 'boolean') fail(source, `${at}.suspended: true or false`);
    const oidc = e.oidc === undefined ? undefined : parseOidc(e.oidc, source, `${at}.oidc`);
    return {
      code: e.code,
      name: e.name.trim(),
      jurisdiction: e.jurisdiction.trim(),
      issuer: e.issuer,
      jwksUri: hasUri ? String(e.jwksUri) : undefined,
      jwksFile: hasFile ? resolve(baseDir, String(e.jwksFile)) : undefined,
      ...(e.routerSubjects !== undefined ? { routerSubjects: e.routerSubjects as string[] } : {}),
      ...(e.suspended === true ? { suspended: true } : {}),
      ...(oidc ? { oidc } : {}),
    };
  });
  return { audience: obj.audience.trim(), agencies };
}

/** An absolute http(s) URL without credentials or fragment, or undefined. */
function httpUrl(v: unknown): URL | undefined {
  if (typeof v !== 'string' || v.length > 1000) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.hash) return undefined;
  return url;
}

function parseOidc(v: unknown, source: string, at: string): AgencyOidc {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(source, `${at}: an object with "authority" and "clientId"`);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    // The console is a public client: a secret in this file would be published to every browser.
    if (/secret|password|private/i.test(key)) fail(source, `${at}.${key}: not allowed; the console is a public client (PKCE, no secret) and these settings are published`);
    if (!OIDC_KEYS.has(key)) fail(source, `${at}.${key}: unknown; expected only ${[...OIDC_KEYS].join(', ')}`);
  }
  const authority = httpUrl(o.authority);
  if (!authority || authority.search) fail(source, `${at}.authority: the identity provider's issuer, an http(s) URL without query, fragment or credentials`);
  if (!str(o.clientId, 200)) fail(source, `${at}.clientId: a non-empty string of at most 200 characters`);
  let scope = DEFAULT_OIDC_SCOPE;
  if (o.scope !== undefined) {
    const tokens = typeof o.scope === 'string' && o.scope.length <= 500 ? o.scope.split(' ').filter((t) => t !== '') : [];
    if (!tokens.every((t) => SCOPE_TOKEN.test(t)) || !tokens.includes('openid')) {
      fail(source, `${at}.scope: space-separated scopes including "openid"`);
    }
    scope = [...new Set(tokens)].join(' ');
  }
  let resource: string | undefined;
  if (o.resource !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof o.resource === 'string' && o.resource.length <= 1000 ? new URL(o.resource) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || url.hash) fail(source, `${at}.resource: an absolute URI without fragment (RFC 8707), e.g. "urn:gba-hub" or the hub's URL`);
    resource = o.resource as string;
  }
  // Kept as written: it must equal the provider's `issuer` for discovery to be accepted.
  return { authority: o.authority as string, clientId: (o.clientId as string).trim(), scope, ...(resource ? { resource } : {}) };
}

/** Reads and checks the trust configuration file named by HUB_TRUST_CONFIG. */
export function readTrustConfig(path: string): TrustConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('HUB_TRUST_CONFIG', 'a readable JSON file', path);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError('HUB_TRUST_CONFIG', 'valid JSON', path);
  }
  return parseTrustConfig(raw, dirname(path), path);
}
