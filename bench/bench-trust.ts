/**
 * Identity for benchmarks that run the hub as production does (`NODE_ENV=production`, which
 * refuses development identity): an ES256 key pair per agency, each agency's public key in a
 * JWKS file of its own, a trust file naming them (HUB_TRUST_CONFIG, docs/configuration.md),
 * and tokens signed with the agency's private key as its identity provider would sign them.
 * The keys live in memory; the folder holds only the public half and the trust file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Role } from '../src/common/enums';
import AGENCIES from '../src/identity/dev-agencies.json';

/** The audience of the benchmark's trust file and of every token it mints. */
export const BENCH_AUDIENCE = 'gba-hub-bench';

export interface BenchTrust {
  /** The trust file, for HUB_TRUST_CONFIG. */
  path: string;
  /**
   * A token of `agency` (its issuer, signed with its key) for `subject` with `roles`, valid
   * `ttlSeconds` (at most the hub's HUB_MAX_TOKEN_TTL, 24 h by default).
   */
  token(agency: string, roles: Role[], ttlSeconds: number, subject?: string): Promise<string>;
  /** Removes the folder. */
  remove(): void;
}

function issuerOf(code: string): string {
  return `https://idp.${code.toLowerCase()}.bench.invalid`;
}

/** Makes the keys and writes the trust file for the demo agencies (GD, HK, MO) in a new temporary folder. */
export async function createBenchTrust(): Promise<BenchTrust> {
  const dir = mkdtempSync(join(tmpdir(), 'gba-hub-bench-trust-'));
  const keys = new Map<string, { privateKey: CryptoKey; kid: string }>();
  const agencies = [];
  for (const a of AGENCIES) {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const kid = `${a.code.toLowerCase()}-bench-${Date.now().toString(36)}`;
    writeFileSync(join(dir, `${a.code}.jwks.json`), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }));
    keys.set(a.code, { privateKey, kid });
    agencies.push({ ...a, issuer: issuerOf(a.code), jwksFile: `${a.code}.jwks.json` });
  }
  const path = join(dir, 'trust.json');
  writeFileSync(path, JSON.stringify({ audience: BENCH_AUDIENCE, agencies }, null, 2));
  return {
    path,
    async token(agency, roles, ttlSeconds, subject) {
      const key = keys.get(agency);
      if (!key) throw new Error(`bench trust: no key for agency ${agency}`);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ roles })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
        .setIssuer(issuerOf(agency))
        .setAudience(BENCH_AUDIENCE)
        .setSubject(subject ?? `${agency.toLowerCase()}.${roles[0]?.toLowerCase() ?? 'user'}@bench`)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(key.privateKey);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
