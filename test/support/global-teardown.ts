import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import type { EmbeddedDatabase } from '../../src/db/embedded';

/** Drops the run's template and any database a crashed test file left, then stops the embedded PostgreSQL. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  const runId = process.env.HUB_TEST_RUN;
  if (adminUrl && runId) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [
        `hub_t_${runId}_%`,
        `hub_tpl_${runId}`,
      ]);
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    } finally {
      await admin.end();
    }
  }
  const state = (globalThis as Record<string, unknown>).__HUB_TEST_EMBEDDED__ as { embedded: EmbeddedDatabase; dir: string } | undefined;
  if (state) {
    await state.embedded.stop();
    await rm(state.dir, { recursive: true, force: true });
  }
}
