import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWSAlgorithm, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../common/errors';
import { Role } from '../common/enums';
import type { Logger } from '../common/logger';
import type { TrustConfig, TrustedAgency } from './trust-config';
import type { Viewer } from './viewer';

/** A UTF-16 surrogate without its pair: not a character, and stored as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` token is never accepted. */
export const ACCEPTED_ALGORITHMS: JWSAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];
/** Allowed clock skew between an agency's identity provider and the hub. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** How a remote JWKS is fetched and kept. */
export interface JwksOptions {
  /** How long a fetch may take before that agency's tokens fail (others are untouched). Default 5 s. */
  timeoutMs?: number;
  /** An unknown `kid` refetches the JWKS at most this often. Default 30 s. */
  cooldownMs?: number;
  /** Keys are refetched at least this often, so a key the agency removed stops working within it. Default 5 min. */
  cacheMaxAgeMs?: number;
  /**
   * Told of every failed fetch of an agency's JWKS (an identity-provider outage, not a bad
   * token); the hub counts them in `hub_jwks_fetch_failures_total`.
   */
  onFetchFailure?: (agency: string) => void;
  /** Where an outage is logged (warn), at most once per cooldown (at least 1 s) and agency. */
  log?: Pick<Logger, 'warn'>;
}

/** Token rules beyond the signature. */
export interface TokenRules {
  /** Longest `exp - iat` (or `exp - now`) accepted, in seconds. Default 24 h. */
  maxTtlSeconds?: number;
  /** Where a refused token of a suspended agency is logged (info), with its agency and subject. */
  log?: Pick<Logger, 'info'>;
  /**
   * Seconds a verified token is kept, so that the same client's next requests skip the signature
   * check; never past the token's `exp`. A key removed from a JWKS stops its tokens within the
   * JWKS cache time plus this. 0 keeps none. Default 60.
   */
  cacheSeconds?: number;
  /** Most verified tokens kept; the oldest go first. Default 10,000. */
  cacheEntries?: number;
}

/** A verified token as kept: what its Viewer is made from, and until when it may be served. */
interface Verified {
  subject: string;
  agencyCode: string;
  roles: readonly Role[];
  exp: number;
  router: boolean;
  /** Epoch milliseconds: the earlier of the token's `exp` and the cache bound. */
  until: number;
}

/**
 * A token that verified, from an agency the trust file marks `suspended`. UNAUTHENTICATED like
 * any refused token; its message says why, since the signature proved who is asking.
 */
export class SuspendedAgencyError extends UnauthenticatedError {
  constructor(readonly agency: string) {
    super(`agency ${agency} is suspended on this hub`);
  }
}

const ROLE_NAMES = new Set<string>(Object.values(Role));
const MAX_TOKEN_LENGTH = 8192;

/**
 * Verifies bearer tokens against the trusted agencies. The agency of a token is the one
 * whose issuer equals `iss`, after the signature has verified with that issuer's keys; no
 * claim inside the token can name another agency.
 */
export class TokenVerifier {
  private readonly byIssuer = new Map<string, { agency: TrustedAgency; keys: JWTVerifyGetKey }>();
  private readonly maxTtlSeconds: number;
  private readonly log?: Pick<Logger, 'info'>;
  private readonly cacheMs: number;
  private readonly cacheEntries: number;
  /**
   * Keyed by the SHA-256 of the token, so that no bearer token stays in memory (the WebSocket
   * path drops its copy once verified for the same reason). Only successes are kept. Every rule
   * of verifyAfresh is fixed for the life of this verifier (trust file, audience, suspended
   * agencies, HUB_MAX_TOKEN_TTL are read at start) or can only turn from refusal to acceptance
   * as time passes (`nbf`, the lifetime bound of a token with `iat` in the future), except
   * `exp`, which ends the entry; the keys, which can be withdrawn, are why entries are short.
   */
  private readonly cache = new Map<string, Verified>();

  constructor(
    private readonly trust: TrustConfig,
    jwks: JwksOptions = {},
    rules: TokenRules = {},
  ) {
    this.maxTtlSeconds = rules.maxTtlSeconds ?? 24 * 3600;
    this.log = rules.log;
    this.cacheMs = (rules.cacheSeconds ?? 60) * 1000;
    this.cacheEntries = rules.cacheEntries ?? 10_000;
    const remote = { timeoutDuration: jwks.timeoutMs ?? 5000, cooldownDuration: jwks.cooldownMs ?? 30_000, cacheMaxAge: jwks.cacheMaxAgeMs ?? 300_000 };
    for (const agency of trust.agencies) {
      const keys = agency.jwksUri
        ? reportingOutages(agency, createRemoteJWKSet(new URL(agency.jwksUri), remote), remote.timeoutDuration, Math.max(1000, remote.cooldownDuration), jwks)
        : createLocalJWKSet(JSON.parse(readFileSync(agency.jwksFile!, 'utf8')));
      this.byIssuer.set(agency.issuer, { agency, keys });
    }
  }

  get audience(): string {
    return this.trust.audience;
  }

  /**
   * Parses an `Authorization` header value (`Bearer <JWT>`) and verifies the token.
   * @throws UnauthenticatedError for a missing, malformed, unsigned, expired or untrusted token;
   *   SuspendedAgencyError (an UnauthenticatedError) for a good token of a suspended agency.
   */
  async verifyAuthorization(header: unknown): Promise<Viewer> {
    if (typeof header !== 'string' || header.trim() === '') throw new UnauthenticatedError();
    const m = /^Bearer +([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)\s*$/i.exec(header);
    if (!m) throw new UnauthenticatedError('the Authorization header must be "Bearer <JWT>"');
    return this.verify(m[1]);
  }

  /** Verifies a compact JWT. @throws UnauthenticatedError as verifyAuthorization. */
  async verify(token: string): Promise<Viewer> {
    if (token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError('token too long');
    if (this.cacheMs <= 0) return viewerOf(await this.verifyAfresh(token, Date.now()));
    const key = createHash('sha256').update(token).digest('base64');
    const now = Date.now();
    const kept = this.cache.get(key);
    if (kept && now < kept.until) return viewerOf(kept);
    if (kept) this.cache.delete(key);
    const verified = await this.verifyAfresh(token, now);
    if (this.cache.size >= this.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, verified);
    return viewerOf(verified);
  }

  /** The signature and every claim rule; `now` bounds how long the result may be kept. */
  private async verifyAfresh(token: string, now: number): Promise<Verified> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('malformed token');
    }
    const trusted = typeof iss === 'string' ? this.byIssuer.get(iss) : undefined;
    if (!trusted) throw new UnauthenticatedError('token issuer is not trusted');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, trusted.keys, {
        issuer: trusted.agency.issuer,
        audience: this.trust.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (e) {
      throw new UnauthenticatedError(describeJoseError(e));
    }
    // Checked after the signature, so that only the agency itself learns it is suspended.
    if (trusted.agency.suspended) {
      this.log?.info({ agency: trusted.agency.code, subject: typeof payload.sub === 'string' ? payload.sub.slice(0, 200) : undefined }, 'token refused: the agency is suspended on this hub');
      throw new SuspendedAgencyError(trusted.agency.code);
    }
    // A stolen token must not work for ever: its whole lifetime is bounded, not only its end.
    // An `iat` in the future counts as now, so it cannot shorten the lifetime it declares.
    const exp = payload.exp as number;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const issuedAt = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
    if (exp - issuedAt > this.maxTtlSeconds) {
      throw new UnauthenticatedError(`token lifetime (exp - iat) exceeds the hub's maximum of ${this.maxTtlSeconds} s`);
    }
    const sub = payload.sub;
    // The subject is stored as it is (access log, change history): PostgreSQL text holds no
    // U+0000, and a lone surrogate would be stored as U+FFFD, making two subjects look alike.
    if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 200 || sub.includes('\u0000') || LONE_SURROGATE.test(sub)) {
      throw new UnauthenticatedError('token "sub" must be a non-empty string of at most 200 characters, without U+0000 or lone surrogates');
    }
    const roles = payload.roles;
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && ROLE_NAMES.has(r))) {
      throw new UnauthenticatedError('token "roles" must be an array of Role names');
    }
    return {
      subject: sub,
      agencyCode: trusted.agency.code,
      roles: Object.freeze([...new Set(roles as Role[])]),
      exp,
      router: trusted.agency.routerSubjects?.includes(sub) ?? false,
      // Kept no later than `exp` itself: past it, the token is verified again and refused (or
      // accepted within the clock tolerance, exactly as without a cache).
      until: Math.min(now + this.cacheMs, exp * 1000),
    };
  }
}

/** A Viewer of its own for each request, so that nothing a request does reaches the cache. */
function viewerOf(v: Verified): Viewer {
  return {
    subject: v.subject,
    agencyCode: v.agencyCode,
    roles: [...v.roles],
    expiresAt: new Date(v.exp * 1000),
    ...(v.router ? { router: true as const } : {}),
  };
}

/**
 * Wraps an agency's remote key set so that a fetch that fails (refused, an error status, a
 * timeout, not a JWKS) is told apart from a token no key matches: the client still gets
 * UNAUTHENTICATED, but the operator learns the identity provider is down, and why.
 */
function reportingOutages(agency: TrustedAgency, keys: JWTVerifyGetKey, timeoutMs: number, quietMs: number, jwks: JwksOptions): JWTVerifyGetKey {
  let loggedAt = -Infinity;
  let unlogged = 0;
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (e) {
      // These come from a key set that was fetched: the token is at fault, not the provider.
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      jwks.onFetchFailure?.(agency.code);
      unlogged++;
      const now = Date.now();
      if (jwks.log && now - loggedAt >= quietMs) {
        jwks.log.warn(
          {
            agency: agency.code,
            jwksUri: agency.jwksUri,
            reason: e instanceof errors.JWKSTimeout ? `no answer within ${timeoutMs} ms` : fetchFailure(e),
            timedOut: e instanceof errors.JWKSTimeout,
            timeoutMs,
            failuresSinceLastLine: unlogged,
          },
          "identity provider outage: the agency's JWKS could not be fetched; its tokens are refused until it can",
        );
        loggedAt = now;
        unlogged = 0;
      }
      throw new JwksUnavailable(e);
    }
  };
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:443": the message, then its causes' (undici nests them). */
function fetchFailure(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e, depth = 0; c && depth < 4; depth++) {
    const err = c as { message?: unknown; code?: unknown; cause?: unknown; errors?: unknown[] };
    const text = typeof err.message === 'string' && err.message ? err.message : typeof err.code === 'string' ? err.code : '';
    if (text && !parts.includes(text)) parts.push(text);
    c = err.cause ?? (Array.isArray(err.errors) ? err.errors[0] : undefined);
  }
  return parts.join(': ') || String(e);
}

/** An agency's keys could not be fetched (its identity provider is down or unreachable). */
class JwksUnavailable extends Error {
  constructor(readonly original: unknown) {
    super('JWKS unavailable');
  }
}

/** A short reason a client may read: which check failed, never key material or internals. */
function describeJoseError(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'token expired';
  if (e instanceof errors.JWTClaimValidationFailed) return `token claim "${e.claim}" is not valid: ${e.reason}`;
  if (e instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (e instanceof errors.JWKSNoMatchingKey) return 'no trusted key matches the token';
  if (e instanceof errors.JWKSTimeout) return "the issuer's keys could not be fetched in time";
  if (e instanceof JwksUnavailable) return e.original instanceof errors.JWKSTimeout ? "the issuer's keys could not be fetched in time" : "the issuer's keys could not be fetched";
  if (e instanceof errors.JWTInvalid || e instanceof errors.JWSInvalid) return 'malformed token';
  return 'token could not be verified';
}
