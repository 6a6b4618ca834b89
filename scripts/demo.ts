/**
 * Adds generated alerts to the hub's database, for benchmarks and demos:
 *   npm run demo -- --alerts 100000 [--seed 42]
 * Uses DATABASE_URL, or the embedded PostgreSQL in $HUB_DATA_DIR (that of the hub running there,
 * when `npm start` runs); applies migrations and the
 * agencies of the trust configuration (or the development ones) first.
 */
import { parseArgs } from 'node:util';
import { syncAgencies } from '../src/agencies/agency.service';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/common/logger';
import { openDatabase } from '../src/db/database';
import { migrate, openOrm } from '../src/db/orm';
import { generateAlerts } from '../src/demo/generator';
import { MatchKeyring } from '../src/correlation/match-keys';
import { ensureDevIdentity } from '../src/identity/dev-identity';
import { readTrustConfig } from '../src/identity/trust-config';

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { alerts: { type: 'string', default: '2000' }, seed: { type: 'string' } } });
  const count = Number(values.alerts);
  if (!Number.isInteger(count) || count < 1 || count > 5_000_000) throw new Error('--alerts: a whole number from 1 to 5,000,000');
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  const config = loadConfig();
  const log = createLogger('warn');
  const say = (l: string) => console.log(`demo: ${l}`);
  const db = await openDatabase(config, log, say, { besideRunningHub: true });
  const orm = await openOrm(db.url, { log });
  try {
    await migrate(orm);
    const trust = config.trustConfigPath ? readTrustConfig(config.trustConfigPath) : await ensureDevIdentity(config.dataDir);
    await syncAgencies(orm.em.fork(), trust.agencies);
    say(`writing ${count} alerts (seed ${seed}) into ${db.label}`);
    const started = Date.now();
    await generateAlerts(orm.em.fork(), {
      alerts: count,
      seed,
      until: new Date(),
      // Keyed with this environment's HUB_MATCH_KEY_SECRET: use the hub's, or its next start re-keys them.
      matchKeys: new MatchKeyring(config.matchKeySecret),
      onProgress: (n, total) => process.stdout.write(`\rdemo: ${n} / ${total} (${Math.round((n / total) * 100)}%)`),
    });
    process.stdout.write('\n');
    say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await orm.close(true);
    await db.embedded?.stop();
  }
}

run().catch((e) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
