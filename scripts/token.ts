/**
 * Mints a development token for a demo agency and prints it alone on standard output:
 *   npm run --silent token -- --agency HK --role ANALYST[,ADMIN] [--ttl 8h] [--sub someone@hk]
 * `--sub` is the officer the token names (default `<agency>.<role>@dev`, lower case); it is
 * what the access log and the change history record. Uses the development keys under
 * $HUB_DATA_DIR/dev-identity (default .data), making them first if the hub has not yet. The
 * lifetime may not exceed HUB_MAX_TOKEN_TTL (default 24h): the hub would refuse a longer token.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Role } from '../src/common/enums';
import { maxTokenTtl } from '../src/config';
import { ensureDevIdentity, mintDevToken, parseTtl } from '../src/identity/dev-identity';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      role: { type: 'string', default: 'ANALYST' },
      ttl: { type: 'string', default: '8h' },
      sub: { type: 'string' },
    },
  });
  if (!values.agency) throw new Error('--agency is required, e.g. --agency HK');
  const roles = values.role!.split(',').map((r) => r.trim().toUpperCase());
  for (const r of roles) {
    if (!(r in Role)) throw new Error(`--role: ${r} is not one of ${Object.values(Role).join(', ')}`);
  }
  const ttlSeconds = parseTtl(values.ttl!);
  const max = maxTokenTtl();
  if (ttlSeconds > max) throw new Error(`--ttl: at most HUB_MAX_TOKEN_TTL (${max} s); the hub refuses longer tokens`);
  const dataDir = resolve(process.env.HUB_DATA_DIR?.trim() || '.data');
  // The hub makes these keys at its first development start; a token minted first must use the same ones.
  await ensureDevIdentity(dataDir);
  const token = await mintDevToken(dataDir, {
    agency: values.agency,
    roles: roles as Role[],
    ttlSeconds,
    subject: values.sub,
  });
  console.log(token);
}

run().catch((e) => {
  console.error(`token: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
