import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Role } from '../common/enums';
import DEV_AGENCIES from './dev-agencies.json';
import { parseTrustConfig, type TrustConfig } from './trust-config';

/** Audience of development tokens, as in a production trust file. */
export const DEV_AUDIENCE = 'gba-hub';

export function devIdentityDir(dataDir: string): string {
  return join(dataDir, 'dev-identity');
}

function devIssuer(code: string): string {
  return `http://localhost/dev-idp/${code.toLowerCase()}`;
}

/**
 * Development identity: an ES256 key pair per demo agency under
 * `<dataDir>/dev-identity`, made once, and a trust configuration that trusts them.
 * Never used when NODE_ENV=production (main refuses to start).
 */
export async function ensureDevIdentity(dataDir: string): Promise<TrustConfig> {
  const dir = devIdentityDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const agencies = [];
  for (const a of DEV_AGENCIES) {
    const privateFile = join(dir, `${a.code}.private.jwk.json`);
    const jwksFile = join(dir, `${a.code}.jwks.json`);
    if (!existsSync(privateFile) || !existsSync(jwksFile)) {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `${a.code.toLowerCase()}-dev-${Date.now().toString(36)}`;
      const priv = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
      const pub = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
      await writeFile(privateFile, JSON.stringify(priv), { mode: 0o600 });
      await writeFile(jwksFile, JSON.stringify({ keys: [pub] }, null, 2));
    }
    agencies.push({ ...a, issuer: devIssuer(a.code), jwksFile: `${a.code}.jwks.json` });
  }
  const trust = { audience: DEV_AUDIENCE, agencies };
  await writeFile(join(dir, 'trust.json'), JSON.stringify(trust, null, 2));
  return parseTrustConfig(trust, dir, join(dir, 'trust.json'));
}

/** Parses a duration such as `90s`, `30m`, `8h` or `2d` into seconds. */
export function parseTtl(ttl: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(ttl.trim());
  if (!m) throw new Error(`--ttl: expected a duration like 30m, 8h or 2d, got ${JSON.stringify(ttl)}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Signs a development token for a demo agency with the key made by ensureDevIdentity. */
export async function mintDevToken(
  dataDir: string,
  opts: { agency: string; roles: Role[]; ttlSeconds: number; subject?: string },
): Promise<string> {
  const code = opts.agency.toUpperCase();
  const file = join(devIdentityDir(dataDir), `${code}.private.jwk.json`);
  if (!existsSync(file)) {
    const known = DEV_AGENCIES.map((a) => a.code).join(', ');
    throw new Error(`no development key for agency ${code} in ${devIdentityDir(dataDir)}: development identity covers ${known} (other agencies sign with their own identity provider)`);
  }
  const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT({ roles: opts.roles })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .setIssuer(devIssuer(code))
    .setAudience(DEV_AUDIENCE)
    .setSubject(opts.subject ?? `${code.toLowerCase()}.${opts.roles[0]?.toLowerCase() ?? 'user'}@dev`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + opts.ttlSeconds)
    .sign(key);
}
