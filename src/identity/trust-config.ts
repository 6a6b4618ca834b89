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
}

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
    return {
      code: e.code,
      name: e.name.trim(),
      jurisdiction: e.jurisdiction.trim(),
      issuer: e.issuer,
      jwksUri: hasUri ? String(e.jwksUri) : undefined,
      jwksFile: hasFile ? resolve(baseDir, String(e.jwksFile)) : undefined,
      ...(e.routerSubjects !== undefined ? { routerSubjects: e.routerSubjects as string[] } : {}),
      ...(e.suspended === true ? { suspended: true } : {}),
    };
  });
  return { audience: obj.audience.trim(), agencies };
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
