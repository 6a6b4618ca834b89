import { join } from 'node:path';
import { redactDatabaseUrl, type HubConfig } from '../config';
import type { Logger } from '../common/logger';
import { runningHubPostgres, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { openOrm } from './orm';

/** Name of the hub's database inside an embedded cluster. */
const EMBEDDED_DB = 'gba_hub';

export interface DatabaseTarget {
  /** Connection string of the hub's database. */
  url: string;
  /** What to print about it: no password. */
  label: string;
  /** Set when the hub started its own PostgreSQL; stopped last. */
  embedded?: EmbeddedDatabase;
}

/**
 * The database the hub uses: DATABASE_URL when set, else an embedded PostgreSQL under
 * `$HUB_DATA_DIR/postgres` with a `gba_hub` database made on first start. A command working
 * beside a hub may ask for the one a running hub holds instead (no `embedded`: not its to stop).
 */
export async function openDatabase(
  config: Pick<HubConfig, 'databaseUrl' | 'dataDir' | 'embeddedPostgresSettings'>,
  log: Logger,
  progress: (l: string) => void,
  /** For commands beside a hub (`npm run demo`): use the PostgreSQL of a hub running on the data directory. */
  opts: { besideRunningHub?: boolean } = {},
): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, label: redactDatabaseUrl(config.databaseUrl) };
  }
  const dir = join(config.dataDir, 'postgres');
  if (opts.besideRunningHub) {
    const running = await runningHubPostgres(dir);
    if (running) {
      const url = running.url.replace(/\/postgres$/, `/${EMBEDDED_DB}`);
      return { url, label: `the embedded PostgreSQL of the hub running on ${dir} (process ${running.hub}): ${redactDatabaseUrl(url)}` };
    }
  }
  progress(`starting embedded PostgreSQL in ${dir} …`);
  const embedded = await startEmbeddedPostgres(dir, log, progress, config.embeddedPostgresSettings);
  try {
    const admin = await openOrm(embedded.url, { log });
    try {
      const conn = admin.em.getConnection();
      const rows = await conn.execute(`select 1 from pg_database where datname = '${EMBEDDED_DB}'`);
      if (rows.length === 0) await conn.execute(`create database ${EMBEDDED_DB}`);
    } finally {
      await admin.close(true);
    }
  } catch (e) {
    await embedded.stop().catch(() => undefined);
    throw e;
  }
  const url = embedded.url.replace(/\/postgres$/, `/${EMBEDDED_DB}`);
  return { url, label: `embedded PostgreSQL ${redactDatabaseUrl(url)} (data in ${dir})`, embedded };
}
