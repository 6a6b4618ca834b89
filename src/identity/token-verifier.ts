import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWSAlgorithm, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../common/errors';
import { Role } from '../common/enums';
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

  constructor(
    private readonly trust: TrustConfig,
    jwks: JwksOptions = {},
  ) {
    const remote = { timeoutDuration: jwks.timeoutMs ?? 5000, cooldownDuration: jwks.cooldownMs ?? 30_000, cacheMaxAge: jwks.cacheMaxAgeMs ?? 300_000 };
    for (const agency of trust.agencies) {
      const keys = agency.jwksUri
        ? createRemoteJWKSet(new URL(agency.jwksUri), remote)
        : createLocalJWKSet(JSON.parse(readFileSync(agency.jwksFile!, 'utf8')));
      this.byIssuer.set(agency.issuer, { agency, keys });
    }
  }

  get audience(): string {
    return this.trust.audience;
  }

  /**
   * Parses an `Authorization` header value (`Bearer <JWT>`) and verifies the token.
   * @throws UnauthenticatedError for a missing, malformed, unsigned, expired or untrusted token.
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
      roles: [...new Set(roles as Role[])],
      expiresAt: new Date((payload.exp as number) * 1000),
    };
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
  if (e instanceof errors.JWTInvalid || e instanceof errors.JWSInvalid) return 'malformed token';
  return 'token could not be verified';
}
