import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export const TEST_AUDIENCE = 'gba-hub-test';

export const TEST_AGENCIES = [
  { code: 'GD', name: 'Guangdong Branch of the General Administration of Customs', jurisdiction: 'Guangdong Province, PRC' },
  { code: 'HK', name: 'Hong Kong Customs and Excise Department', jurisdiction: 'Hong Kong SAR' },
  { code: 'MO', name: 'Macao Customs Service', jurisdiction: 'Macao SAR' },
];

export function issuerOf(code: string): string {
  return `https://idp.${code.toLowerCase()}.test`;
}

export interface SignOptions {
  roles?: unknown;
  sub?: string | null;
  /** Seconds from now; null leaves `exp` out. */
  expiresIn?: number | null;
  iss?: string;
  aud?: string;
  extraClaims?: Record<string, unknown>;
  /** `iat` in seconds from now (default 0); null leaves it out. */
  issuedAt?: number | null;
  /** Sign with this agency's key instead of the token's own agency's. */
  keyOf?: string;
}

/**
 * Test agencies with their own ES256 keys, a JWKS file each and a trust file naming them,
 * in a temporary folder. Tokens are signed as the agencies' identity providers would.
 */
export class TestTrust {
  readonly dir = mkdtempSync(join(tmpdir(), 'gba-hub-trust-'));
  readonly path = join(this.dir, 'trust.json');
  private readonly keys = new Map<string, { privateKey: CryptoKey; kid: string; alg: string }>();
  private entries: Record<string, unknown>[] = [];

  private constructor() {}

  static async create(agencies = TEST_AGENCIES, extra: Record<string, unknown>[] = []): Promise<TestTrust> {
    const t = new TestTrust();
    const entries: Record<string, unknown>[] = [];
    for (const a of agencies) {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `${a.code.toLowerCase()}-1`;
      const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
      writeFileSync(join(t.dir, `${a.code}.jwks.json`), JSON.stringify({ keys: [jwk] }));
      t.keys.set(a.code, { privateKey, kid, alg: 'ES256' });
      entries.push({ ...a, issuer: issuerOf(a.code), jwksFile: `${a.code}.jwks.json` });
    }
    t.entries = [...entries, ...extra];
    t.rewrite();
    return t;
  }

  /**
   * Writes the trust file again, as an operator would edit it, keeping every agency's keys:
   * `suspended` agencies carry `"suspended": true`, `without` ones are taken out. The hub
   * reads it at its next start.
   */
  rewrite(o: { suspended?: string[]; without?: string[] } = {}): void {
    const agencies = this.entries
      .filter((e) => !o.without?.includes(String(e.code)))
      .map((e) => (o.suspended?.includes(String(e.code)) ? { ...e, suspended: true } : e));
    writeFileSync(this.path, JSON.stringify({ audience: TEST_AUDIENCE, agencies }, null, 2));
  }

  /** Adds a signing key for an agency whose JWKS is served elsewhere (e.g. a test JWKS server). */
  setKey(code: string, privateKey: CryptoKey, kid: string, alg = 'RS256'): void {
    this.keys.set(code, { privateKey, kid, alg });
  }

  /** A token as the agency's identity provider would issue it; options bend it for the bad-token tests. */
  async token(agency: string, roles: unknown = ['ANALYST'], o: SignOptions = {}): Promise<string> {
    const key = this.keys.get(o.keyOf ?? agency);
    if (!key) throw new Error(`no key for ${o.keyOf ?? agency}`);
    const jwt = new SignJWT({ roles: o.roles ?? roles, ...o.extraClaims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(o.iss ?? issuerOf(agency))
      .setAudience(o.aud ?? TEST_AUDIENCE);
    if (o.issuedAt !== null) jwt.setIssuedAt(Math.floor(Date.now() / 1000) + (o.issuedAt ?? 0));
    if (o.sub !== null) jwt.setSubject(o.sub ?? `${agency.toLowerCase()}-officer-1`);
    if (o.expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresIn ?? 600));
    return jwt.sign(key.privateKey);
  }
}
