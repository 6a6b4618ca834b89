/**
 * Mints a development token for a demo agency:
 *   npm run token -- --agency HK --role ANALYST[,ADMIN] [--ttl 8h] [--sub someone@hk]
 * Uses the keys the hub made under $HUB_DATA_DIR/dev-identity (default .data). The lifetime may
 * not exceed HUB_MAX_TOKEN_TTL (default 24h): the hub would refuse a longer token.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Role } from '../src/common/enums';
import { maxTokenTtl } from '../src/config';
import { mintDevToken, parseTtl } from '../src/identity/dev-identity';

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
  const token = await mintDevToken(resolve(process.env.HUB_DATA_DIR?.trim() || '.data'), {
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
