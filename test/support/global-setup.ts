import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createLogger } from '../../src/common/logger';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { migrate, openOrm } from '../../src/db/orm';
import { withDatabase } from './database';

/**
 * Once per `npm test`: a PostgreSQL (TEST_DATABASE_URL, or an embedded one in a temporary
 * folder), and a template database with every migration applied. Each test file then gets a
 * database cloned from the template (test/support/database.ts), so files run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'gba-hub-test-'));
    const started = Date.now();
    const embedded = await startEmbeddedPostgres(join(dir, 'postgres'), createLogger('silent'));
    process.stdout.write(`\ntest database: embedded PostgreSQL started in ${Date.now() - started} ms (${dir})\n`);
    (globalThis as Record<string, unknown>).__HUB_TEST_EMBEDDED__ = { embedded, dir };
    adminUrl = embedded.url;
  } else {
    process.stdout.write(`\ntest database: TEST_DATABASE_URL (${new URL(adminUrl).host})\n`);
  }
  const template = `hub_tpl_${runId}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const orm = await openOrm(withDatabase(adminUrl, template));
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  // MikroORM keeps its entity metadata on globalThis; jest hands this process's globals to
  // test files run in band, where these objects would come from the wrong realm.
  for (const key of Object.keys(globalThis)) {
    if (key.startsWith('mikro-orm-')) delete (globalThis as Record<string, unknown>)[key];
  }
  process.env.HUB_TEST_ADMIN_URL = adminUrl;
  process.env.HUB_TEST_TEMPLATE = template;
  process.env.HUB_TEST_RUN = runId;
}
