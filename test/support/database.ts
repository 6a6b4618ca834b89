import { Client } from 'pg';

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let counter = 0;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database cloned from the run's migrated template: one per test file (or per test
 * when needed). `{ migrated: false }`: an empty one, for tests of the migrations themselves.
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  const template = migrated ? process.env.HUB_TEST_TEMPLATE : 'template0';
  if (!adminUrl || !template) throw new Error('run the tests through jest: its global setup prepares the database');
  const name = `hub_t_${process.env.HUB_TEST_RUN}_${process.pid}_${++counter}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
