import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase } from '../support/database';
import { TestTrust } from '../support/identity';
import { startTestHub, type TestHub } from '../support/hub';

describe('several hubs starting on one database', () => {
  test('two hubs started together on an empty database both come up, and each migration is applied once', async () => {
    const db = await createTestDatabase({ migrated: false });
    const trust = await TestTrust.create();
    const started = await Promise.allSettled([startTestHub({ databaseUrl: db.url, trust }), startTestHub({ databaseUrl: db.url, trust })]);
    const hubs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])) as TestHub[];
    try {
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);
      const sql = new Client({ connectionString: db.url });
      await sql.connect();
      try {
        const rows = (await sql.query('select name, count(*)::int as n from mikro_orm_migrations group by name order by name')).rows;
        expect(rows).toEqual(MIGRATIONS.map((m) => ({ name: m.name, n: 1 })));
      } finally {
        await sql.end();
      }
      for (const h of hubs) {
        const ready = await fetch(h.url.replace('/graphql', '/readyz'));
        expect(ready.status).toBe(200);
        const res = await h.gql(await h.token('GD'), '{ alerts(first: 1) { totalCount } }');
        expect(res.body.data.alerts.totalCount).toBe(0);
      }
    } finally {
      for (const h of hubs) await h.stop();
      await db.drop();
    }
  });
});
